"""Keep stored counts right in the transaction of every change: each article's public comment count and
thread version, and the number of published articles.

The discussion's unit-of-work subscriber (:func:`apply`) reads every flush's change set: a comment
that becomes public (posted approved, approved, redacted into publication) adds one; one that stops
being public (rejected after publication, taken down, hidden by reports, deleted by its author, sent
back by an edit) takes one away. Any change the public can see — to a comment that is or was
public, its article or a profile shown in a thread — bumps that thread's version, which keys
cached copies and ETags; a change only its author and moderators can see (a comment posted,
edited or decided while pending) bumps nothing, so an anonymous ETag cannot tell strangers that
someone wrote something held back. The UPDATEs run on the flush's own
connection, so they commit or roll back with the change (savepoints included). Statements that
bypass the unit of work (bulk inserts in tests and benchmarks) call :func:`recount` afterwards.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    CTE,
    Connection,
    Integer,
    Update,
    bindparam,
    func,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.orm import Session

from forum.accounts.models import Profile
from forum.discussion.models import (
    PUBLISHED_ARTICLES,
    Article,
    ArticleState,
    Comment,
    CommentStatus,
    SiteCounter,
    public_article,
)
from forum.discussion.services import thread_cache
from forum.platform.database import db
from forum.platform.unit_of_work import ChangeSet


def is_public(status: CommentStatus | None, deleted_at: datetime | None) -> bool:
    """Tell whether a comment with these values counts for everyone (as visibility.public_comments)."""
    return status == CommentStatus.APPROVED and deleted_at is None


@dataclass
class ThreadChanges:
    """What a flush changes in the threads, worked out once from its change set."""

    deltas: Counter[int] = field(default_factory=Counter)  # public comments gained per article
    touched: set[int] = field(default_factory=set)  # articles whose thread shows something different
    profiles: set[int] = field(default_factory=set)  # profiles shown beside comments, changed
    published: int = 0  # articles published minus articles withdrawn

    def __bool__(self) -> bool:
        return bool(self.touched or self.profiles or self.published)


def _was_public(comment: Comment) -> bool:
    return is_public(ChangeSet.before(comment, "status"), ChangeSet.before(comment, "deleted_at"))


def thread_changes(changes: ChangeSet) -> ThreadChanges:
    """Read the counts, threads and profiles a flush changes (no queries)."""
    found = ThreadChanges()
    new_comments, dirty_comments, deleted_comments = changes.of(Comment)
    new_articles, dirty_articles, deleted_articles = changes.of(Article)
    for comment in new_comments:
        if is_public(comment.status, comment.deleted_at):
            found.touched.add(comment.article_id)
            found.deltas[comment.article_id] += 1
    for comment in dirty_comments:
        now, before = is_public(comment.status, comment.deleted_at), _was_public(comment)
        if now or before:
            found.touched.add(comment.article_id)
            found.deltas[comment.article_id] += int(now) - int(before)
    for comment in deleted_comments:
        if _was_public(comment):
            found.touched.add(comment.article_id)
            found.deltas[comment.article_id] -= 1
    found.published += sum(1 for article in new_articles if article.state == ArticleState.PUBLISHED)
    for article in dirty_articles:
        found.touched.add(article.id)
        if ChangeSet.changed(article, "state"):
            found.published += int(article.state == ArticleState.PUBLISHED) - int(
                ChangeSet.before(article, "state") == ArticleState.PUBLISHED
            )
    found.published -= sum(1 for article in deleted_articles if article.state == ArticleState.PUBLISHED)
    found.touched.update(article.id for article in deleted_articles)  # no copy of a gone thread may stay
    found.profiles.update(profile.id for profile in changes.of(Profile)[1])
    return found


def _add_published(connection: Connection, delta: int) -> None:
    """Move the stored count of published articles (counting them once if the row is missing)."""
    moved = connection.execute(
        update(SiteCounter)
        .where(SiteCounter.name == PUBLISHED_ARTICLES)
        .values(value=SiteCounter.value + delta)
    )
    if moved.rowcount == 0:  # a database emptied by hand (tests truncate tables): count what is there
        connection.execute(insert(SiteCounter).values(name=PUBLISHED_ARTICLES, value=_published_count()))


def _published_count() -> Any:
    return select(func.count(Article.id)).where(public_article()).scalar_subquery()


@cache
def _bump_article() -> Update:
    """Build the per-article counter update every comment change runs, once (see bump_parameters).

    Its parameters (``bump_article``, ``bump_delta``) are named so that they cannot be taken for a
    column of a statement it rides on (bump_cte): SQLAlchemy adds matching keys to an UPDATE's SET.
    """
    return (
        update(Article)
        .where(Article.id == bindparam("bump_article"))
        .values(
            comment_count=Article.comment_count + bindparam("bump_delta", type_=Integer),
            thread_version=Article.thread_version + bindparam("bump_version", type_=Integer),
            updated_at=Article.updated_at,  # the article's own text did not change
        )
    )


def bump_parameters(article_id: int, delta: int, version: int = 1) -> dict[str, int]:
    """The values the counter update is bound to: ``delta`` public comments more on ``article_id``, and
    ``version`` (1 when the public sees a change, 0 when they do not) added to its thread version."""
    return {"bump_article": article_id, "bump_delta": delta, "bump_version": version}


def apply(changes: ChangeSet) -> None:
    """Record what a flush changed in the threads (the discussion's unit-of-work flush subscriber)."""
    found = thread_changes(changes)
    if found:
        _record(changes.session, found, bumped=frozenset())
        # Loaded articles read their new count and version again, once the flush is over.
        changes.afterwards(lambda: _expire_loaded(changes.session, found.touched, bool(found.profiles)))


def comment_written(session: Session, article_id: int, *, public: bool, bumped: bool) -> None:
    """Record a comment written by a statement rather than a flush (posting), as apply does for a flush.

    ``bumped``: the INSERT carried :func:`bump_cte`, so the article's counter update already ran.
    """
    if not public:  # only its author and moderators see it: nothing public changed (bump_version 0)
        return
    found = ThreadChanges(touched={article_id})
    found.deltas[article_id] = 1
    _record(session, found, bumped=frozenset({article_id}) if bumped else frozenset())
    _expire_loaded(session, found.touched, everything=False)


def comments_changed(session: Session, changes: Iterable[tuple[int, bool, bool]]) -> None:
    """Record comments changed by a statement rather than a flush (a bulk decision), as apply does:
    ``changes`` holds (article id, public before, public after) for each comment changed."""
    found = ThreadChanges()
    for article_id, before, after in changes:
        if before or after:  # what the public sees changed; a held comment refused moves nothing
            found.touched.add(article_id)
            found.deltas[article_id] += int(after) - int(before)
    if found:
        _record(session, found, bumped=frozenset())
        _expire_loaded(session, found.touched, everything=False)


def _record(session: Session, found: ThreadChanges, *, bumped: frozenset[int]) -> None:
    """Move the stored counts and versions on the session's connection (they commit or roll back with
    the change) and note the touched threads for the cache."""
    connection = session.connection()
    if found.published:
        _add_published(connection, found.published)
    # One statement for every touched thread (an executemany), in one order everywhere, so two
    # writers never deadlock and a decision on 200 comments in 50 threads costs what one does.
    bumps = [
        bump_parameters(article_id, found.deltas[article_id]) for article_id in sorted(found.touched - bumped)
    ]
    if bumps:
        connection.execute(_bump_article(), bumps if len(bumps) > 1 else bumps[0])
    if found.profiles:  # names and roles show beside every comment of theirs
        connection.execute(
            update(Article)
            .where(
                Article.id.in_(
                    select(Comment.article_id).where(Comment.author_id.in_(sorted(found.profiles)))
                )
            )
            .values(thread_version=Article.thread_version + 1, updated_at=Article.updated_at)
        )
    thread_cache.note_touched(found.touched, everything=bool(found.profiles))


def _expire_loaded(session: Session, stale: set[int], everything: bool) -> None:
    """Make loaded articles read their new count and version again."""
    for obj in list(session.identity_map.values()):
        # The identity, not obj.id: reading an attribute of an expired article would load it.
        if isinstance(obj, Article) and (everything or (inspect(obj).identity or (None,))[0] in stale):
            session.expire(obj, ["comment_count", "thread_version"])


@cache
def bump_cte() -> CTE:
    """The per-article counter update as a CTE, to ride on another statement (PostgreSQL only)."""
    return _bump_article().cte("bumped")


def recount(article_ids: Iterable[int] | None = None) -> None:
    """Recompute public counts from the rows and bump versions (after bulk statements; None: all)."""
    count = (
        select(func.count(Comment.id))
        .where(
            Comment.article_id == Article.id,
            Comment.status == CommentStatus.APPROVED,
            Comment.deleted_at.is_(None),
        )
        .correlate(Article)
        .scalar_subquery()
    )
    statement = update(Article).values(
        comment_count=count, thread_version=Article.thread_version + 1, updated_at=Article.updated_at
    )
    if article_ids is not None:
        statement = statement.where(Article.id.in_(sorted(set(article_ids))))
    db.session.execute(statement, execution_options={"synchronize_session": False})
    connection = db.session.connection()
    moved = connection.execute(
        update(SiteCounter).where(SiteCounter.name == PUBLISHED_ARTICLES).values(value=_published_count())
    )
    if moved.rowcount == 0:
        connection.execute(insert(SiteCounter).values(name=PUBLISHED_ARTICLES, value=_published_count()))
    db.session.expire_all()
