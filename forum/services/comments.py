"""Write comments: the one place a comment row is created."""

from __future__ import annotations

from sqlalchemy import func, select, text

from forum.extensions import db
from forum.models import Article, Comment, CommentStatus, Profile
from forum.services.text import normalise_comment, render_comment


def import_comment(
    *,
    comment_id: int,
    article: Article,
    author: Profile,
    body: str,
    parent_id: int | None,
    status: CommentStatus = CommentStatus.APPROVED,
) -> Comment:
    """Insert a comment that keeps its original number (imported material)."""
    body = normalise_comment(body)
    comment = Comment(
        id=comment_id,
        article_id=article.id,
        author_id=author.id,
        parent_id=parent_id,
        body=body,
        body_html=render_comment(body),
        status=status,
    )
    db.session.add(comment)
    db.session.flush()
    return comment


def advance_id_sequence() -> None:
    """Move PostgreSQL's comment id sequence past imported ids so new comments never collide.

    SQLite needs nothing: it allocates max(rowid) + 1.
    """
    if db.session.get_bind().dialect.name != "postgresql":
        return
    highest = db.session.scalar(select(func.max(Comment.id))) or 0
    if highest:
        db.session.execute(
            text("SELECT setval(pg_get_serial_sequence('comments', 'id'), :n, true)"), {"n": highest}
        )
