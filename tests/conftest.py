"""Shared fixtures: one migrated database per backend, a fresh app per test, actors, query counting."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import upgrade
from sqlalchemy import event, text

from forum import create_app
from forum.accounts.models import Access, User
from forum.accounts.services import accounts, sessions
from forum.platform.database import db
from forum.seeding.services.loader import SeedReport, load_seeds

# Cheap Argon2 parameters for every app the tests make, here and in the servers they start (never in
# production, which refuses them); tests/unit/test_passwords.py keeps the production parameters.
os.environ.setdefault("PASSWORD_HASHING", "fast")
PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = PROJECT_ROOT / "seeds"
PG_ADMIN_URL = os.environ.get("FORUM_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
JOB_QUEUE_TABLES = ("procrastinate_jobs", "procrastinate_periodic_defers", "procrastinate_workers")
BACKENDS = [
    b.strip() for b in os.environ.get("FORUM_TEST_BACKENDS", "sqlite,postgresql").split(",") if b.strip()
]


def _pg_connect(url: str) -> Any:
    return psycopg.connect(url, autocommit=True, connect_timeout=3)


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Create a throwaway database for the backend, migrated to head with Alembic."""
    backend = request.param
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        _migrate(url)
        yield url
        return
    try:
        admin = _pg_connect(PG_ADMIN_URL)
    except Exception as exc:  # any connection failure means "no server here"
        reason = f"PostgreSQL not reachable at {PG_ADMIN_URL}: {exc}"
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (CI must run the PostgreSQL tests)")
        pytest.skip(reason)
    name = f"forum_test_{secrets.token_hex(6)}"
    admin.execute(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    try:
        _migrate(url)
        yield url
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _migrate(url: str) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    """Give each test a fresh app on an empty (but migrated) database."""
    application = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "TESTING": True,
            "SERVER_NAME": "forum.test",
            "WTF_CSRF_ENABLED": False,  # tests/functional/test_security.py turns it back on
            "RATELIMIT_ENABLED": False,  # likewise for the rate-limit tests
            # Jobs after the commit wait for jobs.run_pending() (tests/functional/test_notifications*.py),
            # so a request's statements are its own (tests/functional/test_queries.py).
            "JOB_RUNNER": "manual",
            # The queue's copies on PostgreSQL trust notices that arrive a moment after a commit: tests
            # that write and read at once would race them (tests/functional/test_queue_copies.py waits).
            "QUEUE_COPIES_MB": 0,
        }
    )
    with application.app_context():
        yield application
        watch = application.extensions.get("forum_member_watch")
        if watch is not None:  # its own connection to this test's database
            watch.close()
        db.session.rollback()
        db.session.remove()
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":  # users and profiles refer to each other
                names = ", ".join([t.name for t in db.metadata.sorted_tables] + list(JOB_QUEUE_TABLES))
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                conn.execute(text("PRAGMA defer_foreign_keys=ON"))  # profiles and users refer to each other
                for table in reversed(db.metadata.sorted_tables):
                    conn.execute(table.delete())
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def seeded(app: Flask) -> SeedReport:
    """Load the five seed documents."""
    report = load_seeds(SEEDS_DIR)
    db.session.commit()
    assert not report.errors
    return report


class QueryCounter:
    """Count SQL statements sent while active."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app: Flask) -> Iterator[Any]:
    """Return a context manager factory that counts the queries run inside it."""

    @contextmanager
    def counting() -> Iterator[QueryCounter]:
        counter = QueryCounter()
        event.listen(db.engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            event.remove(db.engine, "before_cursor_execute", counter)

    yield counting


PASSWORD = "correct horse battery"


def create_user(email: str, name: str, access: Access = Access.MEMBER, role: str = "patient") -> User:
    """Register an account through the service, as the forms do."""
    user = accounts.register(
        {
            "email": email,
            "password": PASSWORD,
            "display_name": name,
            "role": role,
            "job_title": None,
            "organisation": None,
        },
        access=access,
    )
    db.session.commit()
    return user


def log_in(client: FlaskClient, user: User | None) -> FlaskClient:
    """Give the client a live server-side session for ``user`` (or leave it anonymous)."""
    if user is not None:
        _, key = sessions.start(user, "pytest")
        db.session.commit()
        with client.session_transaction() as session:
            session["_user_id"] = f"{user.id}:{key}"  # what forum.auth.log_in stores
            session["_fresh"] = True
    return client


@pytest.fixture
def member(app: Flask) -> User:
    return create_user("member@example.org", "Mem Ber")


@pytest.fixture
def other_member(app: Flask) -> User:
    return create_user("other@example.org", "Oth Er")


@pytest.fixture
def moderator(app: Flask) -> User:
    return create_user("mod@example.org", "Mod Erator", access=Access.MODERATOR, role="staff")


@pytest.fixture
def editor(app: Flask) -> User:
    return create_user("editor@example.org", "Ed Itor", access=Access.EDITOR, role="staff")


@pytest.fixture
def admin(app: Flask) -> User:
    return create_user("admin@example.org", "Ad Min", access=Access.ADMIN, role="staff")


@pytest.fixture
def actors(app: Flask, member: User, other_member: User, moderator: User) -> dict[str, User | None]:
    """The people every protected route is tried as."""
    return {"anonymous": None, "member": member, "other_member": other_member, "moderator": moderator}


@pytest.fixture
def as_user(app: Flask) -> Any:
    """Return a factory of test clients logged in as a given user (None for anonymous)."""

    def make(user: User | None) -> FlaskClient:
        return log_in(app.test_client(), user)

    return make


@pytest.fixture
def smtp(app: Flask) -> Iterator[Any]:
    """A real SMTP server on 127.0.0.1 the app sends to (tests/smtp.py), with PUBLIC_URL set for links."""
    from tests.smtp import SMTPServer

    server = SMTPServer()
    server.start()
    app.config.update(MAIL_BACKEND="smtp", MAIL_SMTP_URL=server.url, PUBLIC_URL="https://forum.example.org")
    yield server
    server.stop()
