"""The statements that read a page of a thread, in each order and for a chosen set of voices.

A page of conversations is one statement: the page's top-level comments (in the chosen order, from
the partial index), then every comment of those conversations with its author. A page filtered by
role is one statement too: the matching comments alone, each with the comment it answers (its
author, or that it is gone), so a reply shown alone says whom it answers.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Select,
    and_,
    case,
    exists,
    func,
    literal,
    or_,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.orm import aliased

from forum.accounts.models import Profile
from forum.accounts.services.viewer import Viewer
from forum.discussion.models import Article, Comment, CommentStatus
from forum.discussion.services.thread_options import Sort, ThreadOptions
from forum.discussion.services.thread_rows import AUTHOR_COLUMNS, COLUMNS
from forum.discussion.services.visibility import visible_comments
from forum.platform import cursors
from forum.platform.database import db

# Built once: making an alias maps every column again, which costs more than the query it serves.
_REPLY = aliased(Comment, name="reply")
_COUNTED = aliased(Comment, name="counted")
_PARENT = aliased(Comment, name="parent")
_PARENT_AUTHOR = aliased(Profile, name="parent_author")


def has_visible(viewer: Viewer) -> ColumnElement[bool]:
    """Visible itself, or holding a visible reply (two index-friendly conditions, not an OR in EXISTS)."""
    visible = visible_comments(viewer)
    return or_(visible, exists().where(_REPLY.root_id == Comment.id, visible_comments(viewer, _REPLY)))


def _reply_count(viewer: Viewer, by: Any) -> Any:
    """How many replies the viewer may see under each comment (``by``: root_id or parent_id)."""
    return (
        select(func.count(_REPLY.id))
        .where(by == Comment.id, visible_comments(viewer, _REPLY), _REPLY.deleted_at.is_(None))
        .correlate(Comment)
        .scalar_subquery()
    )


def _ordered(query: Select[Any], options: ThreadOptions, replies: Any, after: str | None) -> Select[Any]:
    """Put ``query`` in the chosen order and start it after the cursor ``after``."""
    position = tuple_(Comment.created_at, Comment.id)
    if options.sort == Sort.NEWEST:
        query = query.order_by(Comment.created_at.desc(), Comment.id.desc())
    elif options.sort == Sort.REPLIES:
        query = query.order_by(replies.desc(), Comment.created_at, Comment.id)
    else:
        query = query.order_by(Comment.created_at, Comment.id)
    if not after:
        return query
    count, when, number = decode(after, options)
    if options.sort == Sort.NEWEST:
        return query.where(position < tuple_(when, number))
    if options.sort == Sort.REPLIES:
        return query.where(or_(replies < count, and_(replies == count, position > tuple_(when, number))))
    return query.where(position > tuple_(when, number))


def page_order(options: ThreadOptions) -> Any:
    """The key that puts a page's (replies, time, id) triples in the statement's order, in Python."""
    if options.sort == Sort.NEWEST:
        return lambda key: (-key[1].timestamp(), -key[2])
    if options.sort == Sort.REPLIES:
        return lambda key: (-key[0], key[1], key[2])
    return lambda key: (key[1], key[2])


def encode(options: ThreadOptions, count: int, when: Any, number: int) -> str:
    """The cursor that starts the next page after (``count`` replies, ``when``, ``number``)."""
    cursor = cursors.encode(when, number)
    return f"{count}.{cursor}" if options.sort == Sort.REPLIES else cursor


def decode(cursor: str, options: ThreadOptions) -> tuple[int, Any, int]:
    """Read a cursor made by ``encode`` for the same order.

    :raises ValidationFailed: on ``after``, when it is not one of ours (or not for this order).
    """
    count = 0
    if options.sort == Sort.REPLIES:
        head, dot, cursor = cursor.partition(".")
        if not dot or not head.isdigit() or len(head) > 9:
            cursors.decode("!")  # raises the usual "not a valid cursor"
        count = int(head)
    when, number = cursors.decode(cursor)
    return count, when, number


def conversations(
    article: Article, viewer: Viewer, options: ThreadOptions, after: str | None, size: int
) -> CompoundSelect[Any]:
    """The one statement that reads a page of whole conversations, ``size`` top-level comments of them.

    Each half is an index lookup per top-level comment (by id, by ``root_id``), so the cost follows
    the page, not the thread (the order by replies counts each conversation's replies first).
    """
    visible = visible_comments(viewer)
    replies = _reply_count(viewer, _REPLY.root_id) if options.sort == Sort.REPLIES else None
    count = (replies if replies is not None else literal(0)).label("n")
    roots = select(Comment.id, Comment.created_at, count).where(
        Comment.article_id == article.id, Comment.parent_id.is_(None), has_visible(viewer)
    )
    page = _ordered(roots, options, replies, after).limit(size).cte("page")
    columns = (
        *COLUMNS,
        *AUTHOR_COLUMNS,
        page.c.id.label("page_id"),
        page.c.created_at.label("page_at"),
        page.c.n.label("page_n"),
        count_column(article, viewer).label("shown_count"),
        case((visible, 1), else_=0).label("visible"),
    )
    tops = select(*columns).join(page, page.c.id == Comment.id)
    in_page = select(*columns).join(page, page.c.id == Comment.root_id)
    # Every comment of the page's conversations: those the viewer may not see become placeholders
    # (or are dropped when no reply hangs from them), so replies keep their place.
    return union_all(
        *(
            half.join(Profile, Profile.id == Comment.author_id).where(Comment.article_id == article.id)
            for half in (tops, in_page)
        )
    )


def voices_only(
    article: Article, viewer: Viewer, options: ThreadOptions, after: str | None, size: int
) -> Select[Any]:
    """The one statement that reads a page of the comments by the chosen voices, each on its own."""
    replies = _reply_count(viewer, _REPLY.parent_id) if options.sort == Sort.REPLIES else None
    parent_visible = and_(visible_comments(viewer, _PARENT), _PARENT.deleted_at.is_(None))
    query = (
        select(
            *COLUMNS,
            *AUTHOR_COLUMNS,
            (replies if replies is not None else literal(0)).label("page_n"),
            _PARENT.id.label("parent_ref"),
            _PARENT_AUTHOR.display_name.label("parent_name"),
            case((and_(parent_visible, _PARENT.author_erased_at.is_(None)), 1), else_=0).label(
                "parent_shown"
            ),
        )
        .join(Profile, Profile.id == Comment.author_id)
        .outerjoin(_PARENT, _PARENT.id == Comment.parent_id)
        .outerjoin(_PARENT_AUTHOR, _PARENT_AUTHOR.id == _PARENT.author_id)
        .where(
            Comment.article_id == article.id,
            Profile.role.in_(sorted(options.roles)),
            visible_comments(viewer),
            Comment.deleted_at.is_(None),
            Comment.author_erased_at.is_(None),
        )
    )
    return _ordered(query, options, replies, after).limit(size)  # type: ignore[arg-type]


def count_column(article: Article, viewer: Viewer) -> Any:
    """threads.count_visible as a scalar subquery, read in the same statement (snapshot) as the page."""
    stored = select(Article.comment_count).where(Article.id == article.id).scalar_subquery()
    if viewer.is_anonymous or (viewer.profile_id is None and not viewer.is_moderator):
        return stored
    unpublished = [status for status in CommentStatus if status != CommentStatus.APPROVED]
    hidden = and_(
        _COUNTED.status.in_(unpublished), visible_comments(viewer, _COUNTED), _COUNTED.deleted_at.is_(None)
    )
    extra = select(func.count(_COUNTED.id)).where(_COUNTED.article_id == article.id, hidden).scalar_subquery()
    return stored + extra


def page_cursor_for(comment: Comment, viewer: Viewer, options: ThreadOptions, limit: int) -> str | None:
    """Say which page of its thread, in this order, shows ``comment``: None for the first, else a
    cursor that starts a page at its conversation (or at it, in a filtered view). Small indexed queries.
    """
    if options.filtered:
        target = db.session.execute(
            select(Comment.created_at, Comment.id).where(Comment.id == comment.id)
        ).one()
        scope = and_(
            Comment.article_id == comment.article_id,
            visible_comments(viewer),
            Comment.deleted_at.is_(None),
            Comment.author_erased_at.is_(None),
            Comment.author_id.in_(select(Profile.id).where(Profile.role.in_(sorted(options.roles)))),
        )
        replies = _reply_count(viewer, _REPLY.parent_id)
    else:
        root_id = comment.root_id or comment.id
        target = db.session.execute(select(Comment.created_at, Comment.id).where(Comment.id == root_id)).one()
        scope = and_(
            Comment.article_id == comment.article_id, Comment.parent_id.is_(None), has_visible(viewer)
        )
        replies = _reply_count(viewer, _REPLY.root_id)
    position = tuple_(Comment.created_at, Comment.id)
    mark = tuple_(target.created_at, target.id)
    count = 0
    if options.sort == Sort.NEWEST:
        before = position > mark
    elif options.sort == Sort.REPLIES:
        count = db.session.scalar(select(replies).where(Comment.id == target.id)) or 0
        before = or_(replies > count, and_(replies == count, position < mark))
    else:
        before = position < mark
    earlier = db.session.scalar(select(func.count(Comment.id)).where(scope, before)) or 0
    if earlier < limit:
        return None
    # Just before it, in this order.
    number = target.id + 1 if options.sort == Sort.NEWEST else target.id - 1
    return encode(options, count, target.created_at, number)
