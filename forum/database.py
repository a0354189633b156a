"""Tune database connections: SQLite gets WAL, a busy timeout, foreign keys and write-first transactions.

SQLite allows one writer at a time. A request that starts with a plain (deferred) ``BEGIN``
reads first and asks for the write lock later; if another request committed in between,
SQLite refuses at once (``SQLITE_BUSY_SNAPSHOT``) instead of waiting, and the request
would fail. State-changing requests therefore open their transaction with
``BEGIN IMMEDIATE``: they queue for the write lock up front (waiting up to the busy
timeout) and then never meet a stale snapshot. Everything else keeps the driver's own
behaviour (a deferred ``BEGIN`` just before the first write), and under WAL readers never
block the writer nor wait for it.
"""

from __future__ import annotations

import select
from functools import partial
from typing import Any

from flask import Flask, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DisconnectionError

from forum.extensions import db
from forum.services import counters

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


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


def _begin_sqlite(connection: Connection) -> None:
    """Start a state-changing request's transaction with BEGIN IMMEDIATE (take the write lock first)."""
    if has_request_context() and request.method not in SAFE_METHODS:
        # Straight to the driver, which then sees a transaction open and adds no BEGIN of its own.
        driver = connection.connection.driver_connection
        if driver is not None:
            driver.execute("BEGIN IMMEDIATE")


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
    if engine.dialect.name != "sqlite":
        return
    event.listen(engine, "connect", partial(_configure_sqlite, busy_timeout_ms))
    event.listen(engine, "begin", _begin_sqlite)


def register_database(app: Flask) -> None:
    """Tune the app's engine (Flask-SQLAlchemy built it in ``init_app`` without connecting) and keep
    the per-article comment counts and thread versions in step with every flush."""
    with app.app_context():
        tune_engine(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
    counters.install()
