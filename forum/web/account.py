"""Let people edit their own profile and manage their personal API tokens."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from forum import validation
from forum.errors import ValidationFailed
from forum.models import Role
from forum.schemas.account import TOKEN_NAME_MAX, ProfileUpdateSchema
from forum.services import accounts, notifications
from forum.services.sanctions import Suspended
from forum.web.forms import load_form

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def edit_profile() -> Response | str | tuple[str, int]:
    """Show and save the profile form."""
    profile = current_user.profile
    if request.method == "GET":
        form = {
            "display_name": profile.display_name,
            "job_title": profile.job_title or "",
            "organisation": profile.organisation or "",
            "role": profile.role.value,
            "bio": profile.bio or "",
        }
        return render_template("account/profile.html", form=form, roles=list(Role), errors={})
    try:
        accounts.update_profile(current_user, load_form(ProfileUpdateSchema()))
    except (ValidationFailed, Suspended) as exc:
        form = {k: v for k, v in request.form.items() if k != "csrf_token"}
        errors = exc.errors or {"_form": [exc.message]}
        return render_template("account/profile.html", form=form, roles=list(Role), errors=errors), exc.status
    return redirect(url_for("web.profile", profile_id=profile.id))


@bp.post("/tokens")
@login_required
def create_token() -> str:
    """Create a personal API token and show its secret once."""
    name = validation.line(request.form.get("name"), "name", max_length=TOKEN_NAME_MAX) or "API token"
    token, secret = accounts.create_token(current_user, name)
    return render_template("account/token_created.html", token=token, secret=secret)


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int) -> Response:
    """Revoke one of your API tokens."""
    accounts.revoke_token(current_user, token_id)
    return redirect(url_for("web.profile", profile_id=current_user.profile_id, _anchor="tokens"))


@bp.get("/notifications")
@login_required
def notifications_page() -> str:
    """List your notifications, newest first."""
    return render_template("account/notifications.html", items=notifications.list_for(current_user))


@bp.post("/notifications/read")
@login_required
def mark_read() -> Response:
    """Mark all your notifications read."""
    notifications.mark_all_read(current_user)
    return redirect(url_for("account.notifications_page"))
