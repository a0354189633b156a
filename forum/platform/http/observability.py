"""Give every request an id and log it as one JSON line: never secrets, passwords or comment text."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from typing import Any

from flask import Flask, g, has_request_context, request
from sqlalchemy import inspect
from werkzeug.wrappers import Response

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
request_log = logging.getLogger("forum.request")


class RequestIdFilter(logging.Filter):
    """Stamp log records made during a request with its id."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id") if has_request_context() else None
        return True


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object: time, level, logger, message, request id and extras."""

    EXTRAS = ("request_id", "method", "path", "status", "duration_ms", "user_id", "remote_addr")

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in self.EXTRAS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


JsonFormatter.converter = time.gmtime


def logging_config(level: str = "INFO") -> dict[str, Any]:
    """Return a dictConfig that sends JSON lines to stderr (used by gunicorn.conf.py)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "forum.observability.RequestIdFilter"}},
        "formatters": {"json": {"()": "forum.observability.JsonFormatter"}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "filters": ["request_id"],
                "stream": "ext://sys.stderr",
            },
        },
        "root": {"level": level, "handlers": ["stderr"]},
        "loggers": {
            "gunicorn.error": {"level": level, "handlers": ["stderr"], "propagate": False},
            "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
        },
    }


def _loaded_user_id() -> str | None:
    """The user id if this request already loaded the user (never triggers a database query)."""
    user = g.get("_login_user")
    if user is None:  # a page answered from a member's kept copy names them without loading them
        reader = g.get("reader_user_id")
        return None if reader is None else str(reader)
    if not user.is_authenticated:
        return None
    identity = inspect(user).identity  # read from the identity map: no query even after a commit
    return str(identity[0]) if identity else None


def init_app(app: Flask) -> None:
    """Take a safe X-Request-ID from the proxy or make one; echo it back and log the request."""

    @app.before_request
    def assign_request_id() -> None:
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if REQUEST_ID.match(incoming) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def log_request(response: Response) -> Response:
        request_id = g.get("request_id")
        if request_id:
            response.headers["X-Request-ID"] = request_id
        started = g.get("request_started")
        request_log.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,  # never the query string: it may carry an email or a token
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
                "user_id": _loaded_user_id(),
                "remote_addr": request.remote_addr,
            },
        )
        return response
