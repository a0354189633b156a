"""Keep stored counts right in the transaction of every change: each article's public comment count
and thread version, and the number of published articles.

One session hook sees every flush: a comment that becomes public (posted approved, approved,
redacted into publication) adds one; one that stops being public (rejected after publication,
taken down, hidden by reports, deleted by its author, sent back by an edit) takes one away. Any
change to a comment, its article or a profile shown in a thread bumps that thread's version, which
keys cached copies and ETags. The UPDATEs run on the flush's own connection, so they commit or
roll back with the change (savepoints included). Statements that bypass the unit of work (bulk
inserts in tests and benchmarks) call :func:`recount` afterwards.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    CTE,
    Connection,
    Integer,
    Update,
    bindparam,
    event,
    func,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.orm import Session

from forum import cache as thread_caches
from forum.extensions import db
from forum.models import PUBLISHED_ARTICLES, Article, Comment, CommentStatus, Profile, SiteCounter

_PUBLIC_FIELDS = ("status", "deleted_at")


def is_public(status: CommentStatus | None, deleted_at: datetime | None) -> bool:
    """Tell whether a comment with these values counts for everyone (as visibility.public_comments)."""
    return status == CommentStatus.APPROVED and deleted_at is None


def _before_and_after(comment: Comment) -> tuple[bool, bool]:
    """Whether the comment was public before this flush and is now."""
    state = inspect(comment)
    old: dict[str, Any] = {}
    changed = False
    for name in _PUBLIC_FIELDS:
        history = state.attrs[name].history
        if history.deleted:
            old[name] = history.deleted[0]
            changed = True
        elif history.added:  # set without a previous value: only on new objects
            old[name] = None
            changed = True
        else:
            old[name] = getattr(comment, name)
    now = is_public(comment.status, comment.deleted_at)
    return (is_public(old["status"], old["deleted_at"]) if changed else now), now


def _published_change(article: Article) -> int:
    """+1 when the flush publishes the article, -1 when it withdraws it, else 0."""
    history = inspect(article).attrs.published.history
    if not history.has_changes():
        return 0
    before = bool(history.deleted[0]) if history.deleted else False
    return int(bool(article.published)) - int(before)


def _changes(session: Session) -> tuple[Counter[int], set[int], set[int], int]:
    """Count deltas per article, articles whose thread changed, profiles whose details changed, and the
    change in published articles."""
    deltas: Counter[int] = Counter()
    touched: set[int] = set()
    profiles: set[int] = set()
    published = 0
    for obj in session.new:
        if isinstance(obj, Article) and obj.published:
            published += 1
        elif isinstance(obj, Comment):
            touched.add(obj.article_id)
            if is_public(obj.status, obj.deleted_at):
                deltas[obj.article_id] += 1
    for obj in session.dirty:
        if isinstance(obj, Comment) and session.is_modified(obj):
            touched.add(obj.article_id)
            before, after = _before_and_after(obj)
            deltas[obj.article_id] += int(after) - int(before)
        elif isinstance(obj, Article) and session.is_modified(obj):
            touched.add(obj.id)
            published += _published_change(obj)
        elif isinstance(obj, Profile) and session.is_modified(obj):
            profiles.add(obj.id)
    for obj in session.deleted:
        if isinstance(obj, Comment):
            touched.add(obj.article_id)
            before, _ = _before_and_after(obj)
            deltas[obj.article_id] -= int(before)
        elif isinstance(obj, Article) and obj.published:
            published -= 1
    return deltas, touched, profiles, published


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
    return select(func.count(Article.id)).where(Article.published.is_(True)).scalar_subquery()


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
            thread_version=Article.thread_version + 1,
            updated_at=Article.updated_at,  # the article's own text did not change
        )
    )


def bump_parameters(article_id: int, delta: int) -> dict[str, int]:
    """The values the counter update is bound to: ``delta`` public comments more on ``article_id``."""
    return {"bump_article": article_id, "bump_delta": delta}


def _after_flush(session: Session, flush_context: Any) -> None:
    deltas, touched, profiles, published = _changes(session)
    if not (touched or profiles or published):
        return
    connection = session.connection()
    if published:
        _add_published(connection, published)
    for article_id in sorted(touched):  # one order everywhere, so two writers never deadlock on it
        connection.execute(_bump_article(), bump_parameters(article_id, deltas[article_id]))
    if profiles:  # names and roles show beside every comment of theirs
        connection.execute(
            update(Article)
            .where(Article.id.in_(select(Comment.article_id).where(Comment.author_id.in_(sorted(profiles)))))
            .values(thread_version=Article.thread_version + 1, updated_at=Article.updated_at)
        )
    session.info.setdefault("stale_articles", set()).update(touched)
    if profiles:
        session.info["stale_all_articles"] = True


def _after_flush_postexec(session: Session, flush_context: Any) -> None:
    """Make loaded articles read their new count and version again."""
    stale = session.info.pop("stale_articles", set())
    everything = session.info.pop("stale_all_articles", False)
    if not (stale or everything):
        return
    for obj in list(session.identity_map.values()):
        # The identity, not obj.id: reading an attribute of an expired article would load it.
        if isinstance(obj, Article) and (everything or (inspect(obj).identity or (None,))[0] in stale):
            session.expire(obj, ["comment_count", "thread_version"])


@cache
def bump_cte() -> CTE:
    """The per-article counter update as a CTE, to ride on another statement (PostgreSQL only)."""
    return _bump_article().cte("bumped")


def comment_inserted(session: Session, article_id: int, *, public: bool, bumped: bool) -> None:
    """Account for a comment written with a plain INSERT (the posting path) as the hooks would for a flush.

    Moves the article's count (when the comment is public) and thread version on the session's
    connection, so they commit with the comment, unless the INSERT carried bump_cte() (``bumped``);
    a loaded article reads them again; the thread's cached copies are invalidated at commit.
    """
    if not bumped:
        session.connection().execute(_bump_article(), bump_parameters(article_id, int(public)))
    loaded = session.identity_map.get(inspect(Article).identity_key_from_primary_key((article_id,)))
    if loaded is not None:
        session.expire(loaded, ["comment_count", "thread_version"])
    thread_caches.mark_touched(session, article_id)


def install() -> None:
    """Attach the hooks to every session (once)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "after_flush_postexec", _after_flush_postexec)


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
