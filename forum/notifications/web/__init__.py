"""Show a member their notifications and the header's unread count; email settings, unsubscribe links."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from forum.notifications.services import notices
from forum.notifications.web import settings, unsubscribe
from forum.platform.http.templating import page_context

bp = Blueprint("notifications", __name__, url_prefix="/account")


@bp.get("/notifications")
@login_required
def page() -> str:
    """List your notifications, newest first."""
    return render_template("account/notifications.html", items=notices.list_for(current_user))


@bp.post("/notifications/read")
@login_required
def mark_read() -> Response:
    """Mark all your notifications read."""
    notices.mark_all_read(current_user)
    return redirect(url_for("notifications.page"))


def _unread() -> dict[str, Any]:
    """The logged-in member's unread count for the header (one query)."""
    return {
        "unread_notifications": notices.unread_count(current_user) if current_user.is_authenticated else 0
    }


def init_app(app: Flask) -> None:
    """Mount the pages and put the unread count in every page's context."""
    app.register_blueprint(bp)
    app.register_blueprint(settings.bp)
    app.register_blueprint(unsubscribe.bp)
    app.context_processor(page_context(_unread))
