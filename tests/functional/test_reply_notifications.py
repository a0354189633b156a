"""Members hear, in the app, when someone's reply to their comment is published."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.notifications.models import Notification
from forum.platform.database import db
from tests.factories import make_article, make_comment


@pytest.fixture
def parent(app, member):
    article = make_article(slug="talk", title="Let's talk")
    comment = make_comment(article, member.profile, "My first thought")
    db.session.commit()
    return comment


def replies_for(user):
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Notification).where(Notification.user_id == user.id, Notification.kind == "comment.reply")
        )
    )


def test_a_reply_is_announced_only_once_it_is_published(as_user, member, other_member, moderator, parent):
    posted = as_user(other_member).post(
        "/api/v1/articles/talk/comments", json={"body": "An answer", "parent_id": parent.id}
    )
    assert posted.get_json()["status"] == "pending" and replies_for(member) == []
    decided = as_user(moderator).post(
        f"/api/v1/moderation/comments/{posted.get_json()['id']}/decision", json={"action": "approve"}
    )
    assert decided.status_code == 200
    [note] = replies_for(member)
    assert note.comment_id == posted.get_json()["id"]
    assert note.message == "Oth Er replied to your comment on “Let's talk”."
    page = as_user(member).get("/account/notifications").get_data(as_text=True)
    assert "replied to your comment" in page


def test_a_reply_published_at_once_is_announced_at_once(as_user, member, moderator, parent):
    as_user(moderator).post("/api/v1/articles/talk/comments", json={"body": "Thanks", "parent_id": parent.id})
    assert len(replies_for(member)) == 1


def test_answering_yourself_or_a_rejected_reply_says_nothing(
    as_user, member, other_member, moderator, parent
):
    as_user(member).post("/api/v1/articles/talk/comments", json={"body": "And also", "parent_id": parent.id})
    posted = as_user(other_member).post(
        "/api/v1/articles/talk/comments", json={"body": "Rubbish", "parent_id": parent.id}
    )
    as_user(moderator).post(
        f"/api/v1/moderation/comments/{posted.get_json()['id']}/decision",
        json={"action": "reject", "reason": "abusive"},
    )
    assert replies_for(member) == []
