"""Mark what is new to a returning member and fold a long page's deeper replies.

Used by threads.load_thread as it builds a page, and by the members' frames (web/overlay.py), which
keep a page's FoldPlan and lay each member's "New" marks on it without walking the thread again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, select

from forum.accounts.services.viewer import Viewer
from forum.discussion.models import Comment, CommentStatus
from forum.discussion.services.thread_rows import Thread, ThreadComment, walk
from forum.discussion.services.visibility import public_comments
from forum.platform.database import db

LONG_THREAD = 20  # a page showing more comments than this opens with deeper replies folded


def is_new(comment: ThreadComment, profile_id: int | None, since: datetime) -> bool:
    """Whether a member (``profile_id``) back since ``since`` sees ``comment`` marked "New": published
    after it, written here (not imported) and not by them."""
    return (
        comment.placeholder is None
        and comment.imported_at is None
        and comment.status == CommentStatus.APPROVED
        and comment.author_id != profile_id
        and comment.published_at > since
    )


def news(article_id: int, profile_id: int | None, since: datetime) -> tuple[int, int | None]:
    """Count the comments published on the article since ``since`` (not the member's own) and say
    which came first: the line above the thread (one small read)."""
    count, first_id = db.session.execute(select(*news_columns(article_id, profile_id, since))).one()
    return int(count or 0), first_id


def news_columns(
    article_id: int | ColumnElement[int],
    profile_id: int | ColumnElement[int] | None,
    since: datetime | ColumnElement[datetime],
) -> tuple[ColumnElement[int], ColumnElement[int]]:
    """``news`` as two scalar subqueries (how many, the first), for a statement that reads more."""
    published = func.coalesce(Comment.decided_at, Comment.created_at)
    fresh = and_(
        Comment.article_id == article_id,
        public_comments(),
        Comment.imported_at.is_(None),
        Comment.author_erased_at.is_(None),
        published > since,
    )
    if profile_id is not None:
        fresh = and_(fresh, Comment.author_id != profile_id)
    first = select(Comment.id).where(fresh).order_by(published, Comment.id).limit(1).scalar_subquery()
    count = select(func.count(Comment.id)).where(fresh).scalar_subquery()
    return count.label("new_count"), first.label("first_new_id")


def mark_new(
    thread: Thread, viewer: Viewer, since: datetime, known: tuple[int, int | None] | None = None
) -> None:
    """Mark the page's comments published since ``since`` (not one's own), and count them all
    (``known``: the count and the first, read already)."""
    for node, _ in walk(thread.roots):
        node.new = is_new(node.comment, viewer.profile_id, since)
    thread.new_count, thread.first_new_id = known or news(thread.article.id, viewer.profile_id, since)
    first = thread.first_new_id
    thread.first_new_here = any(node.new and node.comment.id == first for node, _ in walk(thread.roots))


def fold(thread: Thread, focus: int | None) -> None:
    """Say who replied under each comment, and fold deeper replies of a long page (never those that
    lead to the focus or to a comment new to the member)."""
    names: dict[int, list[str]] = {}
    total: dict[int, int] = {}
    for node in reversed([node for node, _ in walk(thread.roots)]):  # replies before what they answer
        seen: list[str] = []
        count = 0
        for reply in node.replies:
            key = reply.comment.id
            count += 1 + total[key]
            if reply.comment.placeholder is None:
                seen.append(reply.comment.author.display_name)
            seen.extend(names[key])
        names[node.comment.id] = list(dict.fromkeys(seen))
        total[node.comment.id] = count
        node.repliers = replied(names[node.comment.id], count)
    opened = {node.comment.id for node, _ in walk(thread.roots) if node.new}
    if focus is not None:
        opened.add(focus)
    folded = folded_ids(fold_plan(thread), opened)
    for node, _ in walk(thread.roots):
        node.folded = node.comment.id in folded


@dataclass(slots=True)
class FoldPlan:
    """What folds on a page: the comments whose replies may start folded (a long page, deeper than
    the first replies), and whose replies each comment is among. Kept with a cached page, so a
    member's "New" marks fold it afresh without walking the thread again."""

    foldable: frozenset[int]
    parents: dict[int, int]


def fold_plan(thread: Thread) -> FoldPlan:
    """Work out what may fold on ``thread``'s page."""
    parents: dict[int, int] = {}
    foldable: set[int] = set()
    long = thread.shown > LONG_THREAD
    for node, _ in walk(thread.roots):
        for reply in node.replies:
            parents[reply.comment.id] = node.comment.id
        if long and node.depth >= 1 and node.replies:
            foldable.add(node.comment.id)
    return FoldPlan(frozenset(foldable), parents)


def folded_ids(plan: FoldPlan, opened: set[int]) -> set[int]:
    """The comments whose replies start folded: every foldable one but those on the way to one of
    ``opened`` (the focus, what is new to the member)."""
    if not plan.foldable:
        return set()
    held: set[int] = set()
    for comment_id in opened:
        above = plan.parents.get(comment_id)
        while above is not None and above not in held:
            held.add(above)
            above = plan.parents.get(above)
    return set(plan.foldable - held)


def replied(names: list[str], count: int) -> str:
    """ "Mark Duman and 2 others replied" (people), with the number of replies when it says more."""
    replies = f"{count} {'reply' if count == 1 else 'replies'}"
    if not names:
        return replies
    if len(names) == 1:
        said = f"{names[0]} replied"
    elif len(names) == 2:
        said = f"{names[0]} and {names[1]} replied"
    else:
        said = f"{names[0]} and {len(names) - 1} others replied"
    return said if count == len(names) else f"{said} ({replies})"
