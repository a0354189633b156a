"""Remember when a member last read a thread, so their next visit can mark what is new.

A visit is a run of reads with gaps shorter than ``VISIT_GAP_MINUTES`` (30). Reading a thread
returns when the member's *previous* visit began to be seen (``since``): comments published after it
are "New". The row is written at most every ``SESSION_TOUCH_SECONDS`` (as sessions' ``last_seen_at``)
and never by the read's own transaction: the page view hands the write to ``after_read``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from forum.discussion.models import ThreadVisit
from forum.platform.database import db, insert_unless_present
from forum.platform.settings import setting_or

Write = Callable[[], None]


def read(user_id: int, article_id: int, now: datetime) -> tuple[datetime | None, Write | None]:
    """Return when the member's previous visit ended (None on a first visit), and the write that
    records this read (None when the row is recent enough to leave alone). One small indexed read.
    """
    row = db.session.execute(
        select(ThreadVisit.seen_at, ThreadVisit.since).where(
            ThreadVisit.user_id == user_id, ThreadVisit.article_id == article_id
        )
    ).one_or_none()
    return decide(user_id, article_id, now, row)


def new_visit_before(now: datetime) -> datetime:
    """A read now starts a new visit when the last one was seen before this moment."""
    return now - timedelta(minutes=int(setting_or("VISIT_GAP_MINUTES", 30)))


def decide(user_id: int, article_id: int, now: datetime, row: Any) -> tuple[datetime | None, Write | None]:
    """``read`` with the visit's row already read (``seen_at``, ``since``; None: never read it)."""
    if row is None or row.seen_at is None:
        return None, lambda: _insert(user_id, article_id, now)
    touch = timedelta(seconds=int(setting_or("SESSION_TOUCH_SECONDS", 300)))
    if row.seen_at < new_visit_before(now):  # a new visit: what came after the last one is new
        previous = row.seen_at
        return previous, lambda: _update(user_id, article_id, seen_at=now, since=previous)
    if now - row.seen_at > touch:
        return row.since, lambda: _update(user_id, article_id, seen_at=now)
    return row.since, None


def _update(user_id: int, article_id: int, **values: Any) -> None:
    where = (ThreadVisit.user_id == user_id, ThreadVisit.article_id == article_id)
    db.session.execute(update(ThreadVisit).where(*where).values(**values))


def _insert(user_id: int, article_id: int, now: datetime) -> None:
    """Add the member's first visit (nothing when another request added it a moment ago)."""
    insert_unless_present(
        ThreadVisit, {"user_id": user_id, "article_id": article_id, "seen_at": now, "since": None}
    )
