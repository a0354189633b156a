"""Hole 7: a forged Host header cannot poison what the forum builds. Absolute URLs come from
PUBLIC_URL (pages, the shared thread cache, feeds, the API, email), unknown hosts are refused with a
400 (TRUSTED_HOSTS), and production refuses to start without PUBLIC_URL."""

from __future__ import annotations

import pytest
from flask import Flask

from forum import create_app
from forum.platform.config import ConfigError, load_config
from forum.platform.database import db
from tests.factories import make_article, make_comment, make_profile

PUBLIC = "https://forum.example.org"
PAGES = [
    "/articles/talk",
    "/api/v1/articles/talk/comments",
    "/api/v1/articles/talk",
    "/articles/talk/comments.atom",
    "/feeds/articles.atom",
    "/api/v1/articles",
]


def public_app(app: Flask, **extra) -> Flask:
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "TESTING": True,
            "PUBLIC_URL": PUBLIC,
            "RATELIMIT_ENABLED": False,
            "JOB_RUNNER": "manual",
            **extra,
        }
    )


@pytest.fixture
def thread(app):
    article = make_article(slug="talk")
    make_comment(article, make_profile("Pat Public"), "A public comment.")
    db.session.commit()
    return article


def test_a_forged_host_builds_nothing_with_its_name(app, thread):
    site = public_app(app)  # no TRUSTED_HOSTS: even accepted, the Host is never used for links
    client = site.test_client()
    for url in PAGES:
        forged = client.get(url, headers={"Host": "evil.example"})
        assert forged.status_code == 200, url
        assert "evil.example" not in forged.get_data(as_text=True), url
        # The next reader (the page cache, the local copies) gets the public links.
        honest = client.get(url, headers={"Host": "forum.example.org"})
        text = honest.get_data(as_text=True)
        assert "evil.example" not in text, url
    page = client.get("/articles/talk", headers={"Host": "forum.example.org"}).get_data(as_text=True)
    assert f"{PUBLIC}/comments/" in page  # permalinks are the public site's


def test_unknown_hosts_are_refused(app, thread):
    site = public_app(app, TRUSTED_HOSTS=["forum.example.org", "localhost"])
    client = site.test_client()
    page = client.get("/articles/talk", headers={"Host": "evil.example"})
    assert page.status_code == 400
    api = client.get("/api/v1/articles/talk/comments", headers={"Host": "evil.example"})
    assert api.status_code == 400
    assert client.get("/articles/talk", headers={"Host": "forum.example.org"}).status_code == 200
    assert client.get("/articles/talk", headers={"Host": "localhost:8000"}).status_code == 200


def test_production_needs_public_url_and_trusts_only_its_host(monkeypatch):
    monkeypatch.setenv("FORUM_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a real secret for the test")
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db/forum")
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    with pytest.raises(ConfigError, match="PUBLIC_URL"):
        load_config()
    monkeypatch.setenv("PUBLIC_URL", PUBLIC)
    monkeypatch.setenv("TRUSTED_HOSTS", "10.0.0.5")
    config = load_config()
    assert config["TRUSTED_HOSTS"] == ["10.0.0.5", "forum.example.org"]
    assert config["SERVER_NAME"] == "forum.example.org" and config["PREFERRED_URL_SCHEME"] == "https"
