"""Ask the publication gate what becomes of a comment: published at once, or held for a moderator.

Every new comment and every edit passes the gate. The discussion knows that, not how the gate
decides: the moderation feature installs the real one (``forum/moderation/services/policy.py``) on
each app in ``create_app``. Without one (the discussion on its own) every comment is published.

Posting reads everything it needs in one statement, so the gate hands posting the columns it wants
read about the author (``columns``, bound by ``parameters``) and judges from that row; an edit is
judged alone. What the gate found (which rule matched where) is opaque here: posting hands it back
to the gate to keep once the comment has an id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import ColumnElement

from forum.accounts.models import User
from forum.discussion.models import CommentStatus
from forum.platform.settings import extension

EXTENSION = "forum.publication_gate"


@dataclass(frozen=True)
class Verdict:
    """What the gate decided for a comment's text, and why."""

    status: CommentStatus  # for an edit: PENDING holds it, anything else lets it stand
    held_because: str | None = None  # said to the author, in plain words
    findings: Sequence[object] = field(default_factory=tuple)  # for the gate's own records
    offer_help: bool = False  # the writer may be in crisis: show them where to get help now
    # For an edit of a published comment: hold the new text for review, readers keeping the approved
    # one (the author is still pre-moderated), rather than taking the comment back to the queue.
    hold_edit: bool = False


class Gate(Protocol):
    """What the discussion asks of whoever decides publication (one object per app, hashable)."""

    def __hash__(self) -> int: ...

    def columns(self) -> Sequence[ColumnElement[Any]]:
        """Columns about the author that posting reads along with the article (bound by parameters)."""
        ...

    def parameters(self, author: User, text: str, now: datetime) -> dict[str, Any]:
        """The values ``columns`` are bound to for ``author`` posting ``text`` at ``now``."""
        ...

    def judge_new(self, author: User, text: str, row: Any) -> Verdict:
        """Judge a new comment from the row holding ``columns`` (no queries)."""
        ...

    def judge_edit(self, author: User, text: str, published: bool = True) -> Verdict:
        """Judge new text for an existing comment, ``published`` or not (reads what it needs)."""
        ...

    def keep(self, comment_id: int, verdict: Verdict, *, replacing: bool = False) -> None:
        """Keep what the verdict found on the comment (``replacing`` what an earlier text had)."""
        ...


class OpenGate:
    """Publish everything: the gate of a discussion that nobody moderates."""

    def columns(self) -> Sequence[ColumnElement[Any]]:
        return ()

    def parameters(self, author: User, text: str, now: datetime) -> dict[str, Any]:
        return {}

    def judge_new(self, author: User, text: str, row: Any) -> Verdict:
        return Verdict(CommentStatus.APPROVED)

    def judge_edit(self, author: User, text: str, published: bool = True) -> Verdict:
        return Verdict(CommentStatus.APPROVED)

    def keep(self, comment_id: int, verdict: Verdict, *, replacing: bool = False) -> None:
        return None


OPEN = OpenGate()


def current() -> Gate:
    """The gate installed on the current app (the open gate if none is)."""
    found: Gate = extension(EXTENSION, OPEN)
    return found
