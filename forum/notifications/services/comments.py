"""Ask the discussion about comments an email mentions: only what is published now, and where it is.

Notifications sits below the discussion, so it cannot read comments itself; the discussion installs
its answers here in ``create_app`` (forum/discussion/wiring.py), as moderation installs the
publication gate. Without it, no email quotes a comment (they are skipped).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from forum.platform.settings import extension

_EXTENSION = "forum.notifications.comments"


@dataclass(frozen=True)
class Excerpt:
    """A published comment as an email quotes it."""

    id: int
    article_id: int
    article_title: str
    author_name: str
    author_user_id: int | None
    text: str
    url: str  # the comment in its thread, absolute (PUBLIC_URL)
    article_url: str
    published_at: datetime


@dataclass(frozen=True)
class About:
    """What a notice about a member's own comment links to, whatever the comment's state."""

    article_title: str
    url: str  # opens the comment for its author (and moderators); nobody else
    decided_by_user_id: int | None


@dataclass(frozen=True)
class FollowedThread:
    """A thread a member follows, as their settings page lists it."""

    slug: str
    title: str


class Comments(Protocol):
    """What the discussion answers about comments."""

    def published(self, ids: Sequence[int]) -> dict[int, Excerpt]:
        """The comments among ``ids`` that anyone may read now (approved, not deleted, article published)."""
        ...

    def about(self, comment_id: int) -> About | None:
        """Where a comment is and who last decided it, or None when it no longer exists."""
        ...

    def followed_by(self, user_id: int) -> list[FollowedThread]:
        """The threads a member follows, newest follow first."""
        ...


class NoComments:
    """Nothing is known about comments: emails that would quote one are not sent."""

    def published(self, ids: Sequence[int]) -> dict[int, Excerpt]:
        return {}

    def about(self, comment_id: int) -> About | None:
        return None

    def followed_by(self, user_id: int) -> list[FollowedThread]:
        return []


def current() -> Comments:
    """The app's source of comments (the discussion's, once installed)."""
    found: Comments = extension(_EXTENSION) or NoComments()
    return found


EXTENSION = _EXTENSION
