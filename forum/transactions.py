"""Commit once per request: views and services flush, this boundary commits or rolls back."""

from __future__ import annotations

from flask import Flask, Response, request

from forum.extensions import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_KEEP = "keep_despite_refusal"


def keep_despite_refusal() -> None:
    """Let a service say that what it flushed stands even though it then refuses the request (a 4xx).

    Example: a login refused because the email is not confirmed still sends, and must store, a new link.
    """
    db.session.info[_KEEP] = True


def register_transaction_boundary(app: Flask) -> None:
    """Commit after a successful state-changing request; roll back after any error."""

    @app.after_request
    def commit_on_success(response: Response) -> Response:
        if request.method in SAFE_METHODS:
            return response  # reads write nothing; the session is discarded at teardown
        keep = db.session.info.pop(_KEEP, False)
        if response.status_code < 400 or (keep and response.status_code < 500):
            db.session.commit()
        else:
            db.session.rollback()
        return response

    @app.teardown_request
    def rollback_on_error(error: BaseException | None) -> None:
        if not db.session.registry.has():
            return  # the request never opened a session (a cached page, a 304): nothing to undo
        db.session.info.pop(_KEEP, None)
        if error is not None:
            db.session.rollback()
