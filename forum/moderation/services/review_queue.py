"""Assemble the moderation queue: what waits, with its context, in a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, not_, or_, select, union
from sqlalchemy.orm import contains_eager

from forum.discussion.models import Comment, CommentRevision, CommentStatus
from forum.moderation.models import Flag, FlagReason, FlagStatus, RuleHit, SafeguardingCase
from forum.moderation.services.members import AuthorRecord, author_records
from forum.moderation.services.rules import PERSONAL_DATA
from forum.platform.database import db
from forum.platform.errors import NotFound, ValidationFailed
from forum.platform.models import utcnow


@dataclass
class QueueItem:
    """One comment waiting for a moderator, with what they need to decide."""

    comment: Comment
    parent: Comment | None
    record: AuthorRecord
    hits: list[RuleHit] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    case: SafeguardingCase | None = None  # someone may be at risk: the safeguarding item, open or decided

    @property
    def safeguarding(self) -> bool:
        """An open safeguarding item: first in the queue, with its outcome still to record."""
        return self.case is not None and self.case.decided_at is None

    @property
    def rule_hits(self) -> list[RuleHit]:
        """The other rules' hits (personal data, links, banned words, repeats)."""
        return [h for h in self.hits if not h.rule.startswith("risk:")]

    @property
    def risk_hits(self) -> list[RuleHit]:
        """The words that raised a risk signal (rule ``risk:<signal>``)."""
        return [h for h in self.hits if h.rule.startswith("risk:")]

    @property
    def decision_kind(self) -> str:
        """What the comment itself is, for the decisions that fit it (a safeguarding item is still
        pending, flagged or published underneath)."""
        return self.state_kind()

    @property
    def kind(self) -> str:
        """safeguarding, flagged or pending (what the queue holds); published, rejected, removed or
        deleted otherwise."""
        c = self.comment
        if c.deleted_at is not None:
            return "deleted"
        if self.safeguarding:
            return "safeguarding"
        return self.state_kind()

    def state_kind(self) -> str:
        c = self.comment
        if c.deleted_at is not None:
            return "deleted"
        if c.status in (CommentStatus.REJECTED, CommentStatus.REMOVED):
            return c.status.value
        if self.flags or c.hidden_by_flags_at:
            return "flagged"
        return "pending" if c.status == CommentStatus.PENDING else "published"


# Why something waits, as moderators filter the queue: what held it, or what members reported.
HELD_REASONS = {
    "safeguarding": "Someone may be at risk",
    "new_member": "New member (no rule matched)",
    "personal_data": "Personal data",
    "link": "Link",
    "banned_word": "Banned word",
    "duplicate": "Repeated text",
}
REPORT_REASONS = {reason.value: f"Reported: {reason.label.lower()}" for reason in FlagReason}
# In the queue's order: safeguarding items come first, whatever else waits (_priority).
KINDS = {
    "safeguarding": "Someone may be at risk",
    "pending": "Waiting for approval",
    "reported": "Reported by members",
}
_RULES = {"personal_data": sorted(PERSONAL_DATA), "link": ["link"], "banned_word": ["banned_word"]}
_RULES["duplicate"] = ["duplicate"]


@dataclass(frozen=True)
class QueueFilter:
    """Narrow the queue to one kind (pending or reported) and one reason."""

    kind: str | None = None
    reason: str | None = None

    @classmethod
    def parse(cls, kind: str | None, reason: str | None) -> QueueFilter:
        """Read the filter from query arguments; empty means all.

        :raises ValidationFailed: for a kind or reason not on the lists.
        """
        kind, reason = (kind or "").strip() or None, (reason or "").strip() or None
        errors: dict[str, list[str]] = {}
        if kind is not None and kind not in KINDS:
            errors["kind"] = ["Choose someone may be at risk, pending or reported."]
        if reason is not None and reason not in HELD_REASONS and reason not in REPORT_REASONS:
            errors["reason"] = ["Choose a reason from the list."]
        if errors:
            raise ValidationFailed(errors=errors)
        return cls(kind, reason)

    @property
    def active(self) -> bool:
        return self.kind is not None or self.reason is not None

    def conditions(self) -> list[ColumnElement[bool]]:
        """Return the SQL conditions this filter adds to the queue's."""
        open_flags = select(Flag.comment_id).where(Flag.status == FlagStatus.OPEN)
        reported = or_(Comment.id.in_(open_flags), Comment.hidden_by_flags_at.is_not(None))
        at_risk = Comment.id.in_(_open_cases())
        out: list[ColumnElement[bool]] = []
        if self.kind == "safeguarding":
            out.append(at_risk)
        elif self.kind == "pending":
            out.append(and_(not_(reported), not_(at_risk)))
        elif self.kind == "reported":
            out.append(and_(reported, not_(at_risk)))
        if self.reason is None:
            return out
        matches: list[ColumnElement[bool]] = []
        if self.reason == "safeguarding":
            matches.append(at_risk)
        if self.reason == "new_member":
            has_hits = select(RuleHit.id).where(RuleHit.comment_id == Comment.id).exists()
            matches.append(and_(Comment.status == CommentStatus.PENDING, not_(reported), not_(has_hits)))
        if self.reason in _RULES:
            held = select(RuleHit.comment_id).where(RuleHit.rule.in_(_RULES[self.reason]))
            matches.append(and_(Comment.status == CommentStatus.PENDING, Comment.id.in_(held)))
        if self.reason in REPORT_REASONS:
            flagged = open_flags.where(Flag.reason == FlagReason(self.reason))
            matches.append(Comment.id.in_(flagged))
        out.append(or_(*matches))
        return out


@dataclass
class QueuePage:
    """One page of the queue and where it sits among the others."""

    items: list[QueueItem]
    total: int
    page: int
    pages: int
    per_page: int

    @property
    def first_number(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.items else 0

    @property
    def last_number(self) -> int:
        return self.first_number + len(self.items) - 1 if self.items else 0


def _open_cases() -> Select[Any]:
    return select(SafeguardingCase.comment_id).where(SafeguardingCase.decided_at.is_(None))


def _priority() -> ColumnElement[int]:
    """0 for an open safeguarding item, 1 for everything else: the queue's first ordering."""
    return case((Comment.id.in_(_open_cases()), 0), else_=1)


def _waiting() -> ColumnElement[bool]:
    """What waits: pending comments, published ones with open reports, and open safeguarding items
    whose outcome is still to record, not deleted.

    Membership in a union of two index lookups (pending comments by status, open reports), not
    "pending OR reported", which no index answers: the queue and the count in every moderator's
    header then cost what waits, not a scan of every comment ever written.
    """
    pending = select(Comment.id).where(Comment.status == CommentStatus.PENDING)
    flagged = select(Flag.comment_id).where(Flag.status == FlagStatus.OPEN)
    return and_(Comment.deleted_at.is_(None), Comment.id.in_(union(pending, flagged, _open_cases())))


def load_queue(limit: int = 200) -> list[QueueItem]:
    """Return what waits: safeguarding items first, then the rest, oldest first within each."""
    comments = db.session.scalars(_queue_select(_waiting()).limit(limit)).all()
    return _items(list(comments))


def load_queue_page(wanted: QueueFilter, page: int = 1, per_page: int = 25) -> QueuePage:
    """Return one page of the queue (safeguarding items first, then oldest first), narrowed by kind
    and reason.

    Costs the same queries whatever the queue's size: the count, the page, then (for a
    non-empty page) parents, rule hits, reports and two for the authors' records.
    """
    condition = and_(_waiting(), *wanted.conditions())
    total = db.session.scalar(select(func.count(Comment.id)).where(condition)) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    comments = db.session.scalars(
        _queue_select(condition).offset((page - 1) * per_page).limit(per_page)
    ).all()
    return QueuePage(_items(list(comments)), total, page, pages, per_page)


def _queue_select(condition: ColumnElement[bool]) -> Select[Comment]:
    return (
        select(Comment)
        .join(Comment.author)
        .join(Comment.article)
        .options(contains_eager(Comment.author), contains_eager(Comment.article))
        .where(condition)
        .order_by(_priority(), Comment.created_at, Comment.id)
    )


def _items(comments: list[Comment]) -> list[QueueItem]:
    if not comments:
        return []
    ids = [c.id for c in comments]
    parent_ids = {c.parent_id for c in comments if c.parent_id}
    author_ids = {c.author_id for c in comments}
    parents = _parents(parent_ids)
    hits: dict[int, list[RuleHit]] = {}
    for hit in db.session.scalars(select(RuleHit).where(RuleHit.comment_id.in_(ids)).order_by(RuleHit.start)):
        hits.setdefault(hit.comment_id, []).append(hit)
    flags: dict[int, list[Flag]] = {}
    for row in db.session.scalars(
        select(Flag).where(Flag.comment_id.in_(ids), Flag.status == FlagStatus.OPEN).order_by(Flag.created_at)
    ):
        flags.setdefault(row.comment_id, []).append(row)
    records = author_records(author_ids)
    cases = {
        row.comment_id: row
        for row in db.session.scalars(select(SafeguardingCase).where(SafeguardingCase.comment_id.in_(ids)))
    }
    return [
        QueueItem(
            c,
            parents.get(c.parent_id) if c.parent_id else None,
            records[c.author_id],
            hits.get(c.id, []),
            flags.get(c.id, []),
            cases.get(c.id),
        )
        for c in comments
    ]


def comment_item(comment_id: int) -> QueueItem:
    """Return any comment with what a moderator needs to act on it (as a queue item, queued or not).

    :raises NotFound: when there is no such comment.
    """
    comment = db.session.scalar(_queue_select(Comment.id == comment_id))
    if comment is None:
        raise NotFound("There is no such comment.")
    return _items([comment])[0]


def revisions(comment_id: int) -> list[CommentRevision]:
    """Return the earlier texts of a comment, oldest first (authors' edits and redactions)."""
    return list(
        db.session.scalars(
            select(CommentRevision)
            .where(CommentRevision.comment_id == comment_id)
            .order_by(CommentRevision.created_at, CommentRevision.id)
        )
    )


def queue_size() -> int:
    """Count what waits: pending comments and published ones with open reports."""
    return db.session.scalar(select(func.count(Comment.id)).where(_waiting())) or 0


def _parents(ids: set[int]) -> dict[int, Comment]:
    if not ids:
        return {}
    rows = db.session.scalars(
        select(Comment)
        .join(Comment.author)
        .options(contains_eager(Comment.author))
        .where(Comment.id.in_(ids))
    )
    return {c.id: c for c in rows}


def queue_gauges() -> list[tuple[str, str, dict[str, str], float]]:
    """The queue's depth and its oldest wait per kind, for /metrics (two small indexed queries)."""
    now = utcnow()
    pending = db.session.execute(
        select(func.count(Comment.id), func.min(Comment.created_at)).where(
            Comment.status == CommentStatus.PENDING, Comment.deleted_at.is_(None)
        )
    ).one()
    reported = db.session.execute(
        select(func.count(func.distinct(Flag.comment_id)), func.min(Flag.created_at)).where(
            Flag.status == FlagStatus.OPEN
        )
    ).one()
    out = []
    for kind, (depth, oldest) in (("pending", pending), ("reported", reported)):
        wait = (now - oldest).total_seconds() if oldest is not None else 0.0
        out.append(
            (
                "forum_moderation_queue_depth",
                "Comments waiting for a moderator.",
                {"kind": kind},
                float(depth),
            )
        )
        out.append(
            (
                "forum_moderation_queue_oldest_wait_seconds",
                "How long the oldest has waited.",
                {"kind": kind},
                wait,
            )
        )
    return out
