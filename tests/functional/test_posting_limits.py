"""Posting limits count the member's own comments: exact, shared by the form and the API, with Retry-After."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from forum import create_app
from forum.discussion.models import Comment
from forum.platform.database import db
from forum.platform.models import utcnow
from tests.conftest import PASSWORD, log_in
from tests.factories import make_article, make_comment


def limited_app(app: Flask, setting: str) -> Flask:
    """The test database, with the posting limit set (the other limits stay off)."""
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "TESTING": True,
            "SERVER_NAME": "forum.test",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_STORAGE_URI": "memory://",
            "RATELIMIT_LOGIN_IP": "1000 per minute",
            "RATELIMIT_LOGIN_ACCOUNT": "1000 per minute",
            "RATELIMIT_POST_ACCOUNT": setting,
        }
    )


def bearer(app: Flask, email: str = "member@example.org") -> dict[str, str]:
    issued = app.test_client().post("/api/v1/tokens", json={"email": email, "password": PASSWORD})
    return {"Authorization": f"Bearer {issued.get_json()['token']}"}


def post(app: Flask, headers: dict[str, str], body: str):
    return app.test_client().post("/api/v1/articles/talk/comments", json={"body": body}, headers=headers)


@pytest.fixture
def talk(app: Flask):
    article = make_article(slug="talk")
    db.session.commit()
    return article


def test_the_limit_refuses_with_429_a_plain_message_and_a_retry_after_within_the_window(app, talk, member):
    strict = limited_app(app, "2 per minute")
    token = bearer(strict)
    assert [post(strict, token, f"Point {i}").status_code for i in range(2)] == [201, 201]
    refused = post(strict, token, "One more point")
    assert refused.status_code == 429
    body = refused.get_json()
    assert body["code"] == 429 and body["status"] == "Too Many Requests"
    assert body["message"].startswith("You have reached the posting limit of 2 posts a minute.")
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert db.session.scalar(select(func.count(Comment.id))) == 2  # the refused post stored nothing


def test_posts_older_than_the_window_do_not_count_but_the_daily_limit_sees_them(app, talk, member):
    for n in range(2):
        old = make_comment(talk, member.profile, f"Earlier today {n}")
        old.created_at = utcnow() - timedelta(minutes=30 + n)
    db.session.commit()
    strict = limited_app(app, "2 per minute;3 per day")
    token = bearer(strict)
    assert post(strict, token, "Third today").status_code == 201  # the minute holds one post
    refused = post(strict, token, "Fourth today")
    assert refused.status_code == 429
    assert (
        "the posting limit of 3 posts a day. You can post again in 24 hours." in refused.get_json()["message"]
    )
    # The oldest of today's three leaves the day's window in about 23.5 hours.
    wait = int(refused.headers["Retry-After"])
    assert timedelta(hours=23, minutes=20) < timedelta(seconds=wait) < timedelta(hours=23, minutes=40)


def test_refused_and_invalid_attempts_store_nothing_and_count_for_nothing(app, talk, member):
    strict = limited_app(app, "2 per minute")
    token = bearer(strict)
    assert [post(strict, token, "   ").status_code for _ in range(3)] == [422, 422, 422]
    assert [post(strict, token, f"Real point {i}").status_code for i in range(2)] == [201, 201]


def test_one_member_reaching_the_limit_does_not_hold_back_another(app, talk, member, other_member):
    strict = limited_app(app, "1 per minute")
    assert post(strict, bearer(strict), "Mine").status_code == 201
    assert post(strict, bearer(strict), "Mine again").status_code == 429
    assert post(strict, bearer(strict, "other@example.org"), "Theirs").status_code == 201


def test_the_form_and_the_api_share_the_limit_and_the_form_keeps_the_text(app, talk, member):
    strict = limited_app(app, "1 per minute")
    assert post(strict, bearer(strict), "Through the API").status_code == 201
    browser = log_in(strict.test_client(), member)
    page = browser.post("/articles/talk/comments", data={"body": "Through the form, carefully worded"})
    assert page.status_code == 429
    assert 1 <= int(page.headers["Retry-After"]) <= 60
    html = page.get_data(as_text=True)
    assert "the posting limit of 1 post a minute" in html
    assert re.search(r"<textarea[^>]*>\s*Through the form, carefully worded", html)


def test_limits_switched_off_let_everything_through(app, talk, member):
    relaxed = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "TESTING": True,
            "RATELIMIT_ENABLED": False,
            "RATELIMIT_POST_ACCOUNT": "1 per minute",
        }
    )
    token = bearer(relaxed)
    assert [post(relaxed, token, f"Point {i}").status_code for i in range(3)] == [201, 201, 201]
