"""Assemble an article's comment thread as a tree, in a constant number of queries."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import exists, func, or_, select, tuple_
from sqlalchemy.orm import aliased, contains_eager

from forum.errors import ValidationFailed
from forum.extensions import db
from forum.models import Article, Comment, Profile
from forum.permissions import Viewer
from forum.services.visibility import countable_comments, visible_comments


@dataclass
class ThreadNode:
    """A comment and its replies, oldest first."""

    comment: Comment
    depth: int = 0
    replies: list[ThreadNode] = field(default_factory=list)


@dataclass
class Thread:
    """One page of the comments of an article that a viewer may see."""

    article: Article
    roots: list[ThreadNode]
    count: int  # every comment the viewer may see in the whole thread
    next_cursor: str | None = None  # where the next page of top-level comments starts


PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000


def encode_cursor(comment: Comment) -> str:
    """Make an opaque cursor pointing just after this top-level comment."""
    raw = f"{comment.created_at.isoformat()}|{comment.id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """Read a cursor back.

    :raises ValidationFailed: when it is not one of ours.
    """
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, _, number = raw.partition("|")
        when = datetime.fromisoformat(stamp)
        if when.tzinfo is None:
            raise ValueError("naive")
        return when, int(number)
    except (ValueError, UnicodeDecodeError, binascii.Error) as exc:
        raise ValidationFailed(
            errors={"after": ["Not a valid cursor; use the next_cursor you were given."]}
        ) from exc


def load_thread(article: Article, viewer: Viewer, after: str | None = None, limit: int = PAGE_SIZE) -> Thread:
    """Load a page of top-level comments with all their replies, in a fixed number of queries.

    The page holds ``limit`` top-level comments that have something the viewer may see,
    oldest first, after the ``after`` cursor. A visible reply whose parent the viewer cannot
    see is shown at the top level in its conversation's place, so hiding a comment never
    hides the answers to it. A comment its author deleted stays as a placeholder only while
    replies hang from it.
    """
    inner = aliased(Comment)
    # Visible itself, or holding a visible reply (two index-friendly conditions, not one OR inside EXISTS).
    has_visible = or_(
        visible_comments(viewer), exists().where(inner.root_id == Comment.id, visible_comments(viewer, inner))
    )
    roots_query = (
        select(Comment.id, Comment.created_at)
        .where(Comment.article_id == article.id, Comment.parent_id.is_(None), has_visible)
        .order_by(Comment.created_at, Comment.id)
        .limit(limit + 1)
    )
    if after:
        when, number = decode_cursor(after)
        roots_query = roots_query.where(tuple_(Comment.created_at, Comment.id) > tuple_(when, number))
    root_rows = db.session.execute(roots_query).all()
    more = len(root_rows) > limit
    root_rows = root_rows[:limit]
    position = {row.id: index for index, row in enumerate(root_rows)}
    comments = (
        db.session.scalars(
            select(Comment)
            .join(Comment.author)
            .options(contains_eager(Comment.author))
            .where(
                Comment.article_id == article.id,
                or_(Comment.id.in_(position), Comment.root_id.in_(position)),
                visible_comments(viewer),
            )
            .order_by(Comment.created_at, Comment.id)
        ).all()
        if position
        else []
    )
    nodes = {c.id: ThreadNode(c) for c in comments}
    top: list[ThreadNode] = []
    for comment in comments:
        parent = nodes.get(comment.parent_id) if comment.parent_id is not None else None
        if parent is None:
            top.append(nodes[comment.id])
        else:
            parent.replies.append(nodes[comment.id])
    top.sort(key=lambda n: (position[n.comment.root_id or n.comment.id], n.comment.created_at, n.comment.id))
    roots = _prune_deleted(top)
    _set_depths(roots, 0)
    next_cursor = None
    if more and root_rows:
        last = root_rows[-1]
        next_cursor = encode_cursor(Comment(id=last.id, created_at=last.created_at))
    return Thread(article=article, roots=roots, count=count_visible(article, viewer), next_cursor=next_cursor)


def _prune_deleted(nodes: list[ThreadNode]) -> list[ThreadNode]:
    """Drop deleted comments that no longer carry any replies (children first)."""
    kept = []
    for node in nodes:
        node.replies = _prune_deleted(node.replies)
        if node.comment.deleted_at is None or node.replies:
            kept.append(node)
    return kept


def _set_depths(nodes: list[ThreadNode], depth: int) -> None:
    stack = [(n, depth) for n in nodes]
    while stack:
        node, d = stack.pop()
        node.depth = d
        stack.extend((child, d + 1) for child in node.replies)


def get_comment(comment_id: int, viewer: Viewer) -> Comment | None:
    """Return the comment with its author and article if ``viewer`` may see it."""
    return db.session.scalar(
        select(Comment)
        .join(Comment.author)
        .join(Comment.article)
        .options(contains_eager(Comment.author), contains_eager(Comment.article))
        .where(Comment.id == comment_id, visible_comments(viewer), Article.published.is_(True))
    )


def profile_comments(profile: Profile, viewer: Viewer, limit: int = 100) -> list[Comment]:
    """Return the profile's comments ``viewer`` may see, newest first, with their articles."""
    return list(
        db.session.scalars(
            select(Comment)
            .join(Comment.article)
            .options(contains_eager(Comment.article))
            .where(Comment.author_id == profile.id, countable_comments(viewer), Article.published.is_(True))
            .order_by(Comment.created_at.desc(), Comment.id.desc())
            .limit(limit)
        )
    )


def count_profile_comments(profile: Profile, viewer: Viewer) -> int:
    """Count the profile's comments ``viewer`` may see."""
    return (
        db.session.scalar(
            select(func.count(Comment.id))
            .join(Comment.article)
            .where(Comment.author_id == profile.id, countable_comments(viewer), Article.published.is_(True))
        )
        or 0
    )


def count_visible(article: Article, viewer: Viewer) -> int:
    """Count the comments on ``article`` that ``viewer`` may see."""
    return (
        db.session.scalar(
            select(func.count(Comment.id)).where(Comment.article_id == article.id, countable_comments(viewer))
        )
        or 0
    )
