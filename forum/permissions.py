"""Name who may do what, in one place; views, API and templates all ask here."""

from __future__ import annotations

from dataclasses import dataclass

from forum.models import Comment, CommentStatus


@dataclass(frozen=True)
class Viewer:
    """Who is looking: their profile (if any) and whether they moderate."""

    profile_id: int | None = None
    is_moderator: bool = False

    @property
    def is_anonymous(self) -> bool:
        return self.profile_id is None


ANONYMOUS = Viewer()


def can_see_comment(viewer: Viewer, comment: Comment) -> bool:
    """Approved comments are public; others only to their author and moderators."""
    return (
        comment.status == CommentStatus.APPROVED
        or viewer.is_moderator
        or (viewer.profile_id is not None and comment.author_id == viewer.profile_id)
    )
