"""Say what stands in a thread in place of a comment a reader may not see, so its replies keep their place.

A comment under review, taken down or deleted by its author still carries its published replies:
readers see a placeholder in its place ("This comment is being reviewed"), never its text, name or
profile. The causes are one ordered list; the first that applies is shown. Adding a cause (as the
former member's comments were) is one entry in ``CAUSES``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from forum.discussion.models import CommentStatus, RejectReason


class PlaceholderFacts(Protocol):
    """What the causes read of a comment (a model row or a thread's plain row)."""

    @property
    def status(self) -> CommentStatus: ...
    @property
    def deleted_at(self) -> datetime | None: ...
    @property
    def reject_reason(self) -> RejectReason | None: ...
    @property
    def author_erased_at(self) -> datetime | None: ...


@dataclass(frozen=True)
class Cause:
    """One reason a placeholder stands in a comment's place, and what it says."""

    key: str  # in the JSON: placeholder.cause
    applies: Callable[[PlaceholderFacts, bool], bool]  # (the comment, may the viewer see it)
    says: Callable[[PlaceholderFacts], str]


def _removed_text(c: PlaceholderFacts) -> str:
    reason = c.reject_reason.label.lower() if c.reject_reason else "house rules"
    return f"Removed by a moderator: {reason}"


CAUSES: tuple[Cause, ...] = (
    # First: once a member has erased their account nothing of theirs is shown, whatever its status.
    Cause(
        "former_member",
        lambda c, _visible: c.author_erased_at is not None,
        lambda c: "Comment by a former member",
    ),
    Cause("deleted", lambda c, _visible: c.deleted_at is not None, lambda c: "Deleted by its author"),
    Cause(
        "removed",
        lambda c, visible: not visible and c.status in (CommentStatus.REMOVED, CommentStatus.REJECTED),
        _removed_text,
    ),
    Cause(
        "review",
        lambda c, visible: not visible and c.status == CommentStatus.PENDING,
        lambda c: "This comment is being reviewed",
    ),
)
BY_KEY = {cause.key: cause for cause in CAUSES}


def cause_of(comment: PlaceholderFacts, visible: bool) -> Cause | None:
    """The first cause that applies to ``comment`` for a viewer who may (``visible``) or may not see it."""
    return next((cause for cause in CAUSES if cause.applies(comment, visible)), None)
