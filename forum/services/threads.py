"""Assemble an article's comment thread as a tree, in a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager

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
    """The comments of one article that a viewer may see."""

    article: Article
    roots: list[ThreadNode]
    count: int


def load_thread(article: Article, viewer: Viewer) -> Thread:
    """Load every comment ``viewer`` may see on ``article`` with its author, in one query.

    A visible reply whose parent the viewer cannot see is shown at the top level, so
    hiding a comment never hides the conversation that answered it. A comment its author
    deleted stays as a placeholder only while replies hang from it.
    """
    comments = db.session.scalars(
        select(Comment)
        .join(Comment.author)
        .options(contains_eager(Comment.author))
        .where(Comment.article_id == article.id, visible_comments(viewer))
        .order_by(Comment.created_at, Comment.id)
    ).all()
    nodes = {c.id: ThreadNode(c) for c in comments}
    roots: list[ThreadNode] = []
    for comment in comments:
        node = nodes[comment.id]
        parent = nodes.get(comment.parent_id) if comment.parent_id is not None else None
        if parent is None:
            roots.append(node)
        else:
            parent.replies.append(node)
    roots = _prune_deleted(roots)
    _set_depths(roots, 0)
    return Thread(article=article, roots=roots, count=sum(1 for c in comments if c.deleted_at is None))


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
