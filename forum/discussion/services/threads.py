"""Assemble an article's comment thread as a tree, in a constant number of queries."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, CompoundSelect, and_, case, exists, func, or_, select, tuple_, union_all
from sqlalchemy.orm import aliased, contains_eager

from forum.accounts.models import Profile, Role, RoleSource
from forum.accounts.services.viewer import Viewer
from forum.discussion.models import (
    Article,
    Comment,
    CommentStatus,
    RejectReason,
    public_article,
    public_thread,
)
from forum.discussion.services import placeholders
from forum.discussion.services.placeholders import Cause
from forum.discussion.services.visibility import countable_comments, visible_comments
from forum.platform import cursors
from forum.platform.database import db
from forum.platform.settings import setting_or


@dataclass(slots=True)
class ThreadAuthor:
    """The author block shown beside a comment (what ``AuthorSchema`` dumps)."""

    id: int
    display_name: str
    job_title: str | None
    organisation: str | None
    role: Role
    role_source: RoleSource

    @classmethod
    def of(cls, profile: Profile) -> ThreadAuthor:
        """The author block of a loaded profile."""
        return cls(
            profile.id,
            profile.display_name,
            profile.job_title,
            profile.organisation,
            profile.role,
            profile.role_source,
        )


@dataclass(slots=True)
class ThreadComment:
    """One comment as a thread shows it: the columns pages and JSON need, and its author.

    Plain rows rather than ORM objects: a 1,000-comment page builds several times faster, and
    nothing on a read needs change tracking. Attribute names match ``Comment``'s, so templates and
    ``permissions`` treat both alike.
    """

    id: int
    article_id: int
    parent_id: int | None
    root_id: int | None
    author_id: int
    body: str
    body_html: str
    status: CommentStatus
    created_at: datetime
    edited_at: datetime | None
    deleted_at: datetime | None
    redacted_at: datetime | None
    reject_reason: RejectReason | None
    decision_note: str | None
    held_because: str | None
    offered_help: bool
    author_erased_at: datetime | None = None
    imported_at: datetime | None = None  # from a page that records no dates: it has none to show
    thanks_count: int = 0
    official_at: datetime | None = None
    author: ThreadAuthor = field(init=False)
    thanked: bool = field(default=False, init=False)  # by this viewer (thanks.mark_thanked)
    # What stands in its place for this viewer (placeholders.CAUSES), None when it is shown itself.
    placeholder: str | None = None
    placeholder_text: str | None = None

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def written_at(self) -> datetime | None:
        """When it was written, if known (as ``Comment.written_at``)."""
        return None if self.imported_at is not None else self.created_at

    def stand_in(self, cause: Cause) -> None:
        """Become a placeholder: nothing of the text, the author's name or profile is kept."""
        self.placeholder = cause.key
        self.placeholder_text = cause.says(self)
        self.body = self.body_html = ""
        self.held_because = self.decision_note = self.official_at = None
        self.thanks_count = 0
        self.author = PLACEHOLDER_AUTHOR


_COLUMNS = (
    Comment.id,
    Comment.article_id,
    Comment.parent_id,
    Comment.root_id,
    Comment.author_id,
    Comment.body,
    Comment.body_html,
    Comment.status,
    Comment.created_at,
    Comment.edited_at,
    Comment.deleted_at,
    Comment.redacted_at,
    Comment.reject_reason,
    Comment.decision_note,
    Comment.held_because,
    Comment.offered_help,
    Comment.author_erased_at,
    Comment.imported_at,
    Comment.thanks_count,
    Comment.official_at,
)
_AUTHOR_COLUMNS = (
    Profile.id,
    Profile.display_name,
    Profile.job_title,
    Profile.organisation,
    Profile.role,
    Profile.role_source,
)
_WIDTH, _AUTHOR_WIDTH = len(_COLUMNS), len(_AUTHOR_COLUMNS)
# Who a placeholder is by: nobody (no name, no profile).
PLACEHOLDER_AUTHOR = ThreadAuthor(0, "", None, None, Role.OTHER, RoleSource.DECLARED)


@dataclass(slots=True)
class ThreadNode:
    """A comment and its replies, oldest first."""

    comment: ThreadComment
    depth: int = 0
    replies: list[ThreadNode] = field(default_factory=list)
    parent: ThreadComment | None = None  # the comment it answers, when shown under it


def walk(nodes: list[ThreadNode]) -> Iterator[tuple[ThreadNode, int]]:
    """Visit a tree depth first; with each node, how many reply levels end right after it.

    A template can then draw nested lists in one flat loop: open a level under a node with
    replies, close ``ending`` levels after a leaf, no recursion.
    """
    stack: list[tuple[ThreadNode, int]] = [(node, 0) for node in reversed(nodes)]
    while stack:
        node, ending = stack.pop()
        if node.replies:
            children = [(child, 0) for child in reversed(node.replies)]
            children[0] = (children[0][0], ending + 1)  # the last reply closes its level and what ended here
            stack.extend(children)
            yield node, 0
        else:
            yield node, ending


@dataclass
class Thread:
    """One page of the comments of an article that a viewer may see."""

    article: Article
    roots: list[ThreadNode]
    count: int  # every comment the viewer may see in the whole thread
    next_cursor: str | None = None  # where the next page of top-level comments starts

    def walk(self) -> Iterator[tuple[ThreadNode, int]]:
        """Every node depth first, each with the number of reply levels that close after it."""
        return walk(self.roots)


# Built once: making an alias maps every column again, which costs more than the query it serves.
_REPLY = aliased(Comment, name="reply")
_COUNTED = aliased(Comment, name="counted")

PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000


def load_thread(article: Article, viewer: Viewer, after: str | None = None, limit: int = PAGE_SIZE) -> Thread:
    """Load a page of top-level comments with all their replies and authors, in one query.

    The page holds ``limit`` top-level comments that have something the viewer may see,
    oldest first, after the ``after`` cursor. A visible reply whose parent the viewer cannot
    see is shown at the top level in its conversation's place, so hiding a comment never
    hides the answers to it. A comment its author deleted stays as a placeholder only while
    replies hang from it. When the article's comments are hidden, only moderators see any.
    """
    if article.comments_hidden and not viewer.is_moderator:
        return Thread(article, [], 0)
    rows = db.session.execute(_page_query(article, viewer, after, limit + 1)).all()
    # Each top-level comment of the page brings at least one row; one more than asked means "more".
    keys = sorted({(row.page_at, row.page_id) for row in rows})
    more = len(keys) > limit
    if more:
        kept = {page_id for _, page_id in keys[:limit]}
        rows = [row for row in rows if row.page_id in kept]
        keys = keys[:limit]
    position = {page_id: index for index, (_, page_id) in enumerate(keys)}
    authors: dict[int, ThreadAuthor] = {}
    comments = []
    for row in rows:
        comment = ThreadComment(*row[:_WIDTH])
        cause = placeholders.cause_of(comment, bool(row.visible))
        if cause is not None:
            comment.stand_in(cause)
        else:
            author = authors.get(comment.author_id)
            if author is None:
                author = authors[comment.author_id] = ThreadAuthor(*row[_WIDTH : _WIDTH + _AUTHOR_WIDTH])
            comment.author = author
        comments.append(comment)
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
        when, number = keys[-1]
        next_cursor = cursors.encode(when, number)
    # The count was read in the page's own statement, so it agrees with the comments shown even
    # while others write (a separate count read a different moment: 1-30 % of reads disagreed).
    count = int(rows[0].shown_count) if rows else count_visible(article, viewer)
    return Thread(article=article, roots=roots, count=count, next_cursor=next_cursor)


def _has_visible(viewer: Viewer) -> ColumnElement[bool]:
    """Visible itself, or holding a visible reply (two index-friendly conditions, not an OR in EXISTS)."""
    visible = visible_comments(viewer)
    return or_(visible, exists().where(_REPLY.root_id == Comment.id, visible_comments(viewer, _REPLY)))


def page_cursor_for(comment: Comment, viewer: Viewer, limit: int = PAGE_SIZE) -> str | None:
    """Say which page of its thread shows ``comment``: None for the first, else a cursor that starts
    a page at its conversation (two small indexed queries).
    """
    root_id = comment.root_id or comment.id
    root = db.session.execute(select(Comment.created_at, Comment.id).where(Comment.id == root_id)).one()
    earlier = db.session.scalar(
        select(func.count(Comment.id)).where(
            Comment.article_id == comment.article_id,
            Comment.parent_id.is_(None),
            _has_visible(viewer),
            tuple_(Comment.created_at, Comment.id) < tuple_(root.created_at, root.id),
        )
    )
    if (earlier or 0) < limit:
        return None
    return cursors.encode(root.created_at, root.id - 1)  # just before the root


def _page_query(article: Article, viewer: Viewer, after: str | None, size: int) -> CompoundSelect[Any]:
    """Build the one statement that reads a page: its top-level comments (``size`` of them, in order,
    from the partial index), then every visible comment of those conversations with its author.

    Each half is an index lookup per top-level comment (by id, by ``root_id``), so the cost follows
    the page, not the thread; the statement is the same for every page size, so its plan is reused.
    """
    visible = visible_comments(viewer)
    roots = (
        select(Comment.id, Comment.created_at)
        .where(Comment.article_id == article.id, Comment.parent_id.is_(None), _has_visible(viewer))
        .order_by(Comment.created_at, Comment.id)
        .limit(size)
    )
    if after:
        when, number = cursors.decode(after)
        roots = roots.where(tuple_(Comment.created_at, Comment.id) > tuple_(when, number))
    page = roots.cte("page")
    columns = (
        *_COLUMNS,
        *_AUTHOR_COLUMNS,
        page.c.id.label("page_id"),
        page.c.created_at.label("page_at"),
        _count_column(article, viewer).label("shown_count"),
        case((visible, 1), else_=0).label("visible"),
    )
    tops = select(*columns).join(page, page.c.id == Comment.id)
    replies = select(*columns).join(page, page.c.id == Comment.root_id)
    # Every comment of the page's conversations: those the viewer may not see become placeholders
    # (or are dropped when no reply hangs from them), so replies keep their place.
    return union_all(
        *(
            half.join(Profile, Profile.id == Comment.author_id).where(Comment.article_id == article.id)
            for half in (tops, replies)
        )
    )


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


def _count_column(article: Article, viewer: Viewer) -> Any:
    """count_visible as a scalar subquery, to be read in the same statement (snapshot) as the page."""
    stored = select(Article.comment_count).where(Article.id == article.id).scalar_subquery()
    if viewer.is_anonymous or (viewer.profile_id is None and not viewer.is_moderator):
        return stored
    unpublished = [status for status in CommentStatus if status != CommentStatus.APPROVED]
    hidden = and_(
        _COUNTED.status.in_(unpublished), visible_comments(viewer, _COUNTED), _COUNTED.deleted_at.is_(None)
    )
    extra = select(func.count(_COUNTED.id)).where(_COUNTED.article_id == article.id, hidden).scalar_subquery()
    return stored + extra


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
