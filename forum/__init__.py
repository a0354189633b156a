"""Create the forum application: config -> platform -> unit of work -> features -> errors and commits.

The platform (``forum/platform/``) is what every feature stands on and knows nothing of any of
them; each feature (``accounts``, ``notifications``, ``discussion``, ``moderation``, ``seeding``)
plugs itself in through its ``wiring.init_app``: blueprints, API, unit-of-work subscribers,
template helpers, commands. docs/architecture.md draws the house.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from forum.accounts import wiring as accounts_feature
from forum.discussion import wiring as discussion_feature
from forum.editorial import wiring as editorial_feature
from forum.moderation import wiring as moderation_feature
from forum.notifications import wiring as notifications_feature
from forum.platform import database, jobs, mail, worker
from forum.platform.config import PROJECT_ROOT, load_config
from forum.platform.http import (
    errors,
    health,
    metrics,
    observability,
    outbox,
    ratelimits,
    security,
    templating,
    transactions,
)
from forum.platform.http.openapi import api
from forum.platform.http.origin import PublicScheme, TrustedHosts
from forum.platform.http.routing import IdConverter, PathTextConverter
from forum.platform.unit_of_work import UnitOfWork
from forum.privacy import wiring as privacy_feature
from forum.seeding import wiring as seeding_feature


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
    if app.config.get("PUBLIC_URL"):
        app.wsgi_app = PublicScheme(app.wsgi_app, app.config["PREFERRED_URL_SCHEME"])  # type: ignore[method-assign]
    if app.config.get("TRUSTED_HOSTS"):  # once ProxyFix (outermost, below) has said which host was asked for
        app.wsgi_app = TrustedHosts(app.wsgi_app, app.config["TRUSTED_HOSTS"])  # type: ignore[method-assign]
    if app.config["TRUSTED_PROXY_COUNT"]:
        hops = app.config["TRUSTED_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)  # type: ignore[method-assign]
    register_platform(app)
    register_features(app)
    register_boundary(app)
    return app


def register_platform(app: Flask) -> None:
    """Bind what every feature stands on: database, unit of work, jobs, API document, guards, mail, pages."""
    database.init_app(app)
    UnitOfWork().init_app(app)
    jobs.init_app(app)  # work after the commit: the job queue, or in-process (forum/platform/jobs.py)
    worker.init_app(app)
    api.init_app(app)
    observability.init_app(app)
    security.init_app(app)  # headers on every response; size and control-character guards first; CSRF
    mail.init_app(app)
    templating.init_app(app)
    health.init_app(app)
    metrics.init_app(app)  # /metrics, for METRICS_ALLOW only
    outbox.init_app(app)


def register_features(app: Flask) -> None:
    """Plug in each feature, lowest first (the order docs/architecture.md gives)."""
    accounts_feature.init_app(
        app
    )  # who is asking: before the rate limiter, so limits by account see token users
    ratelimits.init_app(app)
    notifications_feature.init_app(app)
    discussion_feature.init_app(app)
    moderation_feature.init_app(app)
    editorial_feature.init_app(app)
    seeding_feature.init_app(app)
    privacy_feature.init_app(app)


def register_boundary(app: Flask) -> None:
    """Answer every error in the one shape, then commit or roll back once per request (registered last,
    so the commit runs before any other after-request step)."""
    errors.init_app(app)
    transactions.init_app(app)
