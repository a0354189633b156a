"""The "always pre-moderate" sanction: a trusted member's posts and edits wait while it is in force."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.moderation.models import AuditEntry
from forum.platform.database import db
from tests.factories import make_article, make_comment


@pytest.fixture
def trusted(app, member):
    app.config["TRUST_AFTER_APPROVED"] = 1
    article = make_article(slug="talk")
    make_comment(article, member.profile, "An earlier approved comment.")
    db.session.commit()
    return member


def _sanction(client, user_id, **body):
    return client.post(
        f"/api/v1/moderation/members/{user_id}/sanctions",
        json={"kind": "premoderation", "reason": "Repeated personal attacks.", **body},
    )


def test_a_pre_moderated_members_posts_and_edits_wait(as_user, trusted, moderator):
    member_client = as_user(trusted)
    before = member_client.post("/api/v1/articles/talk/comments", json={"body": "Straight through."})
    assert before.get_json()["status"] == "approved"
    assert _sanction(as_user(moderator), trusted.id).status_code == 201
    after = member_client.post("/api/v1/articles/talk/comments", json={"body": "Now it waits."})
    assert after.status_code == 201 and after.get_json()["status"] == "pending"
    edited = member_client.patch(f"/api/v1/comments/{before.get_json()['id']}", json={"body": "Changed."})
    assert (
        edited.get_json()["body"] == "Straight through."
        and edited.get_json()["held_edit"]["status"] == "pending"
    )
    queue = as_user(moderator).get("/moderation").get_data(as_text=True)
    assert "under an \u201calways pre-moderate\u201d sanction" in queue


def test_it_shows_on_the_member_page_ends_and_is_lifted_and_logged(as_user, trusted, moderator):
    client = as_user(moderator)
    assert _sanction(client, trusted.id, days=0).status_code == 422
    assert _sanction(client, trusted.id, days=30).status_code == 201
    page = client.get(f"/moderation/members/{trusted.id}").get_data(as_text=True)
    assert (
        "Always pre-moderate" in page
        and "Repeated personal attacks." in page
        and "Lift: always pre-moderate" in page
    )
    member = client.get(f"/api/v1/moderation/members/{trusted.id}").get_json()
    assert member["premoderated"]["kind"] == "premoderation" and member["premoderated"]["ends_at"]
    assert member["active_sanction"] is None  # it does not stop them posting
    assert (
        client.delete(f"/api/v1/moderation/members/{trusted.id}/sanctions?kind=premoderation").status_code
        == 204
    )
    after = as_user(trusted).post("/api/v1/articles/talk/comments", json={"body": "Free again."})
    assert after.get_json()["status"] == "approved"
    actions = list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["member.premoderation", "member.sanction_lifted"]


def test_the_page_form_applies_it(as_user, trusted, moderator):
    client = as_user(moderator)
    answer = client.post(
        f"/moderation/members/{trusted.id}/sanctions",
        data={"kind": "premoderation", "reason": "Watch closely."},
    )
    assert answer.status_code == 302
    assert "always pre-moderate recorded" in client.get(f"/moderation/members/{trusted.id}").get_data(
        as_text=True
    )


@pytest.mark.parametrize(("actor", "status"), [("anonymous", 401), ("member", 403), ("other_member", 403)])
def test_only_moderators_apply_it(as_user, actors, trusted, other_member, actor, status):
    assert _sanction(as_user(actors[actor]), other_member.id).status_code == status
