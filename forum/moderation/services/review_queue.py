"""Assemble the moderation queue: what waits (queue_kinds.py), with its context, in fixed queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, not_, or_, select, tuple_
from sqlalchemy.orm import contains_eager

from forum.accounts.models import User
from forum.discussion.models import Comment, CommentRevision, CommentStatus, EditStatus, HeldEdit
from forum.moderation.models import Appeal, Flag, FlagReason, FlagStatus, RuleHit, SafeguardingCase
from forum.moderation.services import queue_kinds
from forum.moderation.services.audit_log import find_account
from forum.moderation.services.members import AuthorRecord, author_records
from forum.moderation.services.queue_kinds import QueueKind
from forum.moderation.services.rules import PERSONAL_DATA, explain_for_moderators
from forum.platform import cursors
from forum.platform.database import db
from forum.platform.errors import NotFound, ValidationFailed
from forum.platform.ids import parse_id


@dataclass
class QueueItem:
    """One comment waiting for a moderator (or any comment a moderator looks at), with what they need."""

    comment: Comment
    parent: Comment | None
    record: AuthorRecord
    hits: list[RuleHit] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    waits_as: QueueKind | None = None  # the first kind it waits as (queue_kinds.KINDS), None: it does not
    edit: HeldEdit | None = None  # the edit waiting for a moderator
    appeal: Appeal | None = None  # the author's appeal (waiting or decided)
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
        """What the comment itself is, for the decisions that fit it: a safeguarding item is still
        reported, pending, an edit or published underneath."""
        if self.kind != "safeguarding":
            return self.kind
        c = self.comment
        if self.flags or c.hidden_by_flags_at is not None:
            return "flagged"
        if self.edit is not None:
            return "edit"
        if c.status in (CommentStatus.REJECTED, CommentStatus.REMOVED):
            return c.status.value
        return "pending" if c.status == CommentStatus.PENDING else "published"

    @property
    def kind(self) -> str:
        """What it waits as (flagged, pending, edit, appeal...); published, rejected, removed or deleted
        when it waits for nothing."""
        c = self.comment
        if c.deleted_at is not None:
            return "deleted"
        if self.waits_as is not None:
            return self.waits_as.item_kind
        if c.status in (CommentStatus.REJECTED, CommentStatus.REMOVED):
            return c.status.value
        return "pending" if c.status == CommentStatus.PENDING else "published"

    @property
    def tag(self) -> str:
        return self.waits_as.tag if self.waits_as else self.kind.capitalize()

    @property
    def why(self) -> str | None:
        """Why it waits, written for moderators (the author reads ``held_because``)."""
        c = self.comment
        if self.kind == "safeguarding":
            return "It may say someone is at risk: read it first, then record the outcome below."
        if self.kind == "appeal":
            return "Its author appeals against the decision."
        if c.hidden_by_flags_at is not None:
            return f"Hidden after {plural(len({f.flagger_id for f in self.flags}), 'member')} reported it."
        if self.flags:
            return None  # the reports below say it
        rules_found = [h.rule for h in self.hits]
        if not rules_found and (c.status == CommentStatus.PENDING or self.edit is not None):
            rules_found = ["premoderation" if self.record.premoderated else "new_member"]
        return explain_for_moderators(rules_found) or None


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


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
KINDS = queue_kinds.LABELS
_RULES = {"personal_data": sorted(PERSONAL_DATA), "link": ["link"], "banned_word": ["banned_word"]}
_RULES["duplicate"] = ["duplicate"]


@dataclass(frozen=True)
class QueueFilter:
    """Narrow the queue to one kind, one reason and one member (by name, email or number)."""

    kind: str | None = None
    reason: str | None = None
    member: str | None = None  # as typed (a name, an email or an account number)
    author_profile_id: int | None = None  # the member's profile, once found

    @classmethod
    def parse(cls, kind: str | None, reason: str | None, member: str | None = None) -> QueueFilter:
        """Read the filter from query arguments; empty means all.

        :raises ValidationFailed: for a kind or reason not on the lists, or a member nobody is.
        """
        kind, reason = (kind or "").strip() or None, (reason or "").strip() or None
        member = (member or "").strip()[:254] or None
        errors: dict[str, list[str]] = {}
        profile_id = None
        if member is not None:
            found = parse_id(member)
            try:
                user_id = found if found is not None else find_account(member)
                profile_id = db.session.scalar(select(User.profile_id).where(User.id == user_id))
                if profile_id is None:
                    raise ValidationFailed(errors={"person": ["There is no member with that number."]})
            except ValidationFailed as exc:
                errors["member"] = exc.errors["person"]
        if kind is not None and kind not in KINDS:
            errors["kind"] = [f"Choose {', '.join(list(KINDS)[:-1])} or {list(KINDS)[-1]}."]
        if reason is not None and reason not in HELD_REASONS and reason not in REPORT_REASONS:
            errors["reason"] = ["Choose a reason from the list."]
        if errors:
            raise ValidationFailed(errors=errors)
        return cls(kind, reason, member, profile_id)

    @property
    def active(self) -> bool:
        return self.kind is not None or self.reason is not None or self.member is not None

    def conditions(self) -> list[ColumnElement[bool]]:
        """Return the SQL conditions this filter adds to the queue's."""
        open_flags = select(Flag.comment_id).where(Flag.status == FlagStatus.OPEN)
        reported = or_(Comment.id.in_(open_flags), Comment.hidden_by_flags_at.is_not(None))
        out: list[ColumnElement[bool]] = []
        if self.author_profile_id is not None:
            out.append(Comment.author_id == self.author_profile_id)
        if self.kind is not None:
            out.append(queue_kinds.priority() == queue_kinds.BY_KEY[self.kind].priority)
        if self.reason is None:
            return out
        matches: list[ColumnElement[bool]] = []
        if self.reason == "safeguarding":
            matches.append(Comment.id.in_(queue_kinds.BY_KEY["safeguarding"].waiting()))
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


def waiting() -> ColumnElement[bool]:
    """What waits (every kind of queue_kinds.KINDS), not deleted.

    Membership in a union of index lookups (pending comments by status, open reports, held edits,
    appeals), not an OR of them, which no index answers: the queue and the count in every
    moderator's header then cost what waits, not a scan of every comment ever written.
    """
    return and_(Comment.deleted_at.is_(None), Comment.id.in_(queue_kinds.waiting_ids()))


def load_queue(limit: int = 200) -> list[QueueItem]:
    """Return what waits, by kind (queue_kinds.KINDS's priority), oldest first within a kind."""
    return _items(db.session.execute(_queue_select(waiting()).limit(limit)).all())


def load_queue_page(wanted: QueueFilter, page: int = 1, per_page: int = 25) -> QueuePage:
    """Return one page of the queue, by kind then oldest first, narrowed by kind and reason.

    Costs the same queries whatever the queue's size: the count, the page, then (for a
    non-empty page) parents, rule hits, reports, held edits, appeals and the authors' records.
    """
    condition = and_(waiting(), *wanted.conditions())
    total = db.session.scalar(select(func.count(Comment.id)).where(condition)) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    rows = db.session.execute(_queue_select(condition).offset((page - 1) * per_page).limit(per_page)).all()
    return QueuePage(_items(rows), total, page, pages, per_page)


@dataclass
class QueueSlice:
    """What the API pages through: some items, the total matching, and where the next ones start."""

    items: list[QueueItem]
    total: int
    next_cursor: str | None


def load_queue_after(wanted: QueueFilter, after: str | None, limit: int = 50) -> QueueSlice:
    """Return up to ``limit`` items after the ``after`` cursor, in the page's order (for the API).

    :raises ValidationFailed: for a cursor that is not one of ours.
    """
    condition = and_(waiting(), *wanted.conditions())
    total = db.session.scalar(select(func.count(Comment.id)).where(condition)) or 0
    statement = _queue_select(condition)
    if after:
        rank, when, number = decode_cursor(after)
        statement = statement.where(
            tuple_(queue_kinds.priority(), Comment.created_at, Comment.id) > tuple_(rank, when, number)
        )
    rows = db.session.execute(statement.limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if more and rows:
        last, rank = rows[-1][0], rows[-1][1]
        next_cursor = f"{rank}.{cursors.encode(last.created_at, last.id)}"
    return QueueSlice(_items(rows), total, next_cursor)


def decode_cursor(cursor: str) -> tuple[int, datetime, int]:
    """Read an ``after`` cursor: the kind's priority, the time and the id it follows.

    :raises ValidationFailed: for a cursor that is not one of ours.
    """
    rank, _, rest = cursor.partition(".")
    if not rank.isdigit() or len(rank) > 6:
        raise ValidationFailed(errors={"after": ["Not a valid cursor; use the next_cursor you were given."]})
    when, number = cursors.decode(rest)
    return int(rank), when, number


def _queue_select(condition: ColumnElement[bool]) -> Select[Comment, int]:
    rank = queue_kinds.priority().label("rank")
    return (
        select(Comment, rank)
        .join(Comment.author)
        .join(Comment.article)
        .options(contains_eager(Comment.author), contains_eager(Comment.article))
        .where(condition)
        .order_by(rank, Comment.created_at, Comment.id)
    )


def _items(rows: Sequence[Any]) -> list[QueueItem]:
    if not rows:
        return []
    comments = [row[0] for row in rows]
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
    edits = {
        e.comment_id: e
        for e in db.session.scalars(
            select(HeldEdit).where(HeldEdit.comment_id.in_(ids), HeldEdit.status == EditStatus.PENDING)
        )
    }
    appeals = {a.comment_id: a for a in db.session.scalars(select(Appeal).where(Appeal.comment_id.in_(ids)))}
    cases = {
        case.comment_id: case
        for case in db.session.scalars(select(SafeguardingCase).where(SafeguardingCase.comment_id.in_(ids)))
    }
    records = author_records(author_ids)
    return [
        QueueItem(
            c,
            parents.get(c.parent_id) if c.parent_id else None,
            records[c.author_id],
            hits.get(c.id, []),
            flags.get(c.id, []),
            queue_kinds.kind_of(rank) if c.deleted_at is None else None,
            edits.get(c.id),
            appeals.get(c.id),
            cases.get(c.id),
        )
        for c, rank in rows
    ]


def comment_item(comment_id: int) -> QueueItem:
    """Return any comment with what a moderator needs to act on it (as a queue item, queued or not).

    :raises NotFound: when there is no such comment.
    """
    row = db.session.execute(_queue_select(Comment.id == comment_id)).first()
    if row is None:
        raise NotFound("There is no such comment.")
    return _items([row])[0]


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
    return db.session.scalar(select(func.count(Comment.id)).where(waiting())) or 0


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
