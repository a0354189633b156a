"""Two gunicorn servers, one PostgreSQL database, one Redis: no stale caches, shared limits, shared decisions."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask_migrate import upgrade

from forum import create_app
from forum.accounts.models import Access
from forum.accounts.services import accounts
from forum.platform.database import db
from forum.seeding.services.loader import load_seeds
from tests.conftest import SEEDS_DIR
from tests.integration.servers import (
    REDIS_URL,
    Server,
    call,
    clear_redis_prefix,
    create_database,
    need_services,
    start_gunicorn,
)

pytestmark = pytest.mark.postgres
PASSWORD = "integration password"
THREAD = "/api/v1/articles/shared-decision-making/comments"
PAGE = "/articles/shared-decision-making"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    need_services()
    url, drop = create_database()
    prefix = f"forum-it-{secrets.token_hex(4)}:"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        load_seeds(SEEDS_DIR)
        people = (
            ("member@example.org", Access.MEMBER),
            ("poster@example.org", Access.MEMBER),
            ("mod@example.org", Access.MODERATOR),
        )
        for email, access in people:
            accounts.register(
                {
                    "email": email,
                    "password": PASSWORD,
                    "display_name": email.split("@")[0],
                    "role": "patient",
                },
                access=access,
            )
        db.session.commit()
        db.engine.dispose()
    env = {
        "FORUM_ENV": "production",
        "PUBLIC_URL": "http://127.0.0.1",  # the servers' own address (any port: TRUSTED_HOSTS ignores it)
        "SECRET_KEY": secrets.token_hex(16),
        "DATABASE_URL": url,
        "REDIS_URL": REDIS_URL,
        "REDIS_PREFIX": prefix,
        "RATELIMIT_POST_ACCOUNT": "3 per minute",
    }
    logs: Path = tmp_path_factory.mktemp("gunicorn")
    servers: list[Server] = []
    try:
        servers = [start_gunicorn(env, logs), start_gunicorn(env, logs)]
        yield {"a": servers[0], "b": servers[1], "prefix": prefix}
    finally:
        for server in servers:
            server.stop()
        clear_redis_prefix(prefix)
        drop()


def token(server: Server, email: str) -> str:
    reply = call(server.base + "/api/v1/tokens", "POST", {"email": email, "password": PASSWORD})
    assert reply.status == 201, reply.text
    return reply.json()["token"]


def test_readiness_on_both(cluster):
    for server in (cluster["a"], cluster["b"]):
        reply = call(server.base + "/readyz")
        assert reply.status == 200
        assert reply.json()["checks"] == {"database": "ok", "migrations": "ok", "redis": "ok"}


def test_an_approval_on_a_shows_on_b_at_once(cluster):
    a, b = cluster["a"], cluster["b"]
    member, moderator = token(a, "member@example.org"), token(a, "mod@example.org")
    first = call(b.base + THREAD)
    again = call(b.base + THREAD)
    assert again.headers["X-Cache"] == "hit" and again.body == first.body
    call(b.base + PAGE)  # the HTML page is cached too

    posted = call(a.base + THREAD, "POST", {"body": "Posted through server A"}, token=member)
    assert posted.status == 201 and posted.json()["status"] == "pending"
    assert "Posted through server A" not in call(b.base + THREAD).text

    decided = call(
        a.base + f"/api/v1/moderation/comments/{posted.json()['id']}/decision",
        "POST",
        {"action": "approve"},
        token=moderator,
    )
    assert decided.status == 200
    after = call(b.base + THREAD)
    assert after.headers["X-Cache"] == "miss" and "Posted through server A" in after.text
    assert after.json()["count"] == first.json()["count"] + 1
    assert "Posted through server A" in call(b.base + PAGE).text
    assert call(b.base + THREAD).headers["X-Cache"] == "hit"


def test_a_rate_limit_counts_across_both_servers(cluster):
    a, b = cluster["a"], cluster["b"]
    poster = token(b, "poster@example.org")
    statuses = [
        call(server.base + THREAD, "POST", {"body": f"Post number {i}"}, token=poster).status
        for i, server in enumerate((a, b, a, b))
    ]
    # 3 a minute for the account, counted from its comments in the shared database: per-process
    # counters would have let all four through.
    assert statuses == [201, 201, 201, 429]
    limited = call(b.base + THREAD, "POST", {"body": "Too many"}, token=poster)
    assert limited.status == 429 and int(limited.headers["Retry-After"]) > 0


def test_a_decision_on_a_is_seen_on_b(cluster):
    a, b = cluster["a"], cluster["b"]
    moderator = token(a, "mod@example.org")
    queue_b = call(b.base + "/api/v1/moderation/queue", token=moderator).json()
    waiting = queue_b["items"][0]["comment"]["id"]
    reply = call(
        a.base + f"/api/v1/moderation/comments/{waiting}/decision",
        "POST",
        {"action": "reject", "reason": "off_topic"},
        token=moderator,
    )
    assert reply.status == 200
    ids_on_b = [
        i["comment"]["id"] for i in call(b.base + "/api/v1/moderation/queue", token=moderator).json()["items"]
    ]
    assert waiting not in ids_on_b
    again = call(
        b.base + f"/api/v1/moderation/comments/{waiting}/decision",
        "POST",
        {"action": "approve"},
        token=moderator,
    )
    assert again.status == 409
    log_b = call(b.base + f"/api/v1/moderation/log?comment={waiting}", token=moderator).json()
    assert [e["action"] for e in log_b] == ["comment.rejected"]


def test_logs_are_json_with_request_ids_and_no_secrets(cluster):
    a = cluster["a"]
    reply = call(a.base + "/api/v1/tokens", "POST", {"email": "member@example.org", "password": PASSWORD})
    secret = reply.json()["token"]
    call(a.base + THREAD, "POST", {"body": "A very private sentence"}, token=secret)
    text = a.log()
    assert PASSWORD not in text and secret not in text and "A very private sentence" not in text
    assert f'"request_id": "{reply.headers["X-Request-ID"]}"' in text
