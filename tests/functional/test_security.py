"""CSRF on every state-changing browser request, rate limits with Retry-After, cookie flags."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from forum import create_app
from forum.platform.database import db
from tests.conftest import PASSWORD, log_in
from tests.factories import make_article, make_comment


@pytest.fixture
def strict_app(app: Flask) -> Flask:
    """The same database, with CSRF protection and rate limits switched on (as in production)."""
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "TESTING": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "RATELIMIT_LOGIN_IP": "3 per minute",
            "RATELIMIT_LOGIN_ACCOUNT": "2 per minute",
            "RATELIMIT_REGISTER_IP": "2 per hour",
            "RATELIMIT_POST_ACCOUNT": "2 per minute",
        }
    )


def client_from(app: Flask, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def browser_post_routes(app: Flask) -> list[str]:
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if not rule.rule.startswith("/api/")
        and rule.methods
        and rule.methods & {"POST", "PUT", "PATCH", "DELETE"}
    )


def test_every_browser_form_needs_a_csrf_token(strict_app, member):
    comment = make_comment(make_article(slug="talk"), member.profile, "mine")
    db.session.commit()
    routes = browser_post_routes(strict_app)
    assert len(routes) >= 8  # register, login, logout, post, edit, delete, profile, tokens...
    client = log_in(strict_app.test_client(), member)
    for rule in routes:
        url = re.sub(r"<int:\w+>", str(comment.id), rule).replace("<slug>", "talk")
        response = client.post(url, data={"body": "x", "email": "member@example.org", "password": PASSWORD})
        assert response.status_code == 400, url
        assert "CSRF" in response.get_data(as_text=True), url


def test_a_form_with_its_token_goes_through(strict_app, member):
    make_article(slug="talk")
    db.session.commit()
    client = log_in(strict_app.test_client(), member)
    page = client.get("/articles/talk").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert (
        client.post("/articles/talk/comments", data={"body": "hello", "csrf_token": token}).status_code == 302
    )


def test_api_calls_on_the_session_need_the_csrf_header_but_tokens_do_not(strict_app, member):
    make_article(slug="talk")
    db.session.commit()
    client = log_in(strict_app.test_client(), member)
    refused = client.post("/api/v1/articles/talk/comments", json={"body": "x"})
    assert refused.status_code == 400 and refused.get_json()["message"] == "The CSRF token is missing."
    page = client.get("/articles/talk").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    accepted = client.post(
        "/api/v1/articles/talk/comments", json={"body": "x"}, headers={"X-CSRFToken": token}
    )
    assert accepted.status_code == 201
    anonymous = strict_app.test_client()
    issued = anonymous.post("/api/v1/tokens", json={"email": "member@example.org", "password": PASSWORD})
    bearer = {"Authorization": f"Bearer {issued.get_json()['token']}"}
    assert (
        anonymous.post("/api/v1/articles/talk/comments", json={"body": "y"}, headers=bearer).status_code
        == 201
    )


def test_login_attempts_are_limited_per_address_with_retry_after(strict_app, member):
    client = client_from(strict_app, "10.0.0.1")
    statuses = [
        client.post("/api/v1/tokens", json={"email": f"x{i}@example.org", "password": "wrong"}).status_code
        for i in range(4)
    ]
    assert statuses == [401, 401, 401, 429]
    limited = client.post("/api/v1/tokens", json={"email": "y@example.org", "password": "wrong"})
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    assert set(limited.get_json()) == {"code", "status", "message", "errors"}


def test_login_attempts_are_limited_per_account_across_addresses(strict_app, member):
    statuses = []
    for i in range(3):
        client = client_from(strict_app, f"10.0.1.{i}")
        response = client.post("/api/v1/tokens", json={"email": "Member@example.org", "password": "wrong"})
        statuses.append(response.status_code)
    assert statuses == [401, 401, 429]


def test_registration_is_limited_per_address(strict_app):
    client = client_from(strict_app, "10.0.2.1")
    statuses = [
        client.post(
            "/api/v1/users",
            json={
                "email": f"p{i}@example.org",
                "password": "long enough pw",
                "display_name": f"P {i}",
                "consent": True,
            },
        ).status_code
        for i in range(3)
    ]
    assert statuses == [202, 202, 429]
    assert client.get("/register").status_code == 200  # reading the form is never limited


def test_posting_is_limited_per_account(strict_app, member):
    make_article(slug="talk")
    db.session.commit()
    anonymous = strict_app.test_client()
    token = anonymous.post(
        "/api/v1/tokens", json={"email": "member@example.org", "password": PASSWORD}
    ).get_json()
    bearer = {"Authorization": f"Bearer {token['token']}"}
    statuses = [
        client_from(strict_app, f"10.0.3.{i}")
        .post("/api/v1/articles/talk/comments", json={"body": f"c{i}"}, headers=bearer)
        .status_code
        for i in range(3)
    ]
    assert statuses == [201, 201, 429]


def test_session_cookie_flags(strict_app, member):
    response = strict_app.test_client().get("/login")  # the form's CSRF token starts a session
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_passwords_never_reach_the_logs(client, member, caplog):
    caplog.set_level("DEBUG")
    client.post("/login", data={"email": "member@example.org", "password": "Sup3r-secret-pw"})
    client.post("/api/v1/tokens", json={"email": "member@example.org", "password": "Sup3r-secret-pw"})
    assert "Sup3r-secret-pw" not in caplog.text


def test_limits_are_declared_on_views_only(app):
    """The limiter skips its before_request pass, so settings that would need it are refused."""
    with pytest.raises(RuntimeError, match="RATELIMIT_DEFAULT"):
        create_app(
            {
                "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                "RATELIMIT_DEFAULT": "1/second",
            }
        )
