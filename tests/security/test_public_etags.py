"""Hole 11: what strangers are told about a thread (its ETag, the page, the JSON) changes only when what
they can see changes: a comment posted, edited or refused while held back moves nothing."""

from __future__ import annotations

import pytest

from forum.discussion.models import Comment, CommentStatus
from forum.platform.database import db
from tests.factories import make_article, make_comment, make_profile

URLS = ["/articles/talk", "/api/v1/articles/talk/comments"]


@pytest.fixture
def thread(app):
    article = make_article(slug="talk")
    make_comment(article, make_profile("Pat Public"), "A public comment.")
    db.session.commit()
    return article


def etags(client):
    found = {}
    for url in URLS:
        response = client.get(url)
        assert response.status_code == 200
        found[url] = response.headers["ETag"]
    return found


def test_a_held_comment_does_not_move_the_anonymous_etag(client, as_user, member, moderator, thread):
    before = etags(client)
    author = as_user(member)
    posted = author.post("/api/v1/articles/talk/comments", json={"body": "A first comment, held."})
    assert posted.status_code == 201 and posted.get_json()["status"] == "pending"
    comment_id = posted.get_json()["id"]
    assert etags(client) == before
    edited = author.patch(f"/api/v1/comments/{comment_id}", json={"body": "Held, and edited."})
    assert edited.status_code == 200
    assert etags(client) == before
    # Once a moderator publishes it, everyone sees it, and the ETag moves.
    comment = db.session.get(Comment, comment_id)
    comment.status = CommentStatus.APPROVED
    db.session.commit()
    after = etags(client)
    assert all(after[url] != before[url] for url in URLS)


def test_a_conditional_request_stays_a_304_across_a_held_comment(client, as_user, member, thread):
    tag = client.get("/articles/talk").headers["ETag"]
    as_user(member).post("/api/v1/articles/talk/comments", json={"body": "Held back."})
    again = client.get("/articles/talk", headers={"If-None-Match": tag})
    assert again.status_code == 304
