"""Commit once per request: services flush, this boundary commits or rolls back from what happened.

A state-changing request commits at the end unless its transaction was refused: a domain error
raised anywhere in the request, an HTTP error, or an unexpected exception. A view that catches a
domain error and answers a friendly redirect therefore still undoes what the service flushed
before it raised (``forum/platform/unit_of_work.py``). Reads (GET, HEAD, OPTIONS) never commit.

On SQLite, state-changing requests start their transaction with ``BEGIN IMMEDIATE``: a deferred
``BEGIN`` reads first and asks for the write lock later, and if another request committed in
between SQLite refuses at once (``SQLITE_BUSY_SNAPSHOT``) instead of waiting. Taking the lock up
front (waiting up to the busy timeout) means a write never meets a stale snapshot.
"""

from __future__ import annotations

from flask import Flask, Response, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Connection

from forum.platform.database import db
from forum.platform.unit_of_work import forget_refusal, transaction

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _begin_sqlite(connection: Connection) -> None:
    """Start a state-changing request's transaction with BEGIN IMMEDIATE (take the write lock first)."""
    if has_request_context() and request.method not in SAFE_METHODS:
        # Straight to the driver, which then sees a transaction open and adds no BEGIN of its own.
        driver = connection.connection.driver_connection
        if driver is not None:
            driver.execute("BEGIN IMMEDIATE")


def init_app(app: Flask) -> None:
    """Commit after a state-changing request that nothing refused; roll back otherwise."""
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "begin", _begin_sqlite)

    @app.after_request
    def commit_or_roll_back(response: Response) -> Response:
        if not db.session.registry.has():
            return response
        if transaction().should_commit:
            if request.method not in SAFE_METHODS:  # reads write nothing; discarded at teardown
                db.session.commit()
        else:
            # A refusal ends with its request, even when no transaction was open (the rollback then
            # fires no event), so it cannot refuse the next request where a session is shared (tests).
            db.session.rollback()
            forget_refusal(db.session())
        return response

    @app.teardown_request
    def rollback_on_error(error: BaseException | None) -> None:
        if error is not None and db.session.registry.has():
            db.session.rollback()
