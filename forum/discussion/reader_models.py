"""What the forum keeps about a member and a thread: whether they follow it, when they last read it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from forum.platform.models import Base, UTCDateTime, utcnow


class Follow(Base):
    """A member following an article's thread: news of its new published comments reach them.

    A row with ``following`` False remembers that the member stopped following, so commenting there
    again does not follow them back against their wish.
    """

    __tablename__ = "follows"
    __table_args__ = (Index("ix_follows_article", "article_id", "following"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    following: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class ThreadVisit(Base):
    """When a member last read an article's thread, and where their previous visit began.

    ``seen_at`` is written at most every few minutes (``SESSION_TOUCH_SECONDS``); a read after a
    longer gap (``VISIT_GAP_MINUTES``) starts a new visit, and ``since`` becomes the old ``seen_at``:
    comments published after ``since`` are "New" to them (forum/discussion/services/visits.py).
    """

    __tablename__ = "thread_visits"
    __table_args__ = (Index("ix_thread_visits_article", "article_id"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    since: Mapped[datetime | None] = mapped_column(UTCDateTime())
