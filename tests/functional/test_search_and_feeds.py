"""Search and Atom feeds: public content only, for everyone; escaped; a fixed number of queries."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from forum.discussion.models import ArticleState, CommentStatus
from forum.platform.database import db
from tests.factories import make_article, make_comment, make_profile

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def corpus(app, member):
    talk = make_article(slug="talk", title="Talking about continuity", body="Continuity of care matters.")
    hidden = make_article(slug="draft", title="A draft about continuity", body="Unpublished continuity.")
    hidden.state = ArticleState.DRAFT
    someone = make_profile("Pat Public")
    made = {
        "public": make_comment(talk, someone, "Continuity of care helped my mother."),
        "reply": make_comment(talk, someone, "Continuity again, in a reply."),
        "pending": make_comment(
            talk, member.profile, "Continuity pending secret", status=CommentStatus.PENDING
        ),
        "rejected": make_comment(talk, someone, "Continuity rejected secret", status=CommentStatus.REJECTED),
        "removed": make_comment(talk, someone, "Continuity removed secret", status=CommentStatus.REMOVED),
        "on_draft": make_comment(hidden, someone, "Continuity on a draft secret"),
        "script": make_comment(talk, someone, "Continuity <script>alert(1)</script> & more"),
    }
    deleted = make_comment(talk, someone, "Continuity deleted secret")
    deleted.deleted_at = deleted.created_at
    db.session.commit()
    return made


@pytest.mark.parametrize("actor", ["anonymous", "member", "moderator"])
def test_search_finds_only_public_comments_whoever_asks(as_user, actors, corpus, actor):
    client = as_user(actors[actor])
    page = client.get("/search?q=continuity").get_data(as_text=True)
    assert "helped my mother" in page and "in a reply" in page
    assert "secret" not in page  # pending (even the author's own), rejected, removed, deleted, unpublished
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    body = client.get("/api/v1/search?q=continuity").get_json()
    assert {c["id"] for c in body["comments"]} == {
        corpus[k].id for k in ("public", "reply", "script")
    } and body["total_comments"] == 3
    assert [a["slug"] for a in body["articles"]] == ["talk"]
    assert all("secret" not in c["body"] for c in body["comments"])


def test_every_word_must_appear_and_matches_are_marked(client, corpus):
    body = client.get("/api/v1/search?q=continuity+mother").get_json()
    assert [c["id"] for c in body["comments"]] == [corpus["public"].id]
    assert "<mark>mother</mark>" in body["comments"][0]["snippet_html"]
    assert client.get("/api/v1/search?q=nothing+like+this").get_json()["total_comments"] == 0


@pytest.mark.parametrize("q", ["%", "_", "'", "\\", "%%%"])
def test_wildcards_and_punctuation_are_not_patterns(client, corpus, q):
    response = client.get("/api/v1/search", query_string={"q": q})
    assert response.status_code == 422 and "q" in response.get_json()["errors"]


def test_bad_searches_get_clear_errors(client, corpus):
    assert client.get("/search?q=" + "x" * 201).status_code == 422
    assert "Keep the search to 200 characters" in client.get("/search?q=" + "x" * 201).get_data(as_text=True)
    assert client.get("/search").status_code == 200  # just the form
    assert client.get("/api/v1/search").get_json()["errors"]["q"]


def test_search_costs_the_same_queries_however_many_match(client, corpus, count_queries, app):
    client.get("/api/v1/search?q=continuity")
    with count_queries() as few:
        client.get("/api/v1/search?q=continuity")
    article = make_article(slug="more")
    author = make_profile("Many Hands")
    for i in range(30):
        make_comment(article, author, f"Continuity number {i}")
    db.session.commit()
    with count_queries() as many:
        body = client.get("/api/v1/search?q=continuity&per_page=50").get_json()
    assert body["total_comments"] == 33 and few.count == many.count


def test_article_feed_lists_published_articles(client, corpus):
    response = client.get("/feeds/articles.atom")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert titles == ["Talking about continuity"]


def test_comment_feed_carries_public_comments_only_and_stays_well_formed(client, corpus):
    response = client.get("/articles/talk/comments.atom")
    feed = ET.fromstring(response.data)  # raises if the escaping broke the XML
    contents = [e.findtext(f"{ATOM}content") for e in feed.iter(f"{ATOM}entry")]
    assert len(contents) == 3 and not any("secret" in c for c in contents)
    assert any("&lt;script&gt;" in c for c in contents)  # the stored HTML, escaped once more by XML
    assert client.get("/articles/draft/comments.atom").status_code == 404


def test_underscores_are_literal_not_like_wildcards(client, app):
    article = make_article(slug="codes")
    author = make_profile("Coder")
    make_comment(article, author, "The code a_b matters")
    make_comment(article, author, "The code axb must not match")
    db.session.commit()
    body = client.get("/api/v1/search?q=a_b").get_json()
    assert [c["body"] for c in body["comments"]] in (["The code a_b matters"], [])  # PostgreSQL splits a_b
    assert all("axb" not in c["body"] for c in body["comments"])
