"""Model an article: a page (blog post, report, reading list) that carries a comment thread."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from forum.models.base import Base, UTCDateTime, utcnow
from forum.models.enums import ArticleKind, str_enum


class Article(Base):
    """A published page; ``body`` is the source text, ``body_html`` its rendering."""

    __tablename__ = "articles"
    __table_args__ = (Index("ix_articles_listing", "published", "created_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    subtitle: Mapped[str | None] = mapped_column(String(300))
    byline: Mapped[str | None] = mapped_column(String(500))
    kind: Mapped[ArticleKind] = mapped_column(str_enum(ArticleKind, "article_kind"))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    published: Mapped[bool] = mapped_column(default=True)
    comments_open: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # Approved, undeleted comments (what everyone sees counted), kept by services/counters.py in the
    # transaction of every change, so lists and threads never count rows to show it.
    comment_count: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    # Bumped in the transaction of any change that shows in the thread: ETags and cache keys.
    thread_version: Mapped[int] = mapped_column(default=1, server_default=text("1"))

    def __repr__(self) -> str:
        return f"<Article {self.slug}>"


class SiteCounter(Base):
    """A count kept as things change rather than counted on each read (services/counters.py)."""

    __tablename__ = "site_counters"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[int] = mapped_column(default=0)


PUBLISHED_ARTICLES = "published_articles"  # the article list's total, whatever the number of articles
