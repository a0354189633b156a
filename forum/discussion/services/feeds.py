"""Pick what the Atom feeds carry: published articles and public comments only."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from forum.discussion.models import Article, Comment, public_article
from forum.discussion.services.visibility import public_comments
from forum.platform.database import db

FEED_SIZE = 50


def latest_articles(limit: int = 20) -> list[Article]:
    """Return the newest published articles (one query)."""
    return list(
        db.session.scalars(
            select(Article)
            .where(public_article())
            .order_by(Article.listed_at.desc(), Article.id.desc())
            .limit(limit)
        )
    )


def latest_comments(article: Article, limit: int = FEED_SIZE) -> list[Comment]:
    """Return an article's newest public comments with their authors (one query; none when hidden)."""
    if article.comments_hidden:
        return []
    return list(
        db.session.scalars(
            select(Comment)
            .join(Comment.author)
            .options(contains_eager(Comment.author))
            .where(Comment.article_id == article.id, public_comments())
            .order_by(Comment.created_at.desc(), Comment.id.desc())
            .limit(limit)
        )
    )
