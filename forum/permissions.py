"""Name who may do what, in one place; views, API and templates all ask here."""

from __future__ import annotations

from datetime import datetime, timedelta

from forum.accounts.services.viewer import Viewer
from forum.discussion.models import Article, Comment, CommentStatus


def can_see(viewer: Viewer, status: CommentStatus, author_id: int) -> bool:
    """Approved comments are public; others only to their author and moderators."""
    return (
        status == CommentStatus.APPROVED
        or viewer.is_moderator
        or (viewer.profile_id is not None and author_id == viewer.profile_id)
    )


def can_see_comment(viewer: Viewer, comment: Comment) -> bool:
    """Tell whether ``viewer`` may see ``comment`` (see can_see)."""
    return can_see(viewer, comment.status, comment.author_id)


def is_author(viewer: Viewer, comment: Comment) -> bool:
    """Tell whether ``viewer`` wrote ``comment``."""
    return viewer.profile_id is not None and comment.author_id == viewer.profile_id


def can_post(viewer: Viewer, article: Article) -> bool:
    """Members may comment on articles whose comments are open."""
    return not viewer.is_anonymous and article.comments_open


def can_edit_comment(viewer: Viewer, comment: Comment, now: datetime, window: timedelta) -> bool:
    """Authors may edit their own, undeleted comment within the edit window."""
    return is_author(viewer, comment) and not comment.is_deleted and now - comment.created_at <= window


def can_delete_comment(viewer: Viewer, comment: Comment) -> bool:
    """Authors may delete their own comment at any time."""
    return is_author(viewer, comment) and not comment.is_deleted


def can_moderate(viewer: Viewer) -> bool:
    """Moderators and admins work the queue, see everything and act on members."""
    return viewer.is_moderator


def can_administer(viewer: Viewer) -> bool:
    """Admins change access levels and the banned-word list."""
    return viewer.is_admin


def can_flag(viewer: Viewer, comment: Comment) -> bool:
    """Members may report others' published comments."""
    return (
        not viewer.is_anonymous
        and comment.status == CommentStatus.APPROVED
        and comment.deleted_at is None
        and comment.author_id != viewer.profile_id
    )
