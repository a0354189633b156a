"""Read one's notifications as JSON."""

from __future__ import annotations

from typing import Any

from flask_login import current_user, login_required
from flask_smorest import Blueprint

from forum.notifications.schemas import NotificationSchema
from forum.notifications.services import notices

blp = Blueprint("notifications_api", __name__, url_prefix="/api/v1", description="Notifications")


@blp.get("/notifications")
@login_required
@blp.response(200, NotificationSchema(many=True))
@blp.alt_response(401, description="Not logged in")
def list_notifications() -> Any:
    """List your notifications, newest first."""
    return notices.list_for(current_user)


@blp.post("/notifications/read")
@login_required
@blp.response(204)
@blp.alt_response(401, description="Not logged in")
def mark_read() -> None:
    """Mark all your notifications read."""
    notices.mark_all_read(current_user)
