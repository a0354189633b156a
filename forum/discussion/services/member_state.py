"""All that a member's thread page shows of them, read in one statement: the session that opens
their account, their account and profile, the sanctions in force, their unread count, the article,
and their facts in its thread (services/reader_facts.py).

A member's page kept by their worker (forum/discussion/web/member_pages.py) is answered only while
this reads the same as when the page was built, so the state is read as whole rows, not as the
columns today's templates happen to show: a change to any of them builds the page again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

import psycopg
from psycopg.rows import namedtuple_row
from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal_column,
    or_,
    select,
    true,
)

from forum.accounts.models import Profile, Sanction, User, UserSession
from forum.accounts.services import sessions, standing
from forum.discussion.models import Article, public_article
from forum.discussion.services import reader_facts, visits
from forum.discussion.services.reader_facts import ReaderFacts
from forum.notifications.models import Notification
from forum.notifications.services import notices
from forum.platform.database import db
from forum.platform.digests import digest
from forum.platform.models import Base


@dataclass(frozen=True, slots=True)
class MemberState:
    """What one statement read of a member, their session and an article, as of ``now``."""

    values: tuple[Any, ...]  # every column read: equal values, the same page
    profile_id: int
    article_id: int
    slug: str
    thread_version: int
    facts: ReaderFacts
    touch_due: bool  # the session's use is to be recorded (a write: the page is built)
    visit_due: bool  # the visit is to be recorded or moved on (a write: the page is built)
    until: datetime  # when time alone changes it: a use or a visit due, a sanction starting or ending


def read(
    user_id: int, key: str, profile_id: int, article_id: int, now: datetime, config: Any
) -> MemberState | None:
    """Read the state (None when the key opens no live session of the account's, or no article)."""
    params = {
        "key_hash": digest(key),
        "user_id": user_id,
        "since": now - timedelta(days=config["SESSION_IDLE_DAYS"]),
        "now": now,
        "profile_id": profile_id,
        "article_id": article_id,
        "new_visit_before": visits.new_visit_before(now),
    }
    dialect = db.engine.dialect
    if dialect.name == "postgresql":
        row = _read_on_driver(params)
    else:
        row = db.session.connection().execute(_statement(dialect.name), params).first()
    if row is None:
        return None
    facts = reader_facts.facts_of(row)
    _, record = visits.decide(user_id, article_id, now, facts)
    touch = timedelta(seconds=config["SESSION_TOUCH_SECONDS"])
    values = list(row)
    at = row._fields.index("read_sanctions")
    values[at] = tuple(sorted((values[at] or "").split(",")))  # as a set: the database keeps no order
    ends = [row.read_last_seen_at + touch, row.read_sanction_change]
    if facts.seen_at is not None:  # the visit is moved on this long after it was last seen (visits.decide)
        ends.append(facts.seen_at + min(touch, now - visits.new_visit_before(now)))
    return MemberState(
        tuple(values),
        row.read_profile_id,
        row.read_article_id,
        row.read_slug,
        row.read_thread_version,
        facts,
        now - row.read_last_seen_at > touch,
        record is not None,
        min(end for end in ends if end is not None),
    )


@cache
def _statement(dialect: str) -> Select[Any]:
    """Built once per database with parameters (``key_hash``, ``user_id``, ``since``, ``now``,
    ``profile_id``, ``article_id``, ``new_visit_before``): every member's read of a kept page runs it."""
    user_id = bindparam("user_id", type_=Integer)
    article_id = bindparam("article_id", type_=Integer)
    # Its own FROM: nothing of it correlates. Without the news: how many comments are new since the
    # visit, and the first, follow from the visit's row and the thread's generations, both read.
    facts = reader_facts.statement(news=False).subquery("facts")
    sanctions = (
        select(func.aggregate_strings(cast(Sanction.id, String), reader_facts.COMMA))
        .where(standing.in_force(user_id, bindparam("now", type_=Sanction.starts_at.type)))
        .scalar_subquery()
    )
    unread = select(func.count(Notification.id)).where(notices.unread_of(user_id)).scalar_subquery()
    now = bindparam("now", type_=Sanction.starts_at.type)
    mine = standing.unlifted(user_id)
    # The next moment a sanction starts or ends: the page says what the member may do.
    change = select(
        func.min(case((Sanction.starts_at > now, Sanction.starts_at), else_=Sanction.ends_at))
    ).where(mine, or_(Sanction.starts_at > now, Sanction.ends_at > now))
    statement: Select[Any] = (
        select(
            UserSession.last_seen_at.label("read_last_seen_at"),
            User.profile_id.label("read_profile_id"),
            Article.id.label("read_article_id"),
            Article.slug.label("read_slug"),
            Article.thread_version.label("read_thread_version"),
            # Any edit of the article moves updated_at (and the thread's generations); its counters
            # move thread_version. Its long text is not carried on every read.
            Article.state,
            Article.comments_mode,
            Article.updated_at,
            *_whole(UserSession, dialect),
            *_whole(User, dialect),
            *_whole(Profile, dialect),
            sanctions.label("read_sanctions"),
            unread.label("read_unread"),
            change.scalar_subquery().label("read_sanction_change"),
            *facts.c,
        )
        .select_from(UserSession)
        .join(User, User.id == UserSession.user_id)
        .join(Profile, Profile.id == User.profile_id)
        .join(Article, and_(Article.id == article_id, public_article()))
        .join(facts, true())
        .where(sessions.live())
    )
    return statement


def _whole(model: type[Base], dialect: str) -> list[ColumnElement[Any]]:
    """Every column of a row: on PostgreSQL as one text (the row's own), elsewhere one by one."""
    name = model.__tablename__
    if dialect == "postgresql":
        return [literal_column(f"CAST({name} AS TEXT)").label(f"read_{name}")]
    return list(model.__table__.c)


@dataclass(frozen=True, slots=True)
class _DriverStatement:
    """The statement as SQLAlchemy compiled it for psycopg, with each parameter's conversion."""

    sql: str
    constants: dict[str, Any]  # the values SQLAlchemy binds itself (a state, a status), converted
    conversions: dict[str, Any]  # each of ours: its type's conversion, or None


@cache
def _driver_statement() -> _DriverStatement:
    dialect = db.engine.dialect
    compiled = _statement(dialect.name).compile(dialect=dialect)
    conversions = {name: bind.type.bind_processor(dialect) for name, bind in compiled.binds.items()}
    constants = {}
    ours = ("key_hash", "user_id", "since", "now", "profile_id", "article_id", "new_visit_before")
    for name, value in compiled.construct_params(dict.fromkeys(ours)).items():
        if name not in ours:
            convert = conversions.get(name)
            constants[name] = convert(value) if convert else value
    return _DriverStatement(compiled.string, constants, conversions)


def _read_on_driver(params: dict[str, Any]) -> Any:
    """Run the statement on a pooled connection in autocommit, through psycopg alone.

    SQLAlchemy's own work around one execution (its transaction, BEGIN and COMMIT, result rows) cost
    four times the statement (docs/performance.md): this read is every kept page's only work. The text
    and the conversions are still SQLAlchemy's. A failed statement is no answer (the page is built);
    no connection at all is the pool's error, which the app answers as for any page (503)."""
    statement = _driver_statement()
    values = dict(statement.constants)
    for name, value in params.items():
        convert = statement.conversions.get(name)
        values[name] = convert(value) if convert else value
    pooled = db.engine.raw_connection()
    try:
        connection = pooled.driver_connection
        assert connection is not None  # nosec B101 - a pooled connection has its driver's
        connection.autocommit = True
        try:
            with connection.cursor(row_factory=namedtuple_row) as cursor:
                return cursor.execute(statement.sql, values, prepare=True).fetchone()
        finally:
            connection.autocommit = False
    except psycopg.Error:
        pooled.invalidate()
        return None
    finally:
        pooled.close()
