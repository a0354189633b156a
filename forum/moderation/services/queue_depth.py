"""How much waits in the moderation queue, by kind, and for how long: /metrics and the dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select

from forum.discussion.models import Comment
from forum.moderation.services import queue_kinds, review_queue
from forum.moderation.services.queue_kinds import QueueKind
from forum.platform.database import db
from forum.platform.models import utcnow


@dataclass(frozen=True)
class KindWaiting:
    """How many comments wait as one kind, and since when the oldest has (its comment's time)."""

    kind: QueueKind
    count: int
    oldest: datetime | None


def waiting_by_kind() -> list[KindWaiting]:
    """Every kind of queue_kinds.KINDS with how many wait as it and the oldest (one grouped query)."""
    rank = queue_kinds.priority().label("rank")
    rows = db.session.execute(
        select(rank, func.count(Comment.id), func.min(Comment.created_at))
        .where(review_queue.waiting())
        .group_by(rank)
    ).all()
    found = {int(r[0]): (int(r[1]), r[2]) for r in rows if r[0] is not None}
    out = []
    for kind in queue_kinds.KINDS:
        count, oldest = found.get(kind.priority, (0, None))
        if isinstance(oldest, str):  # SQLite hands back text from an aggregate
            oldest = datetime.fromisoformat(oldest)
        if oldest is not None and oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=UTC)
        out.append(KindWaiting(kind, count, oldest))
    return out


def queue_gauges() -> list[tuple[str, str, dict[str, str], float]]:
    """The queue's depth and its oldest wait per kind, for /metrics."""
    now = utcnow()
    out = []
    for waiting in waiting_by_kind():
        labels = {"kind": waiting.kind.key}
        wait = (now - waiting.oldest).total_seconds() if waiting.oldest is not None else 0.0
        out.append(
            (
                "forum_moderation_queue_depth",
                "Comments waiting for a moderator.",
                labels,
                float(waiting.count),
            )
        )
        out.append(
            ("forum_moderation_queue_oldest_wait_seconds", "How long the oldest has waited.", labels, wait)
        )
    return out
