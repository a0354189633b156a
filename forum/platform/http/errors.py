"""Answer every error as JSON under /api and as a page elsewhere, in the one error shape."""

from __future__ import annotations

import logging
import time
from http import HTTPStatus
from typing import Any

from flask import Flask, Response, jsonify, make_response, render_template, request
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError

from forum.platform.database import db
from forum.platform.errors import DomainError
from forum.platform.http.ratelimits import limiter
from forum.platform.http.templating import database_failed
from forum.platform.unit_of_work import refuse

log = logging.getLogger(__name__)


def wants_json() -> bool:
    """Answer JSON for the API and for clients that ask only for JSON."""
    return request.path.startswith("/api/")


def error_body(status: int, message: str, errors: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build the one JSON error shape ``{code, status, message, errors}``."""
    return {
        "code": status,
        "status": HTTPStatus(status).phrase,
        "message": message,
        "errors": errors or {},
    }


def render_error(
    status: int, message: str, errors: dict[str, Any] | None = None
) -> tuple[Response | str, int]:
    """Render an error as JSON or as an HTML page, whichever the request expects."""
    if wants_json():
        return jsonify(error_body(status, message, errors)), status
    template = f"errors/{status}.html" if status in (404, 500, 503) else "errors/error.html"
    return render_template(template, status=status, message=message, errors=errors or {}), status


def _handle_http(error: HTTPException) -> Any:
    refuse()  # whatever the request flushed before the error is undone
    status = error.code or 500
    errors: dict[str, Any] = {}
    data = getattr(error, "data", None)  # webargs/flask-smorest put field messages here
    if isinstance(data, dict) and "messages" in data:
        messages = data["messages"]
        # Flatten {"json": {...}} / {"query": {...}} into the field map clients expect.
        for location in ("json", "query", "form", "files", "view_args"):
            if isinstance(messages, dict) and location in messages:
                found = messages[location]
                if isinstance(found, dict):
                    errors.update(found)
                else:  # about the whole body, e.g. ["Invalid JSON body."]
                    errors.setdefault("_body", []).extend(found if isinstance(found, list) else [found])
        if not errors and isinstance(messages, dict):
            errors = messages
    description = error.description if isinstance(error.description, str) else None
    message = description or "Request failed."
    if status == 422 and errors:
        message = "Some fields need attention."
    elif "_body" in errors:
        message = " ".join(str(m) for m in errors["_body"])
    response = make_response(*render_error(status, message, errors))
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    if status == 429:
        response.headers["Retry-After"] = _retry_after()
    return response


def _retry_after() -> str:
    """Say in seconds when the breached rate limit lets the caller in again (a guess if storage fails)."""
    limit = limiter.current_limit
    try:
        seconds = int(limit.reset_at - time.time()) if limit is not None else 60
    except Exception:  # the limit's storage is down; rate limiting has fallen back to memory
        seconds = 60
    return str(max(seconds, 1))


def _handle_domain(error: DomainError) -> Any:
    response = make_response(*render_error(error.status, error.message, error.errors))
    response.headers.update(error.headers)
    return response


def _handle_database_down(error: Exception) -> Any:
    """Answer 503 while the database is unreachable; the pool reconnects once it is back."""
    log.error("database unavailable: %s", type(error).__name__)
    refuse()
    database_failed()
    db.session.rollback()
    body, status = render_error(
        503, "The forum cannot reach its database just now. Please try again in a minute."
    )
    response = make_response(body, status)
    response.headers["Retry-After"] = "30"
    return response


def _is_connection_problem(error: DBAPIError) -> bool:
    return bool(error.connection_invalidated) or isinstance(error, (OperationalError, InterfaceError))


def _handle_dbapi(error: DBAPIError) -> Any:
    if _is_connection_problem(error):
        return _handle_database_down(error)
    return _handle_unexpected(error)


def _handle_unexpected(error: Exception) -> Any:
    log.exception("unhandled error", exc_info=error)
    refuse()
    database_failed()
    # A failed statement leaves PostgreSQL's transaction aborted: rendering the page (which may
    # load the current user) and the rest of the request must start clean.
    db.session.rollback()
    return render_error(500, "Something went wrong on our side. Please try again.")


def init_app(app: Flask) -> None:
    """Route every error through one JSON-or-HTML renderer (registered after flask-smorest's)."""
    app.register_error_handler(HTTPException, _handle_http)
    app.register_error_handler(DomainError, _handle_domain)
    app.register_error_handler(InternalServerError, _handle_unexpected)
    app.register_error_handler(DBAPIError, _handle_dbapi)
    app.register_error_handler(PoolTimeout, _handle_database_down)
    app.register_error_handler(Exception, _handle_unexpected)
