"""Name what waits in the moderation queue, in one ordered list: each kind, its priority and its rows.

A comment can wait for more than one reason (a reported comment with a held edit); it is shown once,
as the kind of highest priority it has. Adding a kind is one entry in ``KINDS``: the filter, the
page's tags, the API's ``kind``, what counts as waiting and the queue's order all come from here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, case, literal, select, union

from forum.discussion.models import Comment, CommentStatus, EditStatus, HeldEdit
from forum.moderation.models import Appeal, AppealStatus, Flag, FlagStatus, SafeguardingCase


@dataclass(frozen=True)
class QueueKind:
    """One reason a comment waits for a moderator."""

    key: str  # the filter's value (?kind=...)
    item_kind: str  # the item's kind in the page (tag--...) and the API
    label: str  # the filter's option
    tag: str  # the item's tag in the queue
    priority: int  # lower comes first
    waiting: Callable[[], Select[Any]]  # the ids of the comments waiting for this reason


def _safeguarding() -> Select[Any]:
    """Comments that say someone may be at risk, whose safeguarding outcome is still to record."""
    return select(SafeguardingCase.comment_id).where(SafeguardingCase.decided_at.is_(None))


def _reported() -> Select[Any]:
    return select(Flag.comment_id).where(Flag.status == FlagStatus.OPEN)


def _pending() -> Select[Any]:
    return select(Comment.id).where(Comment.status == CommentStatus.PENDING)


def _edits() -> Select[Any]:
    return select(HeldEdit.comment_id).where(HeldEdit.status == EditStatus.PENDING)


def _appeals() -> Select[Any]:
    return select(Appeal.comment_id).where(Appeal.status == AppealStatus.PENDING)


AT_RISK = "Someone may be at risk"
KINDS: tuple[QueueKind, ...] = tuple(
    sorted(
        (
            # First, whatever else waits: a person reads these before anything else (docs/safeguarding.md).
            QueueKind("safeguarding", "safeguarding", AT_RISK, AT_RISK, 0, _safeguarding),
            QueueKind("reported", "flagged", "Reported by members", "Reported", 10, _reported),
            QueueKind("pending", "pending", "Waiting for approval", "Pending", 20, _pending),
            QueueKind("edit", "edit", "Edits waiting for approval", "Edit", 30, _edits),
            QueueKind("appeal", "appeal", "Appeals", "Appeal", 40, _appeals),
        ),
        key=lambda kind: kind.priority,
    )
)
BY_KEY = {kind.key: kind for kind in KINDS}
BY_PRIORITY = {kind.priority: kind for kind in KINDS}
LABELS = {kind.key: kind.label for kind in KINDS}


def waiting_ids() -> Select[Any]:
    """Every comment id that waits for some reason (a union of index lookups, one per kind)."""
    return select(union(*(kind.waiting() for kind in KINDS)).subquery().c[0])


def priority() -> ColumnElement[int]:
    """The priority of a comment's first kind, as a column (NULL when it does not wait)."""
    return case(
        *((Comment.id.in_(kind.waiting()), literal(kind.priority, Integer)) for kind in KINDS),
        else_=None,
    )


def kind_of(priority_value: int | None) -> QueueKind | None:
    """The kind a comment waits as, from its priority column."""
    return None if priority_value is None else BY_PRIORITY.get(int(priority_value))
