"""Appeals: the author appeals once; a different moderator decides; upheld restores, dismissed keeps it down."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.discussion.models import Comment, CommentStatus
from forum.moderation.models import Appeal, AppealStatus, AuditEntry
from forum.notifications.models import Notification
from forum.platform.database import db
from tests.conftest import create_user
from tests.factories import make_article


@pytest.fixture
def refused(as_user, member, moderator):
    make_article(slug="talk", title="Let's talk")
    db.session.commit()
    posted = (
        as_user(member).post("/api/v1/articles/talk/comments", json={"body": "My honest view."}).get_json()
    )
    answer = as_user(moderator).post(
        f"/api/v1/moderation/comments/{posted['id']}/decision",
        json={"action": "reject", "reason": "off_topic", "note": "Keep to the article."},
    )
    assert answer.status_code == 200
    return posted["id"]


def test_the_author_sees_why_through_the_api(as_user, member, other_member, moderator, refused):
    mine = as_user(member).get(f"/api/v1/comments/{refused}").get_json()
    assert mine["reject_reason"] == "off_topic" and mine["decision_note"] == "Keep to the article."
    assert as_user(moderator).get(f"/api/v1/comments/{refused}").get_json()["reject_reason"] == "off_topic"
    assert as_user(other_member).get(f"/api/v1/comments/{refused}").status_code == 404


@pytest.mark.parametrize(("actor", "status"), [("anonymous", 401), ("other_member", 404), ("moderator", 404)])
def test_only_the_author_appeals(as_user, actors, refused, actor, status):
    answer = as_user(actors[actor]).post(f"/api/v1/comments/{refused}/appeal", json={"note": "Please"})
    # A moderator sees the comment but did not write it: refused (403); others cannot see it (404).
    assert answer.status_code == (403 if actor == "moderator" else status)


def test_an_appeal_is_made_once_and_waits_in_the_queue_as_its_own_kind(as_user, member, moderator, refused):
    client = as_user(member)
    assert client.post(f"/api/v1/comments/{refused}/appeal", json={"note": ""}).status_code == 422
    first = client.post(f"/api/v1/comments/{refused}/appeal", json={"note": "It was on topic: see para 2."})
    assert first.status_code == 201 and first.get_json()["status"] == "pending"
    assert client.post(f"/api/v1/comments/{refused}/appeal", json={"note": "Again"}).status_code == 403
    item = as_user(moderator).get("/api/v1/moderation/queue?kind=appeal").get_json()["items"][0]
    assert item["kind"] == "appeal" and item["appeal"]["note"] == "It was on topic: see para 2."
    page = as_user(moderator).get("/moderation?kind=appeal").get_data(as_text=True)
    assert "tag--appeal" in page and "It was on topic: see para 2." in page
    assert "You made the decision this appeal is about" in page  # the deciding moderator is told why not


def test_the_page_form_appeals(as_user, member, refused):
    client = as_user(member)
    thread = client.get("/articles/talk").get_data(as_text=True)
    assert f'href="/comments/{refused}/appeal"' in thread
    assert "Why should the decision change?" in client.get(f"/comments/{refused}/appeal").get_data(
        as_text=True
    )
    assert client.post(f"/comments/{refused}/appeal", data={"note": "Reconsider"}).status_code == 302
    assert db.session.scalar(select(Appeal.note)) == "Reconsider"
    assert client.get(f"/comments/{refused}/appeal").status_code == 403


def test_the_deciding_moderator_cannot_decide_the_appeal_another_can(
    as_user, member, moderator, admin, refused
):
    as_user(member).post(f"/api/v1/comments/{refused}/appeal", json={"note": "Reconsider"})
    url = f"/api/v1/moderation/comments/{refused}/decision"
    refused_answer = as_user(moderator).post(url, json={"action": "uphold"})
    assert refused_answer.status_code == 403 and "another moderator" in refused_answer.get_json()["message"]
    other = create_user("mod2@example.org", "Second Mod", access=moderator.access, role="staff")
    answer = as_user(other).post(url, json={"action": "uphold", "note": "You are right."})
    assert answer.status_code == 200 and answer.get_json()["status"] == "approved"
    assert "My honest view." in as_user(None).get("/articles/talk").get_data(as_text=True)
    assert as_user(admin).post(url, json={"action": "dismiss"}).status_code == 409  # decided already
    told = db.session.scalar(select(Notification.message).order_by(Notification.id.desc()))
    assert "appeal was upheld" in told
    actions = list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions[-2:] == ["appeal.made", "appeal.upheld"]


def test_a_dismissed_appeal_keeps_it_down_and_tells_the_author(as_user, member, admin, refused):
    as_user(member).post(f"/api/v1/comments/{refused}/appeal", json={"note": "Reconsider"})
    answer = as_user(admin).post(
        f"/api/v1/moderation/comments/{refused}/decision", json={"action": "dismiss"}
    )
    assert answer.status_code == 200
    db.session.expire_all()
    assert db.session.get(Comment, refused).status == CommentStatus.REJECTED
    assert db.session.scalar(select(Appeal.status)) == AppealStatus.DISMISSED
    assert "dismissed" in db.session.scalar(select(Notification.message).order_by(Notification.id.desc()))


@pytest.mark.parametrize(("actor", "status"), [("anonymous", 401), ("member", 403), ("other_member", 403)])
def test_members_cannot_decide_appeals(as_user, actors, member, refused, actor, status):
    as_user(member).post(f"/api/v1/comments/{refused}/appeal", json={"note": "Reconsider"})
    answer = as_user(actors[actor]).post(
        f"/api/v1/moderation/comments/{refused}/decision", json={"action": "uphold"}
    )
    assert answer.status_code == status
