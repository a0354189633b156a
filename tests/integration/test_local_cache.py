"""Each worker's in-process thread copies: current for every worker after any change, with or without Redis."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import redis
from flask import Flask
from sqlalchemy import event

from forum import create_app
from forum.accounts.models import Access
from forum.discussion.services.local_cache import LocalCache
from forum.platform.database import db
from tests.conftest import create_user, log_in
from tests.factories import make_article, make_comment, make_profile
from tests.integration.servers import REDIS_URL, clear_redis_prefix, need_services

THREAD = "/api/v1/articles/talk/comments"
PAGE = "/articles/talk"


def worker(app: Flask, **config) -> Flask:
    """Another app on the same database: what a second gunicorn worker (or server) is."""
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "TRUST_AFTER_APPROVED": 0,
            **config,
        }
    )


@contextmanager
def queries(app: Flask) -> Iterator[list[str]]:
    """Record the statements ``app`` (its own engine) runs inside the block."""
    seen: list[str] = []

    def record(conn, cursor, statement, *args) -> None:
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


@pytest.fixture
def thread(app):
    article = make_article(slug="talk")
    make_comment(article, make_profile("First Person"), "The first comment")
    db.session.commit()
    return article


@pytest.mark.parametrize("url", [THREAD, PAGE])
def test_without_redis_copies_are_keyed_by_the_thread_version(app, thread, url):
    one, two = worker(app), worker(app)
    first = one.test_client().get(url)
    assert first.headers["X-Cache"] == "miss"
    with queries(one) as hit:
        again = one.test_client().get(url)
    assert again.headers["X-Cache"] == "hit" and again.data == first.data
    assert len(hit) == 1  # the article row, whose version says the copy is current
    # Another worker gives the same ETag for the same version, and answers 304 without building.
    with queries(two) as conditional:
        answer = two.test_client().get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert answer.status_code == 304 and len(conditional) == 1

    member = create_user("poster@example.org", "Poster")
    poster = log_in(two.test_client(), member)
    assert poster.post(THREAD, json={"body": "A new voice"}).status_code == 201  # through the other worker
    changed = one.test_client().get(url)
    assert changed.headers["X-Cache"] == "miss" and "A new voice" in changed.get_data(as_text=True)
    assert changed.headers["ETag"] != first.headers["ETag"]
    assert one.test_client().get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 200

    poster.patch("/api/v1/me", json={"display_name": "Renamed Poster"})
    assert "Renamed Poster" in one.test_client().get(url).get_data(as_text=True)


def test_a_pending_comment_is_never_in_the_shared_copy(app, thread):
    one = worker(app)
    one.test_client().get(THREAD)
    member = create_user("new@example.org", "Newcomer")
    own = log_in(one.test_client(), member)
    own.post(THREAD, json={"body": "Call me on 07700 900123"})  # held: personal data
    assert "07700" not in one.test_client().get(THREAD).get_data(as_text=True)
    assert "07700" in own.get(THREAD).get_data(as_text=True)


def test_turned_off_every_read_builds_but_etags_still_answer_304(app, thread):
    cold = worker(app, THREAD_CACHE_LOCAL_MB=0)
    first = cold.test_client().get(THREAD)
    with queries(cold) as built:
        second = cold.test_client().get(THREAD)
    assert first.headers["X-Cache"] == second.headers["X-Cache"] == "miss" and first.data == second.data
    assert len(built) == 2  # the article, the page
    with queries(cold) as conditional:
        answer = cold.test_client().get(THREAD, headers={"If-None-Match": first.headers["ETag"]})
    assert answer.status_code == 304 and len(conditional) == 1


@pytest.fixture
def redis_workers(app, thread):
    need_services()
    prefix = f"forum-local-{secrets.token_hex(4)}:"
    apps = [worker(app, REDIS_URL=REDIS_URL, REDIS_PREFIX=prefix) for _ in range(2)]
    yield apps
    clear_redis_prefix(prefix)


def test_with_redis_workers_hear_of_changes_and_need_no_round_trip_meanwhile(redis_workers, monkeypatch):
    one, two = redis_workers
    reader = one.test_client()
    first = reader.get(THREAD)
    assert first.headers["X-Cache"] == "miss"
    cache = one.extensions["forum_cache"]

    def no_redis(*args, **kwargs):
        raise AssertionError("asked Redis although the subscription says nothing changed")

    with monkeypatch.context() as patched, queries(one) as hits:
        patched.setattr(cache.client, "mget", no_redis)
        patched.setattr(cache.client, "get", no_redis)
        assert reader.get(THREAD).headers["X-Cache"] == "hit"
        assert reader.get(THREAD, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert hits == []

    moderator = create_user("mod@example.org", "Mod", access=Access.MODERATOR, role="staff")
    log_in(two.test_client(), moderator).post(THREAD, json={"body": "Posted through the other server"})
    changed = reader.get(THREAD)
    assert changed.headers["X-Cache"] == "miss" and "Posted through the other server" in changed.get_data(
        as_text=True
    )


def test_a_broken_subscription_forgets_everything_and_asks_redis(redis_workers):
    one, two = redis_workers
    reader = one.test_client()
    reader.get(THREAD)
    reader.get(THREAD)
    watch = one.extensions["forum_cache"].watch
    assert watch.client_id is not None
    redis.Redis.from_url(REDIS_URL).client_kill_filter(_id=watch.client_id)
    time.sleep(0.05)
    moderator = create_user("mod@example.org", "Mod", access=Access.MODERATOR, role="staff")
    log_in(two.test_client(), moderator).post(THREAD, json={"body": "While the subscription was down"})
    assert "While the subscription was down" in reader.get(THREAD).get_data(as_text=True)


def test_the_local_lru_keeps_within_its_size_and_checks_tokens():
    cache = LocalCache(1000)
    cache.put((1, "a"), "g1", b"x" * 200)
    cache.put((2, "a"), "g1", b"y" * 200)
    assert cache.get((1, "a"), "g1") == b"x" * 200 and cache.get((1, "a"), "g2") is None
    for i in range(3, 8):
        cache.put((i, "a"), "g1", b"z" * 200)
    assert cache.get((2, "a"), "g1") is None  # least recently used, evicted
    assert sum(len(v[1]) for v in cache._entries.values()) <= 1000
    cache.put((9, "a"), "g1", b"w" * 300)  # over a quarter of the room: not kept
    assert cache.get((9, "a"), "g1") is None
    cache.forget({7})
    assert cache.get((7, "a"), "g1") is None and cache.get((6, "a"), "g1") == b"z" * 200
