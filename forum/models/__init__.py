"""Expose every model so Alembic and the services see one metadata."""

from forum.models.article import Article
from forum.models.base import Base
from forum.models.comment import Comment, CommentRevision
from forum.models.enums import Access, ArticleKind, CommentStatus, Role, RoleSource
from forum.models.profile import Profile
from forum.models.user import ApiToken, User

__all__ = [
    "Access",
    "ApiToken",
    "Article",
    "ArticleKind",
    "Base",
    "Comment",
    "CommentRevision",
    "CommentStatus",
    "Profile",
    "Role",
    "RoleSource",
    "User",
]
