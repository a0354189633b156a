"""Posting, replying, editing and deleting comments, per actor, in the browser and the API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.discussion.models import Comment, CommentRevision, CommentsMode, CommentStatus
from forum.platform.database import db
from tests.factories import make_article, make_comment, make_profile


@pytest.fixture
def article(app):
    found = make_article(slug="talk", title="Let's talk")
    db.session.commit()
    return found


def comment_count():
    return db.session.scalar(select(func.count(Comment.id)))


def test_anonymous_people_cannot_post(as_user, article):
    browser = as_user(None).post("/articles/talk/comments", data={"body": "hi"})
    assert browser.status_code == 302 and browser.headers["Location"].startswith("/login?next=")
    api = as_user(None).post("/api/v1/articles/talk/comments", json={"body": "hi"})
    assert api.status_code == 401 and api.get_json()["code"] == 401
    assert comment_count() == 0
    page = as_user(None).get("/articles/talk").get_data(as_text=True)
    assert "to comment" in page and "<textarea" not in page


def test_a_new_comment_waits_for_moderation_and_only_its_author_sees_it(
    as_user, article, member, other_member, moderator
):
    response = as_user(member).post("/articles/talk/comments", data={"body": "My *first* comment"})
    comment = db.session.scalar(select(Comment))
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/articles/talk#message-{comment.id}"
    )
    assert comment.status == CommentStatus.PENDING and comment.body_html == "<p>My <em>first</em> comment</p>"

    own = as_user(member).get("/articles/talk").get_data(as_text=True)
    assert "My <em>first</em> comment" in own and "Awaiting moderation" in own
    own_json = as_user(member).get("/api/v1/articles/talk/comments").get_json()
    assert own_json["comments"][0]["status"] == "pending"
    assert as_user(member).get(f"/api/v1/comments/{comment.id}").status_code == 200

    for reader in (None, other_member):
        client = as_user(reader)
        assert "first" not in client.get("/articles/talk").get_data(as_text=True)
        assert client.get("/api/v1/articles/talk/comments").get_json() == {
            "article": "talk",
            "comments_mode": "open",
            "count": 0,
            "comments": [],
            "next_cursor": None,
            "sort": "oldest",
            "roles": [],
            "in_reply_to": {},
            "since": None,
            "new_count": 0,
            "new_ids": [],
        }
        assert client.get(f"/api/v1/comments/{comment.id}").status_code == 404
        assert client.get("/api/v1/articles").get_json()["items"][0]["comment_count"] == 0
        assert "first" not in client.get(f"/profiles/{member.profile_id}").get_data(as_text=True)
        assert client.get(f"/api/v1/profiles/{member.profile_id}").get_json()["comment_count"] == 0

    assert "My <em>first</em> comment" in as_user(moderator).get("/articles/talk").get_data(as_text=True)


def test_api_posting_returns_the_node_with_its_status(as_user, article, member):
    response = as_user(member).post("/api/v1/articles/talk/comments", json={"body": "  Hello  "})
    assert response.status_code == 201
    node = response.get_json()
    assert node["body"] == "Hello" and node["status"] == "pending" and node["replies"] == []
    assert node["author"]["display_name"] == "Mem Ber" and node["parent_id"] is None


def test_replies_in_the_browser_and_the_api(as_user, article, member, other_member):
    parent = make_comment(article, make_profile("Seeded"), "Approved parent")
    db.session.commit()
    page = as_user(member).get("/articles/talk").get_data(as_text=True)
    assert '<details class="reply"' in page and f'name="parent_id" value="{parent.id}"' in page
    assert (
        as_user(member)
        .post("/articles/talk/comments", data={"body": "A reply", "parent_id": parent.id})
        .status_code
        == 302
    )
    api = as_user(other_member).post(
        "/api/v1/articles/talk/comments", json={"body": "Also", "parent_id": parent.id}
    )
    assert api.status_code == 201 and api.get_json()["parent_id"] == parent.id
    replies = db.session.scalars(select(Comment).where(Comment.parent_id == parent.id)).all()
    assert len(replies) == 2


def test_a_reply_needs_a_visible_parent_in_the_same_article(as_user, article, member, other_member):
    elsewhere = make_comment(make_article(slug="elsewhere"), make_profile(), "Other article")
    hidden = make_comment(article, other_member.profile, "Pending, not mine", status=CommentStatus.PENDING)
    db.session.commit()
    client = as_user(member)
    for parent_id in (elsewhere.id, hidden.id, 999_999):
        response = client.post(
            "/api/v1/articles/talk/comments", json={"body": "reply", "parent_id": parent_id}
        )
        assert response.status_code == 422 and "parent_id" in response.get_json()["errors"]
    page = client.post("/articles/talk/comments", data={"body": "reply", "parent_id": hidden.id})
    assert page.status_code == 422 and "not in this thread" in page.get_data(as_text=True)
    assert client.post("/articles/talk/comments", data={"body": "x", "parent_id": "abc"}).status_code == 400
    assert comment_count() == 2


@pytest.mark.parametrize(
    ("body", "ok"), [("", False), ("   \n  ", False), ("x" * 10_000, True), ("x" * 10_001, False)]
)
def test_comment_length_is_checked_after_trimming(as_user, article, member, body, ok):
    response = as_user(member).post("/api/v1/articles/talk/comments", json={"body": f"  {body}  "})
    assert response.status_code == (201 if ok else 422)
    if not ok:
        assert "body" in response.get_json()["errors"]
    assert comment_count() == (1 if ok else 0)


def test_form_errors_come_back_next_to_the_form_with_the_text_kept(as_user, article, member):
    response = as_user(member).post("/articles/talk/comments", data={"body": "y" * 10_001})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="body-new-error"' in page and "Keep it to 10,000 characters" in page and "y" * 100 in page


def test_closed_articles_refuse_comments_clearly(as_user, article, member):
    article.comments_mode = CommentsMode.CLOSED
    db.session.commit()
    api = as_user(member).post("/api/v1/articles/talk/comments", json={"body": "late"})
    assert api.status_code == 403 and api.get_json()["message"] == "Comments are closed on this article."
    page = as_user(member).get("/articles/talk").get_data(as_text=True)
    assert "Comments are closed on this article." in page and "<textarea" not in page
    assert as_user(member).post("/articles/talk/comments", data={"body": "late"}).status_code == 403
    assert comment_count() == 0


def test_text_is_rendered_once_and_sanitised(as_user, article, member):
    as_user(member).post(
        "/api/v1/articles/talk/comments",
        json={
            "body": "<b>bold?</b> [site](https://nhs.uk) [bad](javascript:alert(1))\n\n> quoted\n\n- one\n- two"
        },
    )
    html = db.session.scalar(select(Comment.body_html))
    assert "&lt;b&gt;bold?&lt;/b&gt;" in html
    assert '<a href="https://nhs.uk" rel="nofollow ugc noopener">site</a>' in html
    assert "javascript:" not in html.split("[bad]")[0] and 'href="javascript' not in html
    assert "<blockquote>" in html and "<li>one</li>" in html


# --- editing -------------------------------------------------------------------------------------------------


@pytest.fixture
def own_comment(app, article, member):
    # A trusted member (their one approved comment is enough here): their edits go straight through;
    # a pre-moderated member's wait (tests/functional/test_held_edits.py).
    app.config["TRUST_AFTER_APPROVED"] = 1
    comment = make_comment(article, member.profile, "Original text", status=CommentStatus.APPROVED)
    db.session.commit()
    return comment


def test_authors_edit_within_the_window_and_revisions_are_kept(as_user, own_comment, member):
    client = as_user(member)
    assert "Original text" in client.get(f"/comments/{own_comment.id}/edit").get_data(as_text=True)
    assert client.post(f"/comments/{own_comment.id}/edit", data={"body": "Second text"}).status_code == 302
    response = client.patch(f"/api/v1/comments/{own_comment.id}", json={"body": "Third text"})
    assert response.status_code == 200 and response.get_json()["body"] == "Third text"
    assert response.get_json()["edited"] is True  # published, then changed: always marked
    revisions = db.session.scalars(select(CommentRevision.body).order_by(CommentRevision.id)).all()
    assert revisions == ["Original text", "Second text"]


def test_an_edit_after_a_reply_is_marked_edited(as_user, article, own_comment, member):
    make_comment(article, make_profile(), "A reply", parent=own_comment)
    db.session.commit()
    as_user(member).patch(f"/api/v1/comments/{own_comment.id}", json={"body": "Changed after reply"})
    page = as_user(None).get("/articles/talk").get_data(as_text=True)
    assert "Changed after reply" in page and "(edited <time" in page


def test_editing_after_the_window_is_refused(as_user, own_comment, member):
    own_comment.created_at = own_comment.created_at - timedelta(minutes=16)
    db.session.commit()
    client = as_user(member)
    response = client.patch(f"/api/v1/comments/{own_comment.id}", json={"body": "too late"})
    assert response.status_code == 403 and "15 minutes" in response.get_json()["message"]
    assert client.get(f"/comments/{own_comment.id}/edit").status_code == 403
    assert "Edit<" not in client.get("/articles/talk").get_data(as_text=True)


@pytest.mark.parametrize(
    ("actor", "api_status", "page_status"),
    [("anonymous", 401, 302), ("other_member", 403, 403), ("moderator", 403, 403), ("member", 200, 302)],
)
def test_edit_per_actor(as_user, actors, own_comment, actor, api_status, page_status):
    client = as_user(actors[actor])
    assert client.patch(f"/api/v1/comments/{own_comment.id}", json={"body": "new"}).status_code == api_status
    assert client.post(f"/comments/{own_comment.id}/edit", data={"body": "newer"}).status_code == page_status


@pytest.mark.parametrize(("actor", "status"), [("anonymous", 401), ("member", 404)])
def test_missing_comments_are_404_and_anonymous_is_401(as_user, actors, article, actor, status):
    client = as_user(actors[actor])
    assert client.patch("/api/v1/comments/424242", json={"body": "x"}).status_code == status
    assert client.delete("/api/v1/comments/424242").status_code == status


def test_invisible_comments_are_404_not_403(as_user, article, other_member, member):
    hidden = make_comment(article, other_member.profile, "pending", status=CommentStatus.PENDING)
    db.session.commit()
    assert as_user(member).patch(f"/api/v1/comments/{hidden.id}", json={"body": "x"}).status_code == 404


# --- deleting ------------------------------------------------------------------------------------------------


def test_deleting_keeps_replies_under_a_placeholder(as_user, article, own_comment, member):
    make_comment(article, make_profile(), "Still here", parent=own_comment)
    as_user(member).patch(f"/api/v1/comments/{own_comment.id}", json={"body": "Edited once"})
    db.session.commit()
    client = as_user(member)
    assert "Delete your comment?" in client.get(f"/comments/{own_comment.id}/delete").get_data(as_text=True)
    assert client.post(f"/comments/{own_comment.id}/delete").status_code == 302
    db.session.expire_all()
    stored = db.session.get(Comment, own_comment.id)
    assert stored.body == "" and stored.body_html == "" and stored.deleted_at is not None
    assert db.session.scalar(select(func.count(CommentRevision.id))) == 0  # earlier texts go too
    page = as_user(None).get("/articles/talk").get_data(as_text=True)
    assert "Deleted by its author" in page and "Still here" in page and "Original text" not in page
    thread = as_user(None).get("/api/v1/articles/talk/comments").get_json()
    assert thread["count"] == 1 and thread["comments"][0]["deleted"] is True
    assert thread["comments"][0]["replies"][0]["body"] == "Still here"


def test_deleting_a_comment_without_replies_removes_it_from_view(as_user, own_comment, member):
    assert as_user(member).delete(f"/api/v1/comments/{own_comment.id}").status_code == 204
    thread = as_user(None).get("/api/v1/articles/talk/comments").get_json()
    assert thread == {
        "article": "talk",
        "comments_mode": "open",
        "count": 0,
        "comments": [],
        "next_cursor": None,
        "sort": "oldest",
        "roles": [],
        "in_reply_to": {},
        "since": None,
        "new_count": 0,
        "new_ids": [],
    }
    assert as_user(None).get("/api/v1/articles").get_json()["items"][0]["comment_count"] == 0
    assert as_user(member).delete(f"/api/v1/comments/{own_comment.id}").status_code == 403


@pytest.mark.parametrize(("actor", "status"), [("anonymous", 401), ("other_member", 403), ("moderator", 403)])
def test_delete_per_actor(as_user, actors, own_comment, actor, status):
    assert as_user(actors[actor]).delete(f"/api/v1/comments/{own_comment.id}").status_code == status
    assert db.session.get(Comment, own_comment.id).deleted_at is None
