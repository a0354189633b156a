"""Model a comment: one node of an article's thread, with its moderation status."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.models.article import Article
from forum.models.base import Base, UTCDateTime, utcnow
from forum.models.enums import CommentStatus, str_enum
from forum.models.profile import Profile


class Comment(Base):
    """A comment or reply; ``id`` keeps the original number for imported comments."""

    __tablename__ = "comments"
    __table_args__ = (
        # The thread read: one article's comments in order, filtered by status.
        Index("ix_comments_thread", "article_id", "status", "created_at", "id"),
        Index("ix_comments_author", "author_id", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("profiles.id"))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    status: Mapped[CommentStatus] = mapped_column(
        str_enum(CommentStatus, "comment_status"), default=CommentStatus.PENDING
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # Set when the author changed the text after someone had replied: shown as "edited".
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set when the author deleted it: the text is gone, replies stay under a placeholder.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    article: Mapped[Article] = relationship(lazy="raise")
    author: Mapped[Profile] = relationship(lazy="raise")

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def __repr__(self) -> str:
        return f"<Comment {self.id} on {self.article_id} ({self.status})>"


class CommentRevision(Base):
    """An earlier text of a comment, kept whenever it is edited."""

    __tablename__ = "comment_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    editor_id: Mapped[int] = mapped_column(ForeignKey("profiles.id"))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
