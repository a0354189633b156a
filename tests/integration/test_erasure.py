"""Erasure against the real parts: PostgreSQL's full-text search forgets an erased member's comments,
and the Redis thread cache serves the placeholder at once, not the copy stored before (issue 20)."""

from __future__ import annotations

import secrets

import pytest
from flask import Flask

from forum import create_app
from forum.platform.database import db
from forum.privacy.services import erasure
from tests.conftest import PASSWORD, create_user, log_in
from tests.factories import make_article, make_comment
from tests.integration.servers import REDIS_URL, clear_redis_prefix, need_services

NAME, WORDS = "Zebedee Quartermain", "xylophonic marmalade confession"


@pytest.fixture
def cached_app(app: Flask):
    need_services()
    prefix = f"forum-erase-{secrets.token_hex(4)}:"
    cached = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "REDIS_URL": REDIS_URL,
            "REDIS_PREFIX": prefix,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    leaver = create_user("zebedee@example.org", NAME)
    other = create_user("other@example.org", "Oth Er")
    article = make_article(slug="talk")
    mine = make_comment(article, leaver.profile, WORDS)
    make_comment(article, other.profile, "A kind answer", parent=mine)
    db.session.commit()
    with cached.app_context():
        yield cached, leaver
    clear_redis_prefix(prefix)


@pytest.mark.parametrize("url", ["/api/v1/articles/talk/comments", "/articles/talk"])
def test_the_cached_thread_shows_the_placeholder_at_once(cached_app, url):
    cached, leaver = cached_app
    reader = cached.test_client()
    assert NAME in reader.get(url).get_data(as_text=True)
    assert reader.get(url).headers["X-Cache"] == "hit"
    assert (
        log_in(cached.test_client(), leaver).delete("/api/v1/me", json={"password": PASSWORD}).status_code
        == 204
    )
    after = reader.get(url)
    text = after.get_data(as_text=True)
    assert after.headers["X-Cache"] == "miss"
    assert NAME not in text and "xylophonic" not in text
    assert "Comment by a former member" in text and "A kind answer" in text


def test_postgresql_full_text_search_forgets_the_erased_comment(app, client, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip(
            "full-text search (tsvector) is PostgreSQL's; SQLite's word matching is in the functional test"
        )
    leaver = create_user("zebedee@example.org", NAME)
    make_comment(make_article(slug="talk"), leaver.profile, WORDS)
    db.session.commit()
    assert client.get("/api/v1/search?q=marmalade+confession").get_json()["total_comments"] == 1
    erasure.erase_own(leaver, PASSWORD)
    db.session.commit()
    found = client.get("/api/v1/search?q=marmalade+confession").get_json()
    assert found["total_comments"] == 0 and NAME not in str(found)
    assert client.get(f"/api/v1/search?q={NAME.split()[1]}").get_json()["total_comments"] == 0
