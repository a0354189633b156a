"""Report comments and read one's notifications."""

from __future__ import annotations

from typing import Any

from flask_login import current_user, login_required
from flask_smorest import Blueprint

from forum.schemas.moderation import FlagCreateSchema, FlagSchema, NotificationSchema
from forum.services import flags, notifications

blp = Blueprint("members_api", __name__, url_prefix="/api/v1", description="Reports and notifications")


@blp.post("/comments/<int:comment_id>/flags")
@login_required
@blp.arguments(FlagCreateSchema)
@blp.response(201, FlagSchema)
@blp.alt_response(401, description="Not logged in")
@blp.alt_response(403, description="Your own comment, or you are suspended")
@blp.alt_response(404, description="No such published comment")
@blp.alt_response(409, description="You already reported it")
def flag(data: dict[str, Any], comment_id: int) -> Any:
    """Report a published comment to the moderators (once per member)."""
    return flags.flag(current_user, comment_id, data["reason"], data.get("note"))


@blp.get("/notifications")
@login_required
@blp.response(200, NotificationSchema(many=True))
@blp.alt_response(401, description="Not logged in")
def list_notifications() -> Any:
    """List your notifications, newest first."""
    return notifications.list_for(current_user)


@blp.post("/notifications/read")
@login_required
@blp.response(204)
@blp.alt_response(401, description="Not logged in")
def mark_read() -> None:
    """Mark all your notifications read."""
    notifications.mark_all_read(current_user)
