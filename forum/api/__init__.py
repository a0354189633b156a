"""Mount the JSON API (``/api/v1``) and describe it in the OpenAPI document."""

from __future__ import annotations

from flask_smorest import Api

from forum.api import articles, auth, comments, moderation, notifications, profiles, search
from forum.extensions import csrf


def register_api(api: Api) -> None:
    """Register every API blueprint with flask-smorest, which builds the OpenAPI document."""
    for module in (articles, comments, profiles, auth, moderation, notifications, search):
        # Token calls need no CSRF token; session calls are checked in forum.auth instead.
        csrf.exempt(module.blp)
        api.register_blueprint(module.blp)
