"""Security headers on every kind of response, and pages that need no inline script or style."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from forum import create_app
from forum.platform.database import db
from forum.platform.http.security import CONTENT_SECURITY_POLICY
from tests.factories import make_article, make_comment

EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def check_headers(response) -> None:
    for name, value in EXPECTED.items():
        assert response.headers[name] == value, name
    policy = response.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'" and "unsafe" not in policy
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "geolocation=()" in response.headers["Permissions-Policy"]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/login",
        "/api/v1/articles",
        "/api/v1/openapi.json",
        "/static/css/site.css",
        "/nowhere",
        "/api/v1/nowhere",
        "/api/v1/me",
    ],
)
def test_every_kind_of_response_carries_the_headers(client, path):
    response = client.get(path)
    check_headers(response)
    assert "Strict-Transport-Security" not in response.headers  # only in production


def test_errors_raised_before_a_view_carry_them_too(client):
    check_headers(client.post("/api/v1/tokens", data="{", content_type="application/json"))
    check_headers(client.post("/api/v1/users", json={"email": "a\x00b"}))


def test_hsts_only_in_production(monkeypatch):
    app = create_app(
        {
            "FORUM_ENV": "production",
            "SECRET_KEY": "a production secret for the test",
            "SQLALCHEMY_DATABASE_URI": "postgresql://nobody@127.0.0.1:1/none",  # never connected to
            "PUBLIC_URL": "https://localhost",
        }
    )
    response = app.test_client().get("/static/css/site.css")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    check_headers(response)
    assert "dev.outbox" not in app.view_functions  # the outbox page never exists in production


def test_reset_pages_tighten_the_referrer_policy(client):
    response = client.get("/password/reset?token=whatever")
    assert response.headers["Referrer-Policy"] == "no-referrer"


INLINE = [
    re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),  # a script block rather than a file
    re.compile(r"<style\b", re.I),
    re.compile(r"\sstyle\s*=", re.I),
    re.compile(r"\son[a-z]+\s*=", re.I),  # onclick=, onload= ...
    re.compile(r"javascript:", re.I),
]


def test_pages_need_nothing_the_policy_forbids(app: Flask, as_user, member, moderator, seeded):
    """The CSP allows no inline script or style: every page must work without them."""
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY
    article = make_article(slug="talk")
    make_comment(article, member.profile, "Mine, *emphasised*, with <b>html</b> and a [link](https://x.org)")
    db.session.commit()
    pages = {
        None: [
            "/",
            "/articles/talk",
            "/login",
            "/register",
            "/password/forgot",
            f"/profiles/{member.profile_id}",
        ],
        member: ["/articles/talk", "/account/profile", "/account/security", "/account/notifications"],
        moderator: ["/moderation", "/moderation/log", f"/moderation/members/{member.id}"],
    }
    for user, paths in pages.items():
        client = as_user(user)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            html = response.get_data(as_text=True)
            for pattern in INLINE:
                assert not pattern.search(html), (path, pattern.pattern, pattern.search(html))
