"""The shared thread cache: hits, 304s from Redis alone, invalidation on every kind of change."""

from __future__ import annotations

import secrets

import pytest
from flask import Flask

from forum import create_app
from forum.accounts.models import Access
from forum.discussion.models import CommentStatus
from forum.platform.database import db
from tests.conftest import create_user, log_in
from tests.factories import make_article, make_comment, make_profile
from tests.integration.servers import REDIS_URL, clear_redis_prefix, need_services

THREAD = "/api/v1/articles/talk/comments"
PAGE = "/articles/talk"


@pytest.fixture
def cached_app(app: Flask):
    need_services()
    prefix = f"forum-cache-{secrets.token_hex(4)}:"
    cached = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "REDIS_URL": REDIS_URL,
            "REDIS_PREFIX": prefix,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    article = make_article(slug="talk")
    make_comment(article, make_profile("First Person"), "The first comment")
    db.session.commit()
    with cached.app_context():
        yield cached
    clear_redis_prefix(prefix)


@pytest.mark.parametrize("url", [THREAD, PAGE])
def test_second_read_is_a_hit_and_a_conditional_read_is_304_without_the_database(
    cached_app, url, count_queries
):
    client = cached_app.test_client()
    first = client.get(url)
    assert first.status_code == 200 and first.headers["X-Cache"] == "miss" and first.headers["ETag"]
    with count_queries() as hit_queries:
        second = client.get(url)
    assert second.headers["X-Cache"] == "hit" and second.data == first.data and hit_queries.count == 0
    with count_queries() as conditional:
        not_modified = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert not_modified.status_code == 304 and not_modified.data == b"" and conditional.count == 0
    assert "no-cache" in second.headers["Cache-Control"]


@pytest.mark.parametrize("url", [THREAD, PAGE])
def test_a_worker_that_never_saw_the_slug_still_serves_the_shared_copy(cached_app, url, monkeypatch):
    """Another gunicorn worker (its own slug map, empty) answers from what this one stored."""
    client = cached_app.test_client()
    first = client.get(url)
    monkeypatch.setattr("forum.discussion.http.caching._slug_ids", {})
    second = client.get(url)
    assert second.headers["X-Cache"] == "hit" and second.data == first.data
    monkeypatch.setattr("forum.discussion.http.caching._slug_ids", {})
    conditional = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert conditional.status_code == 304


def test_every_change_to_the_thread_invalidates(cached_app, as_user):
    client = cached_app.test_client()
    etag = client.get(THREAD).headers["ETag"]
    member = create_user("poster@example.org", "Poster")
    moderator = create_user("mod@example.org", "Mod", access=Access.MODERATOR)
    poster = log_in(cached_app.test_client(), member)
    mod = log_in(cached_app.test_client(), moderator)

    posted = poster.post(THREAD, json={"body": "A new voice"}).get_json()
    after_post = client.get(THREAD)  # a pending comment changes nothing public, but the entry is rebuilt
    assert "A new voice" not in after_post.get_data(as_text=True)

    mod.post(f"/api/v1/moderation/comments/{posted['id']}/decision", json={"action": "approve"})
    approved = client.get(THREAD, headers={"If-None-Match": etag})
    assert approved.status_code == 200 and "A new voice" in approved.get_data(as_text=True)
    assert "A new voice" in client.get(PAGE).get_data(as_text=True)

    # A new member's edit waits for a moderator (readers keep the approved text), then shows at once.
    poster.patch(f"/api/v1/comments/{posted['id']}", json={"body": "A new voice, edited"})
    assert "A new voice, edited" not in client.get(THREAD).get_data(as_text=True)
    mod.post(f"/api/v1/moderation/comments/{posted['id']}/decision", json={"action": "approve_edit"})
    assert "A new voice, edited" in client.get(THREAD).get_data(as_text=True)

    poster.patch("/api/v1/me", json={"display_name": "Renamed Poster"})
    assert "Renamed Poster" in client.get(PAGE).get_data(as_text=True)

    poster.delete(f"/api/v1/comments/{posted['id']}")
    assert "A new voice" not in client.get(THREAD).get_data(as_text=True)


def test_members_are_never_served_the_shared_copy(cached_app):
    client = cached_app.test_client()
    client.get(THREAD)
    member = create_user("m@example.org", "Member")
    mine = log_in(cached_app.test_client(), member)
    mine.post(THREAD, json={"body": "Only I can see this yet"})
    own = mine.get(THREAD)
    assert "X-Cache" not in own.headers and "Only I can see this yet" in own.get_data(as_text=True)
    assert "Only I can see this yet" not in client.get(THREAD).get_data(as_text=True)
    assert CommentStatus.PENDING.value in own.get_data(as_text=True)
