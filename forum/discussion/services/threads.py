"""Assemble a page of an article's comment thread as a tree, in a constant number of queries.

The statements are in thread_query.py, the shapes in thread_rows.py; here they become a page:
placeholders where the viewer may not see a comment, replies under what they answer, the folds of
a long thread, the "New" marks of a member's return, and who is speaking.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import contains_eager

from forum.accounts.models import Profile, Role
from forum.accounts.services.viewer import Viewer
from forum.discussion.models import Article, Comment, CommentStatus, public_article, public_thread
from forum.discussion.services import placeholders, thread_marks, thread_query
from forum.discussion.services.thread_options import DEFAULT_OPTIONS, ThreadOptions
from forum.discussion.services.thread_rows import (
    AUTHOR_WIDTH,
    PLACEHOLDER_AUTHOR,
    WIDTH,
    ParentRef,
    Thread,
    ThreadAuthor,
    ThreadComment,
    ThreadNode,
    walk,
)
from forum.discussion.services.visibility import countable_comments, public_comments, visible_comments
from forum.platform.database import db
from forum.platform.settings import setting_or

__all__ = ["Thread", "ThreadAuthor", "ThreadComment", "ThreadNode", "load_thread", "walk"]

PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000


def load_thread(
    article: Article,
    viewer: Viewer,
    after: str | None = None,
    limit: int = PAGE_SIZE,
    options: ThreadOptions = DEFAULT_OPTIONS,
    since: datetime | None = None,
    focus: int | None = None,
    who_speaks: bool = False,
    known_news: tuple[int, int | None] | None = None,
) -> Thread:
    """Load a page of the thread with its authors, in one query (and one for who is speaking).

    The page holds ``limit`` top-level comments that have something the viewer may see, in the
    chosen order, after the ``after`` cursor, each with all its replies (oldest first). A visible
    reply whose parent the viewer cannot see is shown at the top level in its conversation's place,
    so hiding a comment never hides the answers to it. A comment its author deleted stays as a
    placeholder only while replies hang from it. When the article's comments are hidden, only
    moderators see any. Filtered to some voices, the page is their comments alone, each saying whom it
    answers. ``since``: the member's previous visit (comments published later are marked new);
    ``focus``: a comment whose conversation must open unfolded (a permalink's); ``who_speaks``: count
    the published comments by role too (the page's line above the thread: one grouped read more);
    ``known_news``: how many are new since ``since`` and the first of them, when already read
    (reader_facts), else one small read more.
    """
    if article.comments_hidden and not viewer.is_moderator:
        return Thread(article, [], 0, options=options)
    if options.filtered:
        thread = _voices_page(article, viewer, options, after, limit)
    else:
        thread = _conversations_page(article, viewer, options, after, limit)
    if who_speaks:
        thread.voices = voices(article)
    if since is not None:
        thread.since = since
        thread_marks.mark_new(thread, viewer, since, known_news)
    thread_marks.fold(thread, focus)
    return thread


def _row_comment(row: object, authors: dict[int, ThreadAuthor], visible: bool = True) -> ThreadComment:
    comment = ThreadComment(*row[:WIDTH])  # type: ignore[index]
    cause = placeholders.cause_of(comment, visible)
    if cause is not None:
        comment.stand_in(cause)
        return comment
    author = authors.get(comment.author_id)
    if author is None:
        author = authors[comment.author_id] = ThreadAuthor(*row[WIDTH : WIDTH + AUTHOR_WIDTH])  # type: ignore[index]
    comment.author = author
    return comment


def _conversations_page(
    article: Article, viewer: Viewer, options: ThreadOptions, after: str | None, limit: int
) -> Thread:
    rows = db.session.execute(thread_query.conversations(article, viewer, options, after, limit + 1)).all()
    # Each top-level comment of the page brings at least one row; one more than asked means "more".
    keys = sorted({(r.page_n, r.page_at, r.page_id) for r in rows}, key=thread_query.page_order(options))
    more = len(keys) > limit
    if more:
        kept = {key[2] for key in keys[:limit]}
        rows = [row for row in rows if row.page_id in kept]
        keys = keys[:limit]
    position = {key[2]: index for index, key in enumerate(keys)}
    authors: dict[int, ThreadAuthor] = {}
    comments = [_row_comment(row, authors, bool(row.visible)) for row in rows]
    comments.sort(key=lambda c: (c.created_at, c.id))
    nodes = {c.id: ThreadNode(c) for c in comments}
    top: list[ThreadNode] = []
    # Chains written before replies were bounded (posting.py) may run deeper than REPLY_DEPTH_MAX:
    # a reply to a comment that deep hangs beside it, as posting now does, so pages and JSON stay
    # bounded whatever is stored (its parent_id still says which comment it answers).
    deepest = max(int(setting_or("REPLY_DEPTH_MAX", 32)), 1)
    depth: dict[int, int] = {}
    host: dict[int, ThreadNode] = {}  # the node each comment hangs from
    for comment in comments:
        parent = nodes.get(comment.parent_id) if comment.parent_id is not None else None
        if parent is None:
            top.append(nodes[comment.id])
            depth[comment.id] = 0
            continue
        if depth[parent.comment.id] >= deepest and parent.comment.id in host:
            target = host[parent.comment.id]
        else:
            target = parent
        target.replies.append(nodes[comment.id])
        host[comment.id] = target
        depth[comment.id] = depth[target.comment.id] + 1
        nodes[comment.id].parent = parent.comment
    top.sort(key=lambda n: (position[n.comment.root_id or n.comment.id], n.comment.created_at, n.comment.id))
    roots = _prune_placeholders(top)
    _set_depths(roots, 0)
    next_cursor = None
    if more and keys:
        count, when, number = keys[-1]
        next_cursor = thread_query.encode(options, count, when, number)
    # The count was read in the page's own statement, so it agrees with the comments shown even
    # while others write (a separate count read a different moment: 1-30 % of reads disagreed).
    count = int(rows[0].shown_count) if rows else count_visible(article, viewer)
    thread = Thread(article=article, roots=roots, count=count, next_cursor=next_cursor, options=options)
    thread.shown = sum(1 for node, _ in walk(roots) if node.comment.placeholder is None)
    return thread


def _voices_page(
    article: Article, viewer: Viewer, options: ThreadOptions, after: str | None, limit: int
) -> Thread:
    rows = db.session.execute(thread_query.voices_only(article, viewer, options, after, limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    authors: dict[int, ThreadAuthor] = {}
    roots = []
    for row in rows:
        node = ThreadNode(_row_comment(row, authors))
        if row.parent_ref is not None:
            shown = bool(row.parent_shown)
            name = ThreadAuthor(
                0, row.parent_name or "", None, None, Role.OTHER, PLACEHOLDER_AUTHOR.role_source
            )
            node.parent = ParentRef(
                row.parent_ref, name if shown else PLACEHOLDER_AUTHOR, None if shown else "gone"
            )
        roots.append(node)
    next_cursor = None
    if more and rows:
        last = rows[-1]
        next_cursor = thread_query.encode(options, int(last.page_n), last.created_at, last.id)
    count = count_visible(article, viewer)
    thread = Thread(article=article, roots=roots, count=count, next_cursor=next_cursor, options=options)
    thread.shown = len(roots)
    return thread


def voices(article: Article) -> list[tuple[Role, int]]:
    """Who is speaking: the published comments by their authors' roles, most first (one grouped read)."""
    rows = db.session.execute(
        select(Profile.role, func.count(Comment.id))
        .join(Profile, Profile.id == Comment.author_id)
        .where(Comment.article_id == article.id, public_comments(), Comment.author_erased_at.is_(None))
        .group_by(Profile.role)
    ).all()
    order = list(Role)
    return sorted(
        ((Role(role), int(n)) for role, n in rows), key=lambda pair: (-pair[1], order.index(pair[0]))
    )


def page_cursor_for(
    comment: Comment, viewer: Viewer, limit: int = PAGE_SIZE, options: ThreadOptions = DEFAULT_OPTIONS
) -> str | None:
    """Say which page of its thread (in this order, for these voices) shows ``comment``: None for the
    first, else a cursor that starts a page at its conversation.
    """
    return thread_query.page_cursor_for(comment, viewer, options, limit)


def _prune_placeholders(nodes: list[ThreadNode]) -> list[ThreadNode]:
    """Drop placeholders that carry no replies (children first): nothing to keep a place for."""
    kept = []
    for node in nodes:
        node.replies = _prune_placeholders(node.replies)
        if node.comment.placeholder is None or node.replies:
            kept.append(node)
    return kept


def _set_depths(nodes: list[ThreadNode], depth: int) -> None:
    stack = [(n, depth) for n in nodes]
    while stack:
        node, d = stack.pop()
        node.depth = d
        stack.extend((child, d + 1) for child in node.replies)


def readable_article(viewer: Viewer) -> ColumnElement[bool]:
    """The articles whose comments ``viewer`` may read: published, and for readers not hidden."""
    return public_article() if viewer.is_moderator else public_thread()


def get_comment(comment_id: int, viewer: Viewer) -> Comment | None:
    """Return the comment with its author and article if ``viewer`` may see it."""
    return db.session.scalar(
        select(Comment)
        .join(Comment.author)
        .join(Comment.article)
        .options(contains_eager(Comment.author), contains_eager(Comment.article))
        .where(Comment.id == comment_id, visible_comments(viewer), readable_article(viewer))
    )


def profile_comments(profile: Profile, viewer: Viewer, limit: int = 100) -> list[Comment]:
    """Return the profile's comments ``viewer`` may see, newest first, with their articles."""
    return list(
        db.session.scalars(
            select(Comment)
            .join(Comment.article)
            .options(contains_eager(Comment.article))
            .where(Comment.author_id == profile.id, countable_comments(viewer), readable_article(viewer))
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
            .where(Comment.author_id == profile.id, countable_comments(viewer), readable_article(viewer))
        )
        or 0
    )


def count_visible(article: Article, viewer: Viewer) -> int:
    """Count the comments on ``article`` that ``viewer`` may see (not deleted).

    Everyone sees the article's stored public count; members add their own comments that are
    not public, moderators every such comment (one small indexed query, none for anonymous readers).
    A hidden thread counts nothing for anyone but moderators.
    """
    if article.comments_hidden and not viewer.is_moderator:
        return 0
    if viewer.is_anonymous or (viewer.profile_id is None and not viewer.is_moderator):
        return article.comment_count
    unpublished = [status for status in CommentStatus if status != CommentStatus.APPROVED]
    hidden = and_(Comment.status.in_(unpublished), countable_comments(viewer))  # index ranges, not a scan
    extra = (
        db.session.scalar(select(func.count(Comment.id)).where(Comment.article_id == article.id, hidden)) or 0
    )
    return article.comment_count + extra
