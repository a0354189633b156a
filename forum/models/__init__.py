"""Expose every model so Alembic and the services see one metadata."""

from forum.models.article import Article
from forum.models.base import Base
from forum.models.comment import Comment
from forum.models.enums import ArticleKind, CommentStatus, Role, RoleSource
from forum.models.profile import Profile

__all__ = ["Article", "ArticleKind", "Base", "Comment", "CommentStatus", "Profile", "Role", "RoleSource"]
