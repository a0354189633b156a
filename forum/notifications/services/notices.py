"""Tell members, in the app, what happened to their comments and who answered them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import cast

from sqlalchemy import ColumnElement, Integer, Select, Table, and_, bindparam, func, insert, select, update

from forum.accounts.models import User
from forum.notifications.models import Notification
from forum.notifications.services import emails
from forum.platform import jobs
from forum.platform.database import db
from forum.platform.models import utcnow


def notify_author(author_profile_id: int, comment_id: int, kind: str, message: str) -> Notification | None:
    """Leave a message for a comment's author, if they have an account (imported authors do not)."""
    user_id = db.session.scalar(select(User.id).where(User.profile_id == author_profile_id))
    if user_id is None:
        return None
    note = Notification(user_id=user_id, comment_id=comment_id, kind=kind, message=message)
    db.session.add(note)
    db.session.flush()
    return note


def notified_since(comment_id: int, kind: str, since: datetime) -> bool:
    """Whether a notice of this kind about the comment was left since then (to keep notices few)."""
    found = db.session.scalar(
        select(Notification.id)
        .where(
            Notification.comment_id == comment_id,
            Notification.kind == kind,
            Notification.created_at >= since,
        )
        .limit(1)
    )
    return found is not None


@dataclass(frozen=True)
class Notice:
    """A notice to leave for a member whose account is known (add_many)."""

    user_id: int
    comment_id: int | None
    kind: str
    message: str


def add_many(found: list[Notice]) -> list[int]:
    """Leave several notices in one statement (an INSERT of them all), each emailable one asking for
    its email as the flush subscriber does for a single notice (email_new_notices); return their ids."""
    if not found:
        return []
    now = utcnow()
    rows = [
        {
            "user_id": n.user_id,
            "comment_id": n.comment_id,
            "kind": n.kind,
            "message": n.message,
            "created_at": now,
        }
        for n in found
    ]
    table = cast(Table, Notification.__table__)  # the table: one INSERT whatever the rows hold
    ids = list(db.session.connection().execute(insert(table).returning(table.c.id), rows).scalars())
    for notice_id, notice in zip(ids, found, strict=True):
        if emails.emailable_notice(notice.kind):
            jobs.later(emails.NOTICE, notice=notice_id)
    return ids


def reply_notice(
    reply_id: int,
    reply_author_id: int,
    parent_user_id: int,
    parent_author_id: int,
    replier_name: str,
    article_title: str,
    *,
    flush: bool = True,
) -> Notification | None:
    """Tell the author of an answered comment that a reply to it is published (nothing when they answer
    themselves); the caller has looked up the parent's author and account."""
    if parent_author_id == reply_author_id:
        return None
    note = Notification(
        user_id=parent_user_id,
        comment_id=reply_id,
        kind="comment.reply",
        message=f"{replier_name} replied to your comment on “{article_title}”.",
    )
    db.session.add(note)
    if flush:
        db.session.flush()
    return note


def unread_count(user: User) -> int:
    """Count the member's unread notifications."""
    return db.session.scalar(_unread(), {"user_id": user.id}) or 0


@cache
def _unread() -> Select[int]:
    """``unread_count``'s statement, built once: every logged-in page shows the count."""
    return select(func.count(Notification.id)).where(unread_of(bindparam("user_id", type_=Integer)))


def unread_of(user_id: ColumnElement[int]) -> ColumnElement[bool]:
    """The condition "this notification is the member's and unread" (their header's count)."""
    return and_(Notification.user_id == user_id, Notification.read_at.is_(None))


def list_for(user: User, limit: int = 100) -> list[Notification]:
    """Return the member's notifications, newest first."""
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def mark_all_read(user: User) -> int:
    """Mark every unread notification read; return how many."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return int(getattr(result, "rowcount", 0) or 0)
