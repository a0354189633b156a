"""Alert moderators when something has waited too long: comments held for approval, open reports.

Run every few minutes by the worker: when the oldest waiting item is older than
MODERATION_ALERT_AFTER hours (4 by default), each moderator who wants these alerts gets one email,
at most one an hour, saying how many items wait and linking to the queue (never their text).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, union_all

from forum.accounts.models import Access, User
from forum.discussion.models import Comment, CommentStatus
from forum.moderation.models import Flag, FlagStatus
from forum.notifications.services import alerts
from forum.platform.database import db
from forum.platform.models import utcnow
from forum.platform.settings import setting


def check_waiting(now: datetime | None = None) -> int:
    """Email the moderators if anything has waited too long; return how many alerts were queued."""
    now = now or utcnow()
    hours = float(setting("MODERATION_ALERT_AFTER"))
    cutoff = now - timedelta(hours=hours)
    waiting = union_all(
        select(Comment.created_at.label("since")).where(
            Comment.status == CommentStatus.PENDING,
            Comment.deleted_at.is_(None),
            Comment.created_at <= cutoff,
        ),
        select(Flag.created_at.label("since")).where(
            Flag.status == FlagStatus.OPEN, Flag.created_at <= cutoff
        ),
    ).subquery()
    count, oldest = db.session.execute(select(func.count(), func.min(waiting.c.since))).one()
    if not count:
        return 0
    if isinstance(oldest, str):  # SQLite hands back text from a union
        oldest = datetime.fromisoformat(oldest)
    if oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=UTC)
    moderators = db.session.scalars(select(User.id).where(User.access.in_([Access.MODERATOR, Access.ADMIN])))
    return len(alerts.waiting_alert(list(moderators), int(count), oldest, hours))
