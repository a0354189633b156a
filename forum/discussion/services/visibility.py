"""Express in SQL which comments a viewer may see (the same rule as permissions.can_see_comment)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, or_, true

from forum.accounts.services.viewer import Viewer
from forum.discussion.models import Comment, CommentStatus


def visible_comments(viewer: Viewer, entity: Any = Comment) -> ColumnElement[bool]:
    """Return a WHERE clause selecting the comments ``viewer`` may see (``entity``: Comment or an alias)."""
    if viewer.is_moderator:
        return true()
    if viewer.profile_id is None:
        return entity.status == CommentStatus.APPROVED
    return or_(entity.status == CommentStatus.APPROVED, entity.author_id == viewer.profile_id)


def public_comments() -> ColumnElement[bool]:
    """Return a WHERE clause for what everyone may see and count (lists, feeds, counts)."""
    return and_(Comment.status == CommentStatus.APPROVED, Comment.deleted_at.is_(None))


def countable_comments(viewer: Viewer) -> ColumnElement[bool]:
    """Return a WHERE clause for the comments counted for ``viewer``: visible and not deleted."""
    return and_(visible_comments(viewer), Comment.deleted_at.is_(None))
