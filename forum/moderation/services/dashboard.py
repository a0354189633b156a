"""Sum up the moderators' work: what waits by kind and for how long, safeguarding times, decisions a day.

A fixed handful of queries, whatever the forum's size: each is bounded by what waits now or by the
last 30 days (docs/safeguarding.md, "The dashboard").
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select

from forum.discussion.models import Comment
from forum.moderation.models import AuditEntry, SafeguardingCase
from forum.moderation.services import queue_depth
from forum.platform.database import db
from forum.platform.models import utcnow

DAYS = 30
DECISIONS = (
    "comment.approved",
    "comment.rejected",
    "comment.removed",
    "comment.redacted",
    "safeguarding.decided",
)


@dataclass(frozen=True)
class Waiting:
    """How many of one kind wait (queue_kinds.KINDS), and since when the oldest has."""

    kind: str
    label: str
    count: int
    oldest: datetime | None

    def wait(self, now: datetime) -> timedelta | None:
        return now - self.oldest if self.oldest else None


@dataclass(frozen=True)
class Dashboard:
    """The dashboard's figures at ``now``."""

    now: datetime
    waiting: list[Waiting]
    safeguarding_open: int
    safeguarding_unread: int
    median_to_first_read: timedelta | None
    median_to_decision: timedelta | None
    safeguarding_decided: int
    decisions_per_day: list[tuple[date, int]]


def _aware(value: datetime | str | None) -> datetime | None:
    if isinstance(value, str):  # SQLite hands back text from an aggregate
        value = datetime.fromisoformat(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def _median(durations: list[timedelta]) -> timedelta | None:
    return timedelta(seconds=statistics.median(d.total_seconds() for d in durations)) if durations else None


def build(now: datetime | None = None) -> Dashboard:
    """Gather the dashboard (moderators only; the caller checks)."""
    now = now or utcnow()
    live = Comment.deleted_at.is_(None)
    safeguarding = db.session.execute(
        select(func.count(), func.count(SafeguardingCase.first_read_at))
        .join(Comment, Comment.id == SafeguardingCase.comment_id)
        .where(SafeguardingCase.decided_at.is_(None), live)
    ).one()
    waiting = [Waiting(w.kind.key, w.kind.label, w.count, w.oldest) for w in queue_depth.waiting_by_kind()]
    since = now - timedelta(days=DAYS)
    recent = db.session.execute(
        select(SafeguardingCase.opened_at, SafeguardingCase.first_read_at, SafeguardingCase.decided_at).where(
            or_(SafeguardingCase.opened_at >= since, SafeguardingCase.decided_at >= since)
        )
    ).all()
    to_read = [_aware(r) - _aware(o) for o, r, _ in recent if r is not None]  # type: ignore[operator]
    to_decide = [_aware(d) - _aware(o) for o, _, d in recent if d is not None]  # type: ignore[operator]
    day = func.date(AuditEntry.created_at)
    per_day: dict[Any, Any] = dict(
        db.session.execute(
            select(day, func.count())
            .where(AuditEntry.created_at >= since, AuditEntry.action.in_(DECISIONS))
            .group_by(day)
        ).all()
    )
    days = [(since + timedelta(days=i + 1)).date() for i in range(DAYS)]
    counts = {str(k): int(v) for k, v in per_day.items()}
    return Dashboard(
        now=now,
        waiting=waiting,
        safeguarding_open=int(safeguarding[0]),
        safeguarding_unread=int(safeguarding[0]) - int(safeguarding[1]),
        median_to_first_read=_median(to_read),
        median_to_decision=_median(to_decide),
        safeguarding_decided=len(to_decide),
        decisions_per_day=[(d, counts.get(d.isoformat(), 0)) for d in days],
    )
