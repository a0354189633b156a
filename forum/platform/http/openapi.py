"""Describe the API's errors in the OpenAPI document: one error shape, every status an operation gives.

flask-smorest documents what each view declares (its response, ``alt_response`` and the 422 of
its arguments) plus a catch-all ``default``. A catch-all would make any status "documented", so
the forum switches it off (``ForumApi`` below) and this plugin adds, truthfully, the
statuses that come from the edge rather than from a view:

- 401 on every operation: a bearer token that is unknown or revoked is refused before any view;
- 503 on every operation: the database cannot be reached;
- 404 where the path has parameters: the id or slug may name nothing (ids past the database's
  range never match a route, see ``forum/ids.py``);
- 400 on state-changing operations: a JSON body that does not parse, or a session call
  without its ``X-CSRFToken`` header; 413 where there is a body: the request is too large.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from apispec import BasePlugin
from flask_smorest import Api, Blueprint
from marshmallow import Schema, fields

from forum.platform.http.security import csrf

UNSAFE = frozenset({"post", "put", "patch", "delete"})


class ErrorSchema(Schema):
    """An error (forum/errors.py ``error_body``); every field is always present."""

    code = fields.Integer(required=True, metadata={"description": "The HTTP status code"})
    status = fields.String(required=True, metadata={"description": "The HTTP status phrase"})
    message = fields.String(required=True, metadata={"description": "What went wrong, in a sentence"})
    errors = fields.Dict(
        required=True,
        metadata={"description": "Field name to its messages; empty when no field is to blame"},
    )


class CommonResponses(BasePlugin):
    """Add the edge's statuses (401, 503, and 400/404/413 where they apply) to every operation."""

    def operation_helper(
        self, path: str | None = None, operations: dict[str, Any] | None = None, **kwargs: Any
    ) -> None:
        """Add what is missing; a view's own declaration (and description) wins."""
        for method, operation in (operations or {}).items():
            if not isinstance(operation, dict) or method not in {"get", "head", *UNSAFE}:
                continue
            statuses = [401, 503]
            if "{" in (path or ""):
                statuses.append(404)
            if method in UNSAFE:
                statuses.append(400)
            if "requestBody" in operation or method in UNSAFE:
                statuses.append(413)
            responses = operation.setdefault("responses", {})
            for status in statuses:
                if status not in responses and str(status) not in responses:
                    # flask-smorest's lazily registered response: the phrase and the error schema
                    responses[status] = HTTPStatus(status).name


class ForumApi(Api):
    """flask-smorest's Api with the forum's error schema and no catch-all ``default`` response."""

    ERROR_SCHEMA = ErrorSchema
    DEFAULT_ERROR_RESPONSE_NAME = None

    def __init__(self) -> None:
        super().__init__(spec_kwargs={"extra_plugins": [CommonResponses()]})


api = ForumApi()  # every status documented, in the one error shape


def register_api(blueprint: Blueprint) -> None:
    """Add a feature's API blueprint to the OpenAPI document.

    Its calls need no CSRF token from forms: a bearer token cannot be forged cross-site, and calls
    riding on a browser session must send X-CSRFToken (checked in forum/accounts/http/identity.py).
    """
    csrf.exempt(blueprint)
    api.register_blueprint(blueprint)
