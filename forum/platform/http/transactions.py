"""Commit once per request: services flush, this boundary commits or rolls back from what happened.

A state-changing request commits at the end unless its transaction was refused: a domain error
raised anywhere in the request, an HTTP error, or an unexpected exception. A view that catches a
domain error and answers a friendly redirect therefore still undoes what the service flushed
before it raised (``forum/platform/unit_of_work.py``). Reads (GET, HEAD, OPTIONS) never commit a
write: a read that sent an INSERT, UPDATE or DELETE, holds changes a commit would flush, or
gathered anything for after a commit (mail, jobs) is rolled back. One that only read ends with
COMMIT, which ends it alike but keeps the connection's prepared statements: psycopg forgets them at
every ROLLBACK (``DEALLOCATE ALL``), so each read re-planned every statement it sent.

On SQLite, state-changing requests start their transaction with ``BEGIN IMMEDIATE``: a deferred
``BEGIN`` reads first and asks for the write lock later, and if another request committed in
between SQLite refuses at once (``SQLITE_BUSY_SNAPSHOT``) instead of waiting. Taking the lock up
front (waiting up to the busy timeout) means a write never meets a stale snapshot.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from forum.platform.database import db
from forum.platform.unit_of_work import forget_refusal, transaction

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
log = logging.getLogger(__name__)


def after_read(work: Callable[[], None]) -> None:
    """Have a read record something (who looked at a private record) once its page is built: in its own
    small transaction after the response, so the read's own transaction still never commits and a
    busy database cannot fail the page. A state-changing request's own commit carries it instead."""
    if request.method not in SAFE_METHODS:
        work()
        return
    g.setdefault("after_read", []).append(work)


def _run_after_read(response: Response) -> Response:
    pending: list[Callable[[], None]] = g.pop("after_read", [])
    if not pending or response.status_code >= 400:
        return response
    try:
        db.session.rollback()  # end the read-only transaction; this write starts a fresh one
        for work in pending:
            work()
        db.session.commit()
    except SQLAlchemyError as exc:
        db.session.rollback()
        log.warning("could not record after a read: %s", type(exc).__name__)
    return response


_WRITES = ("INSERT", "UPDATE", "DELETE", "MERGE")


def _note_writes(
    conn: Connection, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
) -> None:
    """Remember that this request's transaction wrote something (reads that did are rolled back)."""
    if not has_request_context() or request.method not in SAFE_METHODS:
        return
    wrote = context is not None and (context.isinsert or context.isupdate or context.isdelete)
    if wrote or statement.lstrip()[:6].upper().startswith(_WRITES):
        request.wrote = True  # type: ignore[attr-defined]


def _changed() -> bool:
    """Whether the session holds changes a COMMIT would flush (objects added, changed or deleted)."""
    session = db.session()
    return bool(session.new or session.deleted or session.dirty)


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
        event.listen(db.engine, "before_cursor_execute", _note_writes)

    app.after_request(_run_after_read)

    @app.after_request
    def commit_or_roll_back(response: Response) -> Response:
        if not db.session.registry.has():
            return response
        state = transaction()
        if state.should_commit:
            if request.method not in SAFE_METHODS:
                db.session.commit()
            elif getattr(request, "wrote", False) or _changed() or state.gathered:
                # A read keeps nothing it wrote, would write at the commit, or meant to send after it.
                db.session.rollback()
            else:
                db.session.commit()  # nothing written: ends the read and keeps its prepared statements
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
