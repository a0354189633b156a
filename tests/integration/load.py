"""Helpers for the concurrency and durability tests: a database per backend, writers, integrity checks."""

from __future__ import annotations

import http.client
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from flask_migrate import upgrade

from forum import create_app
from forum.accounts.models import Access
from forum.accounts.services import tokens
from forum.platform.database import db
from tests.conftest import create_user
from tests.factories import make_article
from tests.integration.servers import REDIS_URL, call, clear_redis_prefix, create_database, need_services

SLUG = "load-test"
RAISED_LIMIT = "100000 per minute"


@dataclass
class Deployment:
    """A migrated database with writers and moderators, and the environment to serve it."""

    backend: str
    url: str
    env: dict[str, str]
    writer_tokens: list[str]
    moderator_tokens: list[str]


@contextmanager
def deployment(backend: str, tmp: Path, writers: int = 8, moderators: int = 2) -> Iterator[Deployment]:
    """Create the database (SQLite file, or PostgreSQL + a Redis prefix), people and tokens; drop after."""
    if backend == "postgresql":
        need_services()
        url, drop = create_database()
        prefix = f"forum-load-{secrets.token_hex(4)}:"
        env = {
            "FORUM_ENV": "production",
            "PUBLIC_URL": "http://127.0.0.1",
            "REDIS_URL": REDIS_URL,
            "REDIS_PREFIX": prefix,
            "DB_POOL_SIZE": "4",
        }
    else:
        url = f"sqlite:///{tmp / 'forum.db'}"
        prefix = ""
        env = {"FORUM_ENV": "development"}

        def drop() -> None:
            return None

    env |= {
        "DATABASE_URL": url,
        "SECRET_KEY": secrets.token_hex(16),
        # Limits stay on (the limiter's path is exercised) but far above this load: a 429 is a failure.
        "RATELIMIT_POST_ACCOUNT": RAISED_LIMIT,
        "RATELIMIT_LOGIN_IP": RAISED_LIMIT,
        "RATELIMIT_LOGIN_ACCOUNT": RAISED_LIMIT,
    }
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    try:
        with app.app_context():
            upgrade()
            make_article(slug=SLUG, title="Load test")
            writer_users = [create_user(f"writer{i}@example.org", f"Writer {i}") for i in range(writers)]
            moderator_users = [
                create_user(
                    f"moderator{i}@example.org", f"Moderator {i}", access=Access.MODERATOR, role="staff"
                )
                for i in range(moderators)
            ]
            writer_tokens = [tokens.create_token(u, "load")[1] for u in writer_users]
            moderator_tokens = [tokens.create_token(u, "load")[1] for u in moderator_users]
            db.session.commit()
            db.engine.dispose()
        yield Deployment(backend, url, env, writer_tokens, moderator_tokens)
    finally:
        if prefix:
            clear_redis_prefix(prefix)
        drop()


@dataclass
class Tally:
    """What the writers were told, shared between threads."""

    acknowledged: dict[int, str] = field(default_factory=dict)  # comment id -> text
    statuses: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, status: int, comment_id: int | None, text: str) -> None:
        with self.lock:
            self.statuses.append(status)
            if comment_id is not None:
                if comment_id in self.acknowledged:
                    self.errors.append(f"id {comment_id} acknowledged twice")
                self.acknowledged[comment_id] = text


def post_comments(
    base: str, token: str, writer: int, count: int, tally: Tally, stop: threading.Event
) -> None:
    """Post ``count`` comments (or until ``stop``); record each answer. Connection errors are not acks."""
    for n in range(count):
        if stop.is_set():
            return
        text = f"Writer {writer}, comment {n}: {secrets.token_hex(6)}"
        try:
            reply = call(
                f"{base}/api/v1/articles/{SLUG}/comments", "POST", {"body": text}, token=token, timeout=30
            )
        except (OSError, http.client.HTTPException) as exc:  # the server died mid-request: not acknowledged
            tally.record(-1, None, str(exc))
            continue
        comment_id = reply.json().get("id") if reply.status == 201 else None
        tally.record(reply.status, comment_id, text)


def run_writers(
    base: str, tokens: list[str], per_writer: int, tally: Tally, stop: threading.Event
) -> list[threading.Thread]:
    """Start one thread per token, each posting ``per_writer`` comments."""
    threads = [
        threading.Thread(target=post_comments, args=(base, token, i, per_writer, tally, stop), daemon=True)
        for i, token in enumerate(tokens)
    ]
    for thread in threads:
        thread.start()
    return threads


def stored_comments(url: str) -> dict[int, list[str]]:
    """Read every comment body by id straight from the database (a list, so duplicates show)."""
    rows: list[Any]
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            rows = conn.execute("SELECT id, body FROM comments").fetchall()
    else:
        with psycopg.connect(url) as conn:
            rows = conn.execute("SELECT id, body FROM comments").fetchall()
    stored: dict[int, list[str]] = {}
    for comment_id, body in rows:
        stored.setdefault(comment_id, []).append(body)
    return stored


def integrity_problems(url: str) -> list[str]:
    """Ask the database to check itself: SQLite's integrity and foreign-key checks; PostgreSQL's amcheck."""
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            foreign = conn.execute("PRAGMA foreign_key_check").fetchall()
        return ([] if result == ["ok"] else result) + [f"foreign key: {row}" for row in foreign]
    problems = []
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
        indexes = conn.execute(
            "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_am a ON a.oid = c.relam "
            "WHERE i.indrelid IN ('comments'::regclass, 'audit_log'::regclass) AND a.amname = 'btree'"
        ).fetchall()
        for (name,) in indexes:
            try:  # heapallindexed: every heap row is in the index, and the index is well-formed
                conn.execute("SELECT bt_index_check(%s::regclass, true)", (name,))
            except psycopg.Error as exc:
                problems.append(f"{name}: {exc}")
        orphans = conn.execute(
            "SELECT count(*) FROM comments c LEFT JOIN articles a ON a.id = c.article_id WHERE a.id IS NULL"
        ).fetchone()
        if orphans and orphans[0]:
            problems.append(f"{orphans[0]} comments without their article")
    return problems
