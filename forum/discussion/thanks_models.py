"""Model taking part: members' thanks for a comment, and the official responses a thread holds."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, cast, func, select
from sqlalchemy.orm import Mapped, column_property, deferred, mapped_column

from forum.discussion.models import Article, Comment, CommentStatus
from forum.platform.models import Base, UTCDateTime, utcnow


class CommentThanks(Base):
    """A member said a comment helped them: at most one row per member and comment (no downvotes)."""

    __tablename__ = "comment_thanks"
    __table_args__ = (Index("ix_comment_thanks_user", "user_id", "comment_id"),)

    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


# A thread's official responses, whatever the thread's size (partial: only the few that are one).
Index(
    "ix_comments_official",
    Comment.article_id,
    Comment.created_at,
    Comment.id,
    postgresql_where=Comment.official_at.is_not(None),
    sqlite_where=Comment.official_at.is_not(None),
)

# Read with the article (articles.get_article), in the same statement: the ids of the thread's
# published official responses, oldest first, for the box at the top of the thread (ix_comments_official).
Article.official_ids = deferred(
    column_property(
        select(func.aggregate_strings(cast(Comment.id, String), ","))
        .where(
            Comment.article_id == Article.id,
            Comment.official_at.is_not(None),
            Comment.status == CommentStatus.APPROVED,
            Comment.deleted_at.is_(None),
            Comment.author_erased_at.is_(None),
        )
        .correlate_except(Comment)
        .scalar_subquery()
    )
)


OFFICIAL_IDS = Article.official_ids  # type: ignore[attr-defined]  # what get_article undefers


def official_responses(article: Article) -> list[int]:
    """The ids of the article's published official responses (only when ``official_ids`` was read)."""
    raw = article.__dict__.get("official_ids")
    return sorted(int(part) for part in (raw or "").split(",") if part)
