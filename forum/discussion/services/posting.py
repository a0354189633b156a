"""Post comments and replies: one statement reads what posting needs, one INSERT writes the comment.

Posting is the write the forum does most, so its round trips are counted (tests/functional/
test_queries.py): the article, the author's standing (the publication gate's columns), the parent being
answered and the author's recent posts against the posting rate limits come back in one row; the
comment is written with one INSERT … RETURNING; the article's stored count and thread version move
in the same transaction (counters.comment_written). The answer is the new comment as a thread shows
it (a plain row), built from what was written: nothing is read back.

The same statement says whether the author already follows the thread and whether anyone wants an
email for each new comment: the first comment in a thread follows it (one INSERT, once), and a
published comment asks for its followers' emails with one job (one statement, however many
followers; none when nobody wants one), written at commit (forum/platform/jobs.py).

The posting limits (RATELIMIT_POST_ACCOUNT, "10 per minute;300 per day") count the comments the
member has posted, read from the comments table: exact across workers and servers, with or
without Redis, and free (no round trip of their own). Refused and invalid attempts store nothing
and so count for nothing; two posts sent at the very same moment can both pass the last place.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache
from math import ceil
from typing import Any

from limits import RateLimitItem, parse_many
from sqlalchemy import Integer, Select, and_, bindparam, exists, func, insert, select, true
from sqlalchemy.orm import aliased
from sqlalchemy.sql.dml import ReturningInsert

from forum import permissions
from forum.accounts.models import User
from forum.accounts.services import standing
from forum.accounts.services.viewer import Viewer
from forum.discussion.models import (
    Article,
    Comment,
    CommentsMode,
    CommentStatus,
    Follow,
    public_article,
    text_fingerprint,
)
from forum.discussion.services import articles, counters, follows, gate, thread_news
from forum.discussion.services.comments import checked_text
from forum.discussion.services.text import normalise_comment, render_comment
from forum.discussion.services.threads import ThreadAuthor, ThreadComment
from forum.notifications.models import FollowedMode, NotificationSettings
from forum.notifications.services import notices
from forum.platform import jobs
from forum.platform.database import db
from forum.platform.errors import Forbidden, TooFast, ValidationFailed
from forum.platform.models import utcnow
from forum.platform.settings import setting, setting_or


class CommentsClosed(Forbidden):
    """The article takes no new comments."""

    default_message = "Comments are closed on this article."


@cache
def _posting_limits(value: str) -> tuple[RateLimitItem, ...]:
    """Parse RATELIMIT_POST_ACCOUNT ("10 per minute;300 per day"), once per value."""
    return tuple(parse_many(value))


def _limits() -> tuple[RateLimitItem, ...]:
    if not setting_or("RATELIMIT_ENABLED", True):
        return ()
    return _posting_limits(str(setting("RATELIMIT_POST_ACCOUNT")))


def _nth_latest_since(index: int) -> Any:
    """When the author's ``limit_nth_<index>``-th latest comment since ``limit_since_<index>`` was
    posted (NULL when they posted fewer): read backwards through ix_comments_author_recent, at
    most that many entries."""
    return (
        select(Comment.created_at)
        .where(
            Comment.author_id == bindparam("poster_profile_id"),
            Comment.created_at > bindparam(f"limit_since_{index}"),
        )
        .order_by(Comment.created_at.desc())
        .offset(bindparam(f"limit_skip_{index}", type_=Integer))
        .limit(1)
        .scalar_subquery()
        .label(f"limit_{index}")
    )


def _limit_parameters(limits: tuple[RateLimitItem, ...], now: datetime) -> dict[str, Any]:
    parameters: dict[str, Any] = {}
    for index, limit in enumerate(limits):
        parameters[f"limit_since_{index}"] = now - timedelta(seconds=limit.get_expiry())
        parameters[f"limit_skip_{index}"] = limit.amount - 1
    return parameters


def _refuse_if_too_fast(limits: tuple[RateLimitItem, ...], row: Any, now: datetime) -> None:
    """Refuse the post when the author already posted a limit's worth within its window.

    :raises TooFast: saying when the oldest of those posts leaves the window (Retry-After).
    """
    waits = [
        (getattr(row, f"limit_{index}") + timedelta(seconds=limit.get_expiry()) - now, limit)
        for index, limit in enumerate(limits)
        if getattr(row, f"limit_{index}") is not None
    ]
    if not waits:
        return
    wait, limit = max(waits, key=lambda found: found[0])
    seconds = max(1, ceil(wait.total_seconds()))
    raise TooFast(
        f"You have reached the posting limit of {_limit_phrase(limit)}. "
        f"You can post again in {_duration(seconds)}.",
        headers={"Retry-After": str(seconds)},
    )


def _limit_phrase(limit: RateLimitItem) -> str:
    """ "10 posts a minute", "2 posts every 5 minutes", "1 post a day"."""
    posts = f"{limit.amount} post{'' if limit.amount == 1 else 's'}"
    unit = limit.GRANULARITY.name
    return f"{posts} a {unit}" if limit.multiples == 1 else f"{posts} every {limit.multiples} {unit}s"


def _duration(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} seconds"
    if seconds < 7200:
        return f"{ceil(seconds / 60)} minutes"
    return f"{ceil(seconds / 3600)} hours"


@cache
def _context_statement(limit_count: int, judge: gate.Gate) -> Select[Any]:
    """Build, once per number of posting limits and gate, the statement that reads what posting needs.

    Bound: ``slug``, ``parent_id``, ``user_id`` and ``now`` (is a sanction in force), the gate's
    (its ``parameters``) and the limits'. The
    parent comes from an outer join, so a top-level comment (parent_id NULL) or a parent that is
    not in this article reads as NULLs; whether the author may see it is decided by
    permissions.can_see, the same rule every read applies.
    """
    parent = aliased(Comment, name="parent")
    parent_account = aliased(User, name="parent_account")
    columns: list[Any] = [
        Article.id,
        Article.title,
        Article.comments_mode,
        parent.id.label("parent_id"),
        parent.root_id.label("parent_root_id"),
        parent.parent_id.label("parent_parent_id"),
        parent.depth.label("parent_depth"),
        parent.status.label("parent_status"),
        parent.author_id.label("parent_author_id"),
        parent_account.id.label("parent_user_id"),
        exists().where(standing.in_force(bindparam("user_id"), bindparam("now"))).label("sanctioned"),
        *_following_columns(),
        *judge.columns(),
        *(_nth_latest_since(index) for index in range(limit_count)),
    ]
    return (
        select(*columns)
        .select_from(Article)
        .outerjoin(
            parent,
            and_(
                parent.id == bindparam("parent_id"),
                parent.article_id == Article.id,
                parent.deleted_at.is_(None),
            ),
        )
        .outerjoin(parent_account, parent_account.profile_id == parent.author_id)
        .where(Article.slug == bindparam("slug"), public_article())
    )


def _following_columns() -> tuple[Any, ...]:
    """Whether the author follows the thread (NULL: never did, nor stopped), whether they want to
    follow threads they comment in, and whether anyone else wants an email for each new comment:
    read with the rest, so following costs posting nothing once the author follows."""
    return (
        select(Follow.following)
        .where(Follow.user_id == bindparam("user_id"), Follow.article_id == Article.id)
        .scalar_subquery()
        .label("author_follows"),
        func.coalesce(
            select(NotificationSettings.auto_follow)
            .where(NotificationSettings.user_id == bindparam("user_id"))
            .scalar_subquery(),
            true(),
        ).label("auto_follow"),
        exists()
        .where(
            Follow.article_id == Article.id,
            Follow.following.is_(True),
            Follow.user_id != bindparam("user_id"),
            NotificationSettings.user_id == Follow.user_id,
            NotificationSettings.followed == FollowedMode.IMMEDIATE,
            NotificationSettings.email_enabled.is_(True),
        )
        .label("immediate_followers"),
    )


def post_comment(
    author: User, viewer: Viewer, slug: str, body: str | None, parent_id: int | None
) -> ThreadComment:
    """Add a comment or a reply to the published article at ``slug``; its status comes from the policy.

    :raises NotFound: when there is no such published article.
    :raises CommentsClosed: when the article takes no new comments.
    :raises TooFast: when the author has reached a posting limit (RATELIMIT_POST_ACCOUNT).
    :raises Suspended: while a suspension or ban is in force.
    :raises ValidationFailed: for empty or over-long text, or a parent that is not in this
        article or not visible to the author.
    """
    text = normalise_comment(body or "")
    limits = _limits()
    judge = gate.current()
    now = utcnow()
    parameters = _merged(
        {
            "slug": slug,
            "parent_id": parent_id,
            "user_id": author.id,
            "poster_profile_id": author.profile_id,
            "now": now,
        },
        judge.parameters(author, text, now),
        _limit_parameters(limits, now),
    )
    # Columns only, no entities: the session's connection runs it without the ORM's result machinery.
    row = db.session.connection().execute(_context_statement(len(limits), judge), parameters).first()
    if row is None:
        raise articles.missing(slug)
    if row.comments_mode != CommentsMode.OPEN:  # closed, or hidden from readers
        raise CommentsClosed()
    _refuse_if_too_fast(limits, row, now)
    if row.sanctioned:
        standing.ensure_can_act(author)  # says until when and why
    clean = checked_text(text)  # normalised once, above
    root_id = None
    depth = 0
    if parent_id is not None:
        if row.parent_id is None or not permissions.can_see(viewer, row.parent_status, row.parent_author_id):
            raise ValidationFailed(
                errors={"parent_id": ["That comment is not in this thread, so you cannot reply to it."]}
            )
        root_id = row.parent_root_id or row.parent_id
        parent_id, depth = _bounded_parent(row)
    verdict = judge.judge_new(author, clean, row)
    posted = ThreadComment(
        id=0,
        article_id=row.id,
        parent_id=parent_id,
        root_id=root_id,
        author_id=author.profile_id,
        body=clean,
        body_html=render_comment(clean),
        status=verdict.status,
        created_at=now,
        edited_at=None,
        deleted_at=None,
        redacted_at=None,
        reject_reason=None,
        decision_note=None,
        held_because=verdict.held_because,
        offered_help=verdict.offer_help,
    )
    posted.id = _write(posted, depth)
    posted.author = ThreadAuthor.of(author.profile)
    judge.keep(posted.id, verdict)
    if row.author_follows is None and row.auto_follow:
        follows.start(author.id, row.id)  # the first comment here: follow the thread (once)
    if posted.status == CommentStatus.APPROVED and row.immediate_followers:
        jobs.later(thread_news.COMMENT_PUBLISHED, comment=posted.id)  # the followers' emails, by the worker
    if posted.status == CommentStatus.APPROVED and row.parent_user_id is not None:
        notices.reply_notice(
            posted.id,
            posted.author_id,
            row.parent_user_id,
            row.parent_author_id,
            author.profile.display_name,
            row.title,
        )
    db.session.flush()
    return posted


def _bounded_parent(row: Any) -> tuple[int, int]:
    """The comment a reply hangs from, and its depth: the one answered, or, when that one is already
    REPLY_DEPTH_MAX deep, its own parent (the deepest ancestor allowed), so no chain grows deeper and
    every thread can be serialised (orjson refuses JSON nested past 255)."""
    deepest = max(int(setting("REPLY_DEPTH_MAX")), 1)
    if row.parent_depth < deepest or row.parent_parent_id is None:
        return row.parent_id, min(row.parent_depth + 1, deepest)
    return row.parent_parent_id, deepest


def _merged(*parts: dict[str, Any]) -> dict[str, Any]:
    """Join the parameters of posting's one statement, refusing a name two parts would both bind.

    The article, the gate and the limits each name their own parameters; a clash would silently
    bind one part's value to another's placeholder, so it fails loudly instead.
    """
    merged: dict[str, Any] = {}
    for part in parts:
        clash = merged.keys() & part.keys()
        if clash:
            raise RuntimeError(f"posting's statement would bind {sorted(clash)} twice")
        merged.update(part)
    return merged


# What a new comment's row is written with (the other columns keep their defaults: NULL).
_WRITTEN = (
    "article_id",
    "author_id",
    "parent_id",
    "root_id",
    "depth",
    "body",
    "body_html",
    "fingerprint",
    "status",
    "held_because",
    "offered_help",
    "created_at",
    "updated_at",
    "version",
    "thanks_count",  # explicit: a Python-side default is lost when the counter update rides on the INSERT
)


@cache
def _insert_statement(with_counter: bool) -> ReturningInsert[int]:
    """Build, once per form, the INSERT of a new comment, its values bound as ``c_<column>``.

    With ``with_counter`` (PostgreSQL) the article's counter update rides on it as a data-modifying
    CTE, so posting writes in one round trip (measured: the ordinary add() + flush() posts 12-17 %
    slower; docs/performance.md). SQLAlchemy adds parameters named like a column to an UPDATE's SET,
    so the two statements' parameter names must differ from each other and from both tables'
    columns: checked here, once, rather than trusted.
    """
    ours = {f"c_{key}" for key in _WRITTEN}
    theirs = set(counters.bump_parameters(0, 0))
    columns = {c.key for c in Comment.__table__.columns} | {c.key for c in Article.__table__.columns}
    if ours & theirs or (ours | theirs) & columns:
        raise RuntimeError("posting's INSERT and the counter update would share a parameter name")
    statement = insert(Comment).values({key: bindparam(f"c_{key}") for key in _WRITTEN}).returning(Comment.id)
    return statement.add_cte(counters.bump_cte()) if with_counter else statement


def _write(comment: ThreadComment, depth: int = 0) -> int:
    """Write a new comment with one INSERT … RETURNING; return its id.

    The article's stored count and thread version move in the same transaction, riding on the
    INSERT where the database allows it (data-modifying CTEs: PostgreSQL) or as the next statement
    (SQLite, a local call), and the thread's cached copies are invalidated at commit
    (counters.comment_written, the statement-side twin of the unit of work's flush subscriber).
    """
    connection = db.session.connection()
    with_counter = connection.dialect.name == "postgresql"
    public = counters.is_public(comment.status, None)
    row = {
        "article_id": comment.article_id,
        "author_id": comment.author_id,
        "parent_id": comment.parent_id,
        "root_id": comment.root_id,
        "depth": depth,
        "body": comment.body,
        "body_html": comment.body_html,
        "fingerprint": text_fingerprint(comment.body),
        "status": comment.status,
        "held_because": comment.held_because,
        "offered_help": comment.offered_help,
        "created_at": comment.created_at,
        "updated_at": comment.created_at,
        "version": 1,
        "thanks_count": 0,
    }
    values = {f"c_{key}": row[key] for key in _WRITTEN}
    values.update(counters.bump_parameters(comment.article_id, int(public), version=int(public)))
    new_id: int = connection.execute(_insert_statement(with_counter), values).scalar_one()
    counters.comment_written(db.session(), comment.article_id, public=public, bumped=with_counter)
    return new_id
