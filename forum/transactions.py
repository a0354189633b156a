"""Commit once per request: views and services flush, this boundary commits or rolls back."""

from __future__ import annotations

from flask import Flask, Response, request

from forum.extensions import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def register_transaction_boundary(app: Flask) -> None:
    """Commit after a successful state-changing request; roll back after any error."""

    @app.after_request
    def commit_on_success(response: Response) -> Response:
        if request.method in SAFE_METHODS:
            return response  # reads write nothing; the session is discarded at teardown
        if response.status_code < 400:
            db.session.commit()
        else:
            db.session.rollback()
        return response

    @app.teardown_request
    def rollback_on_error(error: BaseException | None) -> None:
        if error is not None:
            db.session.rollback()
