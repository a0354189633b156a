"""Create the forum application: config, extensions, blueprints, error handlers, commands."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from forum import errors
from forum.api import register_api
from forum.auth import register_auth
from forum.cache import register_cache
from forum.cli import register_cli
from forum.config import PROJECT_ROOT, load_config
from forum.database import register_database
from forum.extensions import api, db, limiter, migrate
from forum.ids import IdConverter, PathTextConverter
from forum.mail import register_mail
from forum.models.base import migration_tracks
from forum.observability import register_request_ids
from forum.security import register_security
from forum.transactions import register_transaction_boundary
from forum.web import register_web
from forum.web.helpers import register_helpers


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build a configured application; no side effects (no schema changes, no seeding, no I/O)."""
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder="static",
        instance_path=str(PROJECT_ROOT / "instance"),
    )
    app.config.update(load_config(config))
    app.json.sort_keys = False  # type: ignore[attr-defined]  # keep fields in schema order
    # Ids past the database's range, and path text with control characters, are 404s, not 500s.
    app.url_map.converters.update(int=IdConverter, default=PathTextConverter, string=PathTextConverter)
    if app.config["TRUSTED_PROXY_COUNT"]:
        hops = app.config["TRUSTED_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)  # type: ignore[method-assign]
    register_extensions(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_cli(app)
    register_helpers(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind the extension objects to ``app``."""
    db.init_app(app)
    register_database(app)
    migrate.init_app(
        app,
        db,
        directory=str(PROJECT_ROOT / "migrations"),
        render_as_batch=True,
        include_object=migration_tracks,
    )
    api.init_app(app)
    register_request_ids(app)
    register_security(app)  # headers on every response; size and control-character guards first
    register_mail(app)
    register_auth(app)  # before the limiter, so limits keyed by account see token users
    limiter.init_app(app)
    register_cache(app)


def register_blueprints(app: Flask) -> None:
    """Mount the HTML views and the JSON API."""
    register_web(app)
    register_api(api)


def register_error_handlers(app: Flask) -> None:
    """Install the JSON-or-HTML error handlers and the one-commit-per-request boundary."""
    errors.register_error_handlers(app)
    register_transaction_boundary(app)
