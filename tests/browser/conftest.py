"""Serve the forum on a real port and drive Debian's Chromium through Playwright."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from forum import create_app
from forum.extensions import db
from forum.models import Access
from forum.services import accounts
from forum.services.seeding.loader import load_seeds
from tests.conftest import SEEDS_DIR

CHROMIUM = "/usr/bin/chromium"
MODERATOR_EMAIL = "moderator@example.org"
MODERATOR_PASSWORD = "moderate with care"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session", autouse=True)
def _browser_environment(tmp_path_factory: pytest.TempPathFactory) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Debian's Chromium is not installed at {CHROMIUM} (make test installs it)")
    home = tmp_path_factory.mktemp("xdg")
    os.environ.setdefault("XDG_CONFIG_HOME", str(home / "config"))
    os.environ.setdefault("XDG_CACHE_HOME", str(home / "cache"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Run the app with CSRF and rate limits on, over a migrated and seeded SQLite file."""
    database = tmp_path_factory.mktemp("live") / "forum.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "SECRET_KEY": "browser-tests"})
    with app.app_context():
        upgrade()
        load_seeds(SEEDS_DIR)
        accounts.register(
            {
                "email": MODERATOR_EMAIL,
                "password": MODERATOR_PASSWORD,
                "display_name": "Morgan Moderator",
                "role": "staff",
            },
            access=Access.MODERATOR,
        )
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture
def screenshots() -> Path | None:
    """Where to keep screenshots when FORUM_SCREENSHOTS names a folder (never committed)."""
    folder = os.environ.get("FORUM_SCREENSHOTS")
    if not folder:
        return None
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    return path
