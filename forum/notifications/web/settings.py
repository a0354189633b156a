"""Let members choose what email they get, see the threads they follow, and resume after a bounce."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from forum.notifications.models import FollowedMode
from forum.notifications.schemas import NotificationSettingsSchema
from forum.notifications.services import comments, preferences
from forum.platform.errors import ValidationFailed
from forum.platform.http.forms import load_form

bp = Blueprint("notification_settings", __name__, url_prefix="/account/notifications")
BOOLEANS = ("email_enabled", "replies", "decisions", "auto_follow", "moderator_alerts")


def _render(prefs: Any, errors: dict[str, Any], status: int = 200) -> tuple[str, int]:
    return (
        render_template(
            "account/notification_settings.html",
            prefs=prefs,
            errors=errors,
            modes=list(FollowedMode),
            zones=preferences.common_zones(),
            followed=comments.current().followed_by(current_user.id),
        ),
        status,
    )


@bp.get("/settings")
@login_required
def page() -> tuple[str, int]:
    """Show your email choices and the threads you follow."""
    return _render(preferences.preferences(current_user), {})


@bp.post("/settings")
@login_required
def save() -> Response | tuple[str, int]:
    """Save your email choices (a box left unticked turns that email off)."""
    try:
        changes = load_form(NotificationSettingsSchema())
        changes.update({name: name in request.form for name in BOOLEANS})
        preferences.update(current_user, changes)
    except ValidationFailed as exc:
        form = {name: request.form.get(name) for name in preferences.FIELDS}
        shown = preferences.Preferences(
            **{name: name in request.form for name in BOOLEANS},
            followed=FollowedMode(form["followed"])
            if form["followed"] in set(FollowedMode)
            else FollowedMode.DIGEST,
            digest_hour=int(form["digest_hour"] or 8) if (form["digest_hour"] or "").isdigit() else 8,
            time_zone=form["time_zone"] or "Europe/London",
        )
        return _render(shown, exc.errors or {"_form": [exc.message]}, exc.status)
    flash("Your email settings are saved.")
    return redirect(url_for("notification_settings.page"))


@bp.post("/settings/try-again")
@login_required
def try_again() -> Response:
    """Send email to your address again after it bounced."""
    preferences.try_again(current_user)
    flash("We will send email to your address again.")
    return redirect(url_for("notification_settings.page"))
