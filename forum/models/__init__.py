"""Expose every model so Alembic and the services see one metadata."""

from forum.models.article import PUBLISHED_ARTICLES, Article, SiteCounter
from forum.models.audit import AuditEntry
from forum.models.base import Base
from forum.models.comment import Comment, CommentRevision
from forum.models.enums import (
    Access,
    ArticleKind,
    CommentStatus,
    FlagReason,
    FlagStatus,
    RejectReason,
    Role,
    RoleSource,
    SanctionKind,
)
from forum.models.moderation import BannedWord, Flag, MemberNote, Notification, RuleHit, Sanction
from forum.models.profile import Profile
from forum.models.session import PasswordReset, Registration, UserSession
from forum.models.user import ApiToken, User

__all__ = [
    "PUBLISHED_ARTICLES",
    "Access",
    "ApiToken",
    "Article",
    "ArticleKind",
    "AuditEntry",
    "BannedWord",
    "Base",
    "Comment",
    "CommentRevision",
    "CommentStatus",
    "Flag",
    "FlagReason",
    "FlagStatus",
    "MemberNote",
    "Notification",
    "PasswordReset",
    "Profile",
    "Registration",
    "RejectReason",
    "Role",
    "RoleSource",
    "RuleHit",
    "Sanction",
    "SanctionKind",
    "SiteCounter",
    "User",
    "UserSession",
]
