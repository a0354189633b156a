"""The thread on the organisation's own site: the framed page, who may frame it, the host script, and
the summary with CORS for the allowed origins only."""

from __future__ import annotations

import pytest

from forum.discussion.models import ArticleState, CommentsMode, CommentStatus
from forum.platform.config import ConfigError, load_config
from forum.platform.database import db
from tests.factories import make_article, make_comment, make_profile

HOST = "https://www.example.org"


@pytest.fixture
def embedding(app):
    app.config["EMBED_ALLOWED_ORIGINS"] = (HOST, "http://localhost:8080")
    article = make_article(slug="shared-care", title="Shared care")
    person = make_profile("Pat Reader")
    make_comment(article, person, "A published thought")
    make_comment(article, person, "A pending thought", status=CommentStatus.PENDING)
    db.session.commit()
    return article


def test_the_framed_thread_is_readable_and_only_the_listed_sites_may_frame_it(client, embedding):
    answer = client.get("/embed/articles/shared-care")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    policy = answer.headers["Content-Security-Policy"]
    assert (
        f"frame-ancestors {HOST} http://localhost:8080" in policy and "frame-ancestors 'none'" not in policy
    )
    assert "X-Frame-Options" not in answer.headers
    assert "A published thought" in page and "A pending thought" not in page
    assert "site-header" not in page and "Join the conversation on the forum" in page
    assert 'href="http://forum.test/articles/shared-care#join" target="_blank" rel="noopener"' in page
    assert 'name="body"' not in page and "csrf_token" not in page  # read-only: posting is on the forum
    # Every other page stays unframeable.
    other = client.get("/articles/shared-care")
    assert "frame-ancestors 'none'" in other.headers["Content-Security-Policy"]
    assert other.headers["X-Frame-Options"] == "DENY"


def test_without_listed_origins_nobody_may_frame_it(client, app, embedding):
    app.config["EMBED_ALLOWED_ORIGINS"] = ()
    answer = client.get("/embed/articles/shared-care")
    assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]
    assert answer.headers["X-Frame-Options"] == "DENY"


def test_the_embed_follows_the_visibility_rules(client, embedding):
    embedding.comments_mode = CommentsMode.HIDDEN
    db.session.commit()
    hidden = client.get("/embed/articles/shared-care").get_data(as_text=True)
    assert "A published thought" not in hidden and "Comments are not shown" in hidden
    embedding.comments_mode = CommentsMode.CLOSED
    db.session.commit()
    closed = client.get("/embed/articles/shared-care").get_data(as_text=True)
    assert "A published thought" in closed and "Comments are closed on this article." in closed
    assert "Join the conversation" not in closed
    embedding.state = ArticleState.DRAFT
    db.session.commit()
    assert client.get("/embed/articles/shared-care").status_code == 404
    assert client.get("/api/v1/articles/shared-care/summary").status_code == 404


def test_the_host_script_may_be_loaded_by_other_sites(client, embedding):
    script = client.get("/embed/embed.js")
    assert script.status_code == 200 and script.mimetype == "text/javascript"
    assert script.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert "forum:embed-height" in script.get_data(as_text=True)


def test_the_summary_is_cacheable_and_readable_from_the_listed_origins_only(client, embedding):
    allowed = client.get("/api/v1/articles/shared-care/summary", headers={"Origin": HOST})
    body = allowed.get_json()
    assert body["comment_count"] == 1 and body["latest_comment_at"] is not None
    assert body["url"] == "http://forum.test/articles/shared-care#comments"
    assert allowed.headers["Access-Control-Allow-Origin"] == HOST
    assert allowed.headers["Cache-Control"] == "public, max-age=60" and "Origin" in allowed.headers["Vary"]
    again = client.get(
        "/api/v1/articles/shared-care/summary", headers={"If-None-Match": allowed.headers["ETag"]}
    )
    assert again.status_code == 304
    refused = client.get("/api/v1/articles/shared-care/summary", headers={"Origin": "https://evil.example"})
    assert refused.status_code == 200 and "Access-Control-Allow-Origin" not in refused.headers
    embedding.comments_mode = CommentsMode.HIDDEN
    db.session.commit()
    hidden = client.get("/api/v1/articles/shared-care/summary").get_json()
    assert hidden["comment_count"] == 0 and hidden["latest_comment_at"] is None


def test_origins_are_checked_when_the_app_starts(monkeypatch):
    monkeypatch.setenv("EMBED_ALLOWED_ORIGINS", "https://www.example.org, http://localhost:8080/")
    assert load_config()["EMBED_ALLOWED_ORIGINS"] == ("https://www.example.org", "http://localhost:8080")
    for bad in ("*", "https://example.org/page", "example.org", "https://a.org 'unsafe-inline'"):
        monkeypatch.setenv("EMBED_ALLOWED_ORIGINS", bad)
        with pytest.raises(ConfigError):
            load_config()
