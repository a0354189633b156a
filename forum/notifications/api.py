"""Read one's notifications, and choose what email to get, as JSON."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask_login import current_user, login_required
from flask_smorest import Blueprint

from forum.notifications.schemas import (
    NotificationSchema,
    NotificationSettingsSchema,
    UnsubscribeArgsSchema,
    UnsubscribedSchema,
)
from forum.notifications.services import notices, preferences, unsubscribe

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


@blp.get("/me/notification-settings")
@login_required
@blp.response(200, NotificationSettingsSchema)
@blp.alt_response(401, description="Not logged in")
def get_settings() -> Any:
    """Say what email you get."""
    return dump_settings(preferences.preferences(current_user))


@blp.put("/me/notification-settings")
@login_required
@blp.arguments(NotificationSettingsSchema)
@blp.response(200, NotificationSettingsSchema)
@blp.alt_response(401, description="Not logged in")
@blp.alt_response(422, description="An hour or time zone that does not exist")
def put_settings(changes: dict[str, Any]) -> Any:
    """Change what email you get: the fields you send change, the others stay as they are."""
    return dump_settings(preferences.update(current_user, changes))


def dump_settings(prefs: preferences.Preferences) -> dict[str, Any]:
    """The settings as the API shows them."""
    return {**asdict(prefs), "followed": prefs.followed.value}


@blp.post("/email/unsubscribe")
@blp.arguments(UnsubscribeArgsSchema, location="query")
@blp.response(200, UnsubscribedSchema)
@blp.alt_response(400, description="The link was changed or is not one of ours")
def one_click_unsubscribe(args: dict[str, Any]) -> Any:
    """Stop one kind of email from its List-Unsubscribe link (RFC 8058 one-click; no login, no session).

    :raises InvalidLink: for a changed or forged token.
    """
    subscription = unsubscribe.read(args["token"])
    preferences.turn_off(subscription.user_id, subscription.category)
    return {"stopped": subscription.category.value}
