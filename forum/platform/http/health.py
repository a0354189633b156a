"""Answer load balancers: is the process alive, and is it ready to serve?"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from alembic.script import ScriptDirectory
from flask import Blueprint, Flask, current_app, jsonify
from flask_migrate import Config
from sqlalchemy import text

from forum.platform.config import PROJECT_ROOT
from forum.platform.database import db

bp = Blueprint("health", __name__)
_CHECKS = "forum.readiness"


def add_check(app: Flask, name: str, check: Callable[[], str]) -> None:
    """Report ``check()`` ("ok", "down", ...) under ``name`` in /readyz; informative, it never fails it."""
    app.extensions.setdefault(_CHECKS, {})[name] = check


def _migration_head() -> str | None:
    config = Config()
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    return ScriptDirectory.from_config(config).get_current_head()


@bp.get("/healthz")
def healthz() -> Any:
    """Say the process is alive (touches nothing else)."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz() -> Any:
    """Check the database answers and is migrated to head; report Redis (optional) too."""
    checks: dict[str, Any] = {}
    ready = True
    try:
        current = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
        head = _migration_head()
        checks["database"] = "ok"
        checks["migrations"] = "ok" if current == head else f"at {current}, head is {head}"
        ready = current == head
    except Exception as exc:  # any failure to reach or read the database means "not ready"
        current_app.logger.warning("readiness check failed: %s", type(exc).__name__)
        checks["database"] = "down"
        ready = False
    finally:
        db.session.rollback()
    for name, check in current_app.extensions.get(_CHECKS, {}).items():
        checks[name] = check()
    return jsonify(status="ready" if ready else "not ready", checks=checks), (200 if ready else 503)


def init_app(app: Flask) -> None:
    """Mount /healthz and /readyz."""
    app.register_blueprint(bp)
