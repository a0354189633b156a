"""Hole 9: a rejected or removed comment cannot be edited back into the queue, by the API or the form."""

from __future__ import annotations

import pytest

from forum.discussion.models import Comment, CommentStatus
from forum.platform.database import db
from tests.factories import make_article, make_comment


@pytest.mark.parametrize("status", [CommentStatus.REJECTED, CommentStatus.REMOVED])
def test_a_refused_comment_cannot_be_edited_back_into_the_queue(as_user, member, status):
    comment = make_comment(make_article(slug="talk"), member.profile, "my refused words", status=status)
    db.session.commit()
    client = as_user(member)
    api = client.patch(f"/api/v1/comments/{comment.id}", json={"body": "an innocent new text"})
    assert api.status_code == 403
    assert "cannot be edited" in api.get_json()["message"]
    form = client.post(f"/comments/{comment.id}/edit", data={"body": "an innocent new text"})
    assert form.status_code == 403
    page = client.get(f"/comments/{comment.id}/edit")
    assert page.status_code == 403
    db.session.expire_all()
    kept = db.session.get(Comment, comment.id)
    assert kept.status == status and kept.body == "my refused words"


def test_pending_comments_can_still_be_edited(as_user, member):
    comment = make_comment(make_article(slug="talk"), member.profile, "draft", status=CommentStatus.PENDING)
    db.session.commit()
    response = as_user(member).patch(f"/api/v1/comments/{comment.id}", json={"body": "better draft"})
    assert response.status_code == 200
