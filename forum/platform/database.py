"""Hold the database objects and tune their connections: SQLite's pragmas, PostgreSQL's liveness check.

``db`` (Flask-SQLAlchemy, on the forum's model base) and ``migrate`` (Flask-Migrate) are bound to an
app by ``create_app``. Sessions are ``ForumSession``, the forum's own class, so the unit of work's
listeners (``forum/platform/unit_of_work.py``) reach these sessions and nothing else.

SQLite allows one writer at a time; the request boundary opens state-changing requests with
``BEGIN IMMEDIATE`` (``forum/platform/http/transactions.py``). Here every connection gets WAL (readers
never block the writer), a busy timeout (wait for the lock rather than fail), foreign keys and
``synchronous=NORMAL``.
"""

from __future__ import annotations

import select
from functools import partial
from typing import Any

from flask import Flask
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import event, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError

from forum.platform.config import PROJECT_ROOT
from forum.platform.models import Base, migration_tracks


class ForumSession(FlaskSession):
    """The forum's sessions: Flask-SQLAlchemy's, under a class of our own for the unit of work's events."""


db = SQLAlchemy(model_class=Base, session_options={"class_": ForumSession})
migrate = Migrate()


def _configure_sqlite(busy_timeout_ms: int, dbapi_connection: Any, _record: Any) -> None:
    """Set the per-connection pragmas as soon as SQLite opens a connection."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")  # wait for the lock, not fail
        cursor.execute("PRAGMA foreign_keys=ON")  # SQLite leaves them off unless asked
        # With WAL, NORMAL survives a killed process (what tests/integration/test_durability.py does);
        # only an OS crash or power cut can undo the last commits. Production runs PostgreSQL.
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def _server_has_spoken(fd: int) -> bool:
    """Tell whether an idle connection's socket has something to read (it should not)."""
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLERR | select.POLLHUP)
    return bool(poller.poll(0))


def _refuse_closed_connections(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """Replace a pooled PostgreSQL connection the server has closed, without a round trip.

    This does pool_pre_ping's job for the usual cases at no cost: an idle connection has
    nothing to read, so a readable socket means PostgreSQL sent its termination notice or the
    connection was cut (restart, pg_terminate_backend, a failed proxy), and the pool opens a
    new one (SQLAlchemy retries a checkout refused with DisconnectionError). A server that
    vanished without a word is found on first use instead: that request is a 503 and the pool
    drops every connection older than the failure.
    """
    if dbapi_connection.closed or _server_has_spoken(dbapi_connection.fileno()):
        raise DisconnectionError("the database server closed this pooled connection")


def tune_engine(engine: Engine, busy_timeout_ms: int) -> None:
    """Install the SQLite connection settings on ``engine``, or PostgreSQL's liveness check."""
    if engine.dialect.name == "postgresql":
        event.listen(engine, "checkout", _refuse_closed_connections)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", partial(_configure_sqlite, busy_timeout_ms))


def insert_unless_present(model: type[Base], values: dict[str, Any]) -> None:
    """INSERT one row, doing nothing when its key is already there (another request added it a moment
    ago): ``ON CONFLICT DO NOTHING`` on PostgreSQL and SQLite, a plain INSERT elsewhere."""
    dialect = db.session.connection().dialect.name
    statement: Any
    if dialect == "postgresql":
        statement = postgresql.insert(model).values(values).on_conflict_do_nothing()
    elif dialect == "sqlite":
        statement = sqlite.insert(model).values(values).on_conflict_do_nothing()
    else:  # pragma: no cover - the forum runs on these two
        statement = insert(model).values(values)
    db.session.execute(statement)


def init_app(app: Flask) -> None:
    """Bind ``db`` and ``migrate`` to ``app`` and tune its engine (built without connecting)."""
    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(PROJECT_ROOT / "migrations"),
        render_as_batch=True,
        include_object=migration_tracks,
    )
    with app.app_context():
        tune_engine(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
