"""Build test data through the same services the application uses."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select

from forum.accounts.models import Profile, Role, RoleSource
from forum.discussion.models import Article, ArticleKind, Comment, CommentStatus, RejectReason
from forum.discussion.services import counters
from forum.discussion.services.articles import upsert_article
from forum.discussion.services.text import render_comment
from forum.platform.database import db

_seq = itertools.count(1)


def make_article(slug: str | None = None, title: str = "A test article", **fields) -> Article:
    article, _ = upsert_article(
        slug=slug or f"article-{next(_seq)}",
        title=title,
        kind=ArticleKind.BLOG_POST,
        body=fields.pop("body", "First paragraph.\n\n• a point"),
    )
    for name, value in fields.items():
        setattr(article, name, value)
    db.session.flush()
    return article


def make_profile(name: str | None = None, role: Role = Role.PATIENT, **fields) -> Profile:
    profile = Profile(
        display_name=name or f"Person {next(_seq)}",
        role=role,
        role_source=fields.pop("role_source", RoleSource.DECLARED),
        **fields,
    )
    db.session.add(profile)
    db.session.flush()
    return profile


def make_comment(
    article: Article,
    author: Profile,
    body: str = "A comment.",
    parent: Comment | None = None,
    status: CommentStatus = CommentStatus.APPROVED,
) -> Comment:
    comment = Comment(
        article_id=article.id,
        author_id=author.id,
        body=body,
        body_html=render_comment(body),
        parent_id=parent.id if parent else None,
        root_id=(parent.root_id or parent.id) if parent else None,
        depth=parent.depth + 1 if parent else 0,
        status=status,
        reject_reason=RejectReason.OTHER
        if status in (CommentStatus.REJECTED, CommentStatus.REMOVED)
        else None,
    )
    db.session.add(comment)
    db.session.flush()
    return comment


def make_thread(article: Article, authors: list[Profile], n: int) -> list[Comment]:
    """Make ``n`` approved comments, every third a reply to the one before."""
    rows = []
    for i in range(n):
        parent = rows[-1] if rows and i % 3 == 2 else None
        rows.append(make_comment(article, authors[i % len(authors)], f"Comment {i}", parent=parent))
    return rows


def bulk_thread(article: Article, authors: list[Profile], n: int, reply_every: int = 3) -> None:
    """Insert ``n`` approved comments in one statement: every ``reply_every``-th answers the one before."""
    start = (db.session.scalar(select(func.max(Comment.id))) or 0) + 1
    base = datetime.now(UTC) - timedelta(days=1)
    rows = []
    roots: dict[int, int] = {}
    for i in range(n):
        cid = start + i
        parent = cid - 1 if i and i % reply_every == reply_every - 1 else None
        root = roots.get(parent, parent) if parent else None
        roots[cid] = root or cid
        rows.append(
            {
                "id": cid,
                "article_id": article.id,
                "author_id": authors[i % len(authors)].id,
                "parent_id": parent,
                "root_id": root,
                "body": f"Comment {i}",
                "body_html": f"<p>Comment {i}</p>",
                "status": CommentStatus.APPROVED,
                "created_at": base + timedelta(seconds=i),
                "updated_at": base + timedelta(seconds=i),
                "version": 1,
            }
        )
    db.session.execute(insert(Comment), rows)
    counters.recount([article.id])  # a bulk insert bypasses the session hooks that keep the count
    db.session.flush()
