"""Read and change what email a member wants: each kind on or off, followed threads at once or daily.

A member without a ``notification_settings`` row has the defaults: replies and decisions on, followed
threads as a daily digest at 08:00 London time, follow a thread when commenting in it, all email on.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from sqlalchemy import select

from forum.accounts.models import User
from forum.notifications.models import FollowedMode, NotificationSettings
from forum.platform.database import db
from forum.platform.errors import ValidationFailed


class Category(enum.StrEnum):
    """What an email is about, as a member turns it on or off (and as an unsubscribe link names it)."""

    REPLIES = "replies"
    DECISIONS = "decisions"
    FOLLOWED = "followed"  # at once or in the digest, as the member chose
    MODERATOR_ALERTS = "moderator_alerts"

    @property
    def label(self) -> str:
        """How the settings page and the unsubscribe page name this kind of email."""
        return {
            Category.REPLIES: "replies to your comments",
            Category.DECISIONS: "moderators' decisions on your comments",
            Category.FOLLOWED: "new comments in threads you follow",
            Category.MODERATOR_ALERTS: "alerts about comments waiting for moderation",
        }[self]


def category_of(kind: str) -> Category | None:
    """The category a member controls for an email ``kind`` (None: not one they can turn off)."""
    if kind == "comment.reply":
        return Category.REPLIES
    if kind in ("thread.comment", "thread.digest"):
        return Category.FOLLOWED
    if kind == "moderation.waiting":
        return Category.MODERATOR_ALERTS
    if kind.startswith(("comment.", "appeal.", "decision.")):  # any notice about one's own comment
        return Category.DECISIONS
    return None


@dataclass(frozen=True)
class Preferences:
    """A member's choices, whether or not they ever changed one."""

    email_enabled: bool = True
    replies: bool = True
    decisions: bool = True
    followed: FollowedMode = FollowedMode.DIGEST
    auto_follow: bool = True
    moderator_alerts: bool = True
    digest_hour: int = 8
    time_zone: str = "Europe/London"
    bouncing: bool = False

    def wants(self, category: Category | None, kind: str = "") -> bool:
        """Whether the member wants email of this category (and, for followed threads, this kind)."""
        if not self.email_enabled or self.bouncing:
            return False
        if category is Category.FOLLOWED:
            wanted = FollowedMode.DIGEST if kind == "thread.digest" else FollowedMode.IMMEDIATE
            return self.followed == wanted
        if category is None:
            return True
        return bool(getattr(self, category.value))


FIELDS = (
    "email_enabled",
    "replies",
    "decisions",
    "followed",
    "auto_follow",
    "moderator_alerts",
    "digest_hour",
    "time_zone",
)


def row_for(user_id: int) -> NotificationSettings | None:
    """The member's stored choices, if they ever changed one."""
    return db.session.get(NotificationSettings, user_id)


def of(row: NotificationSettings | None, email: str | None = None) -> Preferences:
    """The member's choices from their row (or the defaults); bouncing only while the address is the same."""
    if row is None:
        return Preferences()
    bouncing = row.bouncing_since is not None and (email is None or row.bounced_address == email)
    return Preferences(**{name: getattr(row, name) for name in FIELDS}, bouncing=bouncing)


def preferences(user: User) -> Preferences:
    """The member's choices now."""
    return of(row_for(user.id), user.email)


def _checked(changes: dict[str, Any]) -> dict[str, Any]:
    """Check the fields a member sent (unknown ones are the schema's concern).

    :raises ValidationFailed: for an hour outside 0-23 or a time zone that does not exist.
    """
    errors: dict[str, list[str]] = {}
    hour = changes.get("digest_hour")
    if hour is not None and not (isinstance(hour, int) and 0 <= hour <= 23):
        errors["digest_hour"] = ["Choose an hour from 0 to 23."]
    zone = changes.get("time_zone")
    if zone is not None and zone not in _zones():
        errors["time_zone"] = ["Choose a time zone from the list, such as Europe/London."]
    if errors:
        raise ValidationFailed(errors=errors)
    return {name: value for name, value in changes.items() if name in FIELDS and value is not None}


def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def update(user: User, changes: dict[str, Any]) -> Preferences:
    """Change some of the member's choices; the others stay as they are.

    :raises ValidationFailed: for an hour outside 0-23 or an unknown time zone.
    """
    checked = _checked(changes)
    row = _ensure_row(user.id)
    for name, value in checked.items():
        setattr(row, name, FollowedMode(value) if name == "followed" else value)
    if "time_zone" in checked:  # one zone for the member: the digest's hour and every page's times
        user.time_zone = None if checked["time_zone"] == Preferences.time_zone else checked["time_zone"]
    db.session.flush()
    return of(row, user.email)


def try_again(user: User) -> Preferences:
    """Send email to the member's address again after it bounced (they say it works now)."""
    row = _ensure_row(user.id)
    row.hard_bounces = 0
    row.bouncing_since = None
    row.bounced_address = None
    db.session.flush()
    return of(row, user.email)


def turn_off(user_id: int, category: Category) -> None:
    """Stop one category of email (an unsubscribe link)."""
    row = _ensure_row(user_id)
    if category is Category.FOLLOWED:
        row.followed = FollowedMode.OFF
    else:
        setattr(row, category.value, False)
    db.session.flush()


def turn_on(user_id: int, category: Category, followed: FollowedMode = FollowedMode.DIGEST) -> None:
    """Start one category of email again (the unsubscribe page's way back)."""
    row = _ensure_row(user_id)
    row.email_enabled = True
    if category is Category.FOLLOWED:
        row.followed = followed
    else:
        setattr(row, category.value, True)
    db.session.flush()


def _ensure_row(user_id: int) -> NotificationSettings:
    row = row_for(user_id)
    if row is None:
        defaults = Preferences()
        row = NotificationSettings(user_id=user_id, **{name: getattr(defaults, name) for name in FIELDS})
        db.session.add(row)
    return row


def time_zone(prefs: Preferences) -> ZoneInfo:
    """The member's time zone (London if what is stored no longer exists)."""
    try:
        return ZoneInfo(prefs.time_zone)
    except (KeyError, ValueError):
        return ZoneInfo("Europe/London")


def common_zones() -> list[str]:
    """Time zones to offer first on the settings page, then every other one."""
    first = ["Europe/London", "Europe/Dublin", "UTC"]
    return first + sorted(zone for zone in _zones() if zone not in first and "/" in zone)


def stored_for(user_ids: list[int]) -> dict[int, NotificationSettings]:
    """The stored rows of several members (missing ones have the defaults)."""
    if not user_ids:
        return {}
    rows = db.session.scalars(select(NotificationSettings).where(NotificationSettings.user_id.in_(user_ids)))
    return {row.user_id: row for row in rows}
