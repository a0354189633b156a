"""Replies keep their place: a comment under review, taken down or deleted stands as a placeholder.

On today's main the replies of a comment sent back to the queue or taken down are shown as top-level
comments, and a deleted comment's author is still returned by the API.
"""

from __future__ import annotations

import pytest

from forum.discussion.models import CommentStatus, RejectReason
from forum.platform.database import db
from tests.factories import make_article, make_comment, make_profile


@pytest.fixture
def thread(app):
    article = make_article(slug="talk")
    hidden_author = make_profile("Secret Name", job_title="Hidden Job")
    parent = make_comment(article, hidden_author, "The contested words")
    reply = make_comment(article, make_profile("Replier"), "A published reply", parent=parent)
    db.session.commit()
    return parent, reply


def _state(comment, status, reason=None, deleted=False):
    comment.status = status
    comment.reject_reason = reason
    if deleted:
        from forum.platform.models import utcnow

        comment.deleted_at, comment.body, comment.body_html = utcnow(), "", ""
    db.session.commit()


@pytest.mark.parametrize(
    ("status", "reason", "deleted", "cause", "text"),
    [
        (CommentStatus.PENDING, None, False, "review", "This comment is being reviewed"),
        (
            CommentStatus.REMOVED,
            RejectReason.PERSONAL_DATA,
            False,
            "removed",
            "Removed by a moderator: personal data",
        ),
        (CommentStatus.APPROVED, None, True, "deleted", "Deleted by its author"),
    ],
)
def test_the_thread_keeps_its_shape_in_json_and_page(
    as_user, member, thread, status, reason, deleted, cause, text
):
    parent, reply = thread
    _state(parent, status, reason, deleted)
    for client in (as_user(None), as_user(member)):
        body = client.get("/api/v1/articles/talk/comments").get_json()
        assert len(body["comments"]) == 1, "the reply is not lifted to the top level"
        node = body["comments"][0]
        assert node["id"] == parent.id and node["placeholder"] == {"cause": cause, "text": text}
        assert node["author"] is None and node["body"] == "" and node["body_html"] == ""
        assert [r["id"] for r in node["replies"]] == [reply.id]
        page = client.get("/articles/talk").get_data(as_text=True)
        assert text in page and "A published reply" in page
        for secret in ("The contested words", "Secret Name", "Hidden Job"):
            assert secret not in str(body) and secret not in page


def test_a_placeholder_without_published_replies_is_not_shown(as_user, thread):
    parent, reply = thread
    _state(reply, CommentStatus.REMOVED, RejectReason.SPAM)
    _state(parent, CommentStatus.PENDING)
    assert as_user(None).get("/api/v1/articles/talk/comments").get_json()["comments"] == []


def test_moderators_and_the_author_see_the_comment_itself(as_user, moderator, thread):
    parent, _ = thread
    _state(parent, CommentStatus.PENDING)
    node = as_user(moderator).get("/api/v1/articles/talk/comments").get_json()["comments"][0]
    assert node["placeholder"] is None and node["body"] == "The contested words"
    page = as_user(moderator).get("/articles/talk").get_data(as_text=True)
    assert "Waiting in the queue" in page and "Only you and the moderators" not in page


def test_a_deleted_comments_author_is_not_returned_by_the_api(as_user, thread):
    parent, _ = thread
    _state(parent, CommentStatus.APPROVED, deleted=True)
    one = as_user(None).get(f"/api/v1/comments/{parent.id}").get_json()
    assert one["author"] is None and one["deleted"] is True
