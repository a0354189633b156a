"""Your data: the download holds everything about you in every category, nothing of anyone else's,
and no secret (issue 20, "Download")."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from forum.accounts.models import SanctionKind
from forum.discussion.models import CommentStatus
from forum.moderation.services import notes, reports, sanctions
from forum.platform.database import db
from forum.privacy.services import export
from tests.conftest import PASSWORD
from tests.factories import make_article, make_comment

SECRET_KEYS = {"password_hash", "token_hash", "key_hash"}


@pytest.fixture
def history(app, as_user, member, other_member, moderator):
    """A member with something in every category, and another member with their own."""
    article = make_article(slug="talk")
    theirs = make_comment(
        article, other_member.profile, "Other member's words", status=CommentStatus.APPROVED
    )
    db.session.commit()
    client = as_user(member)
    token = (
        app.test_client()
        .post("/api/v1/tokens", json={"email": member.email, "password": PASSWORD, "name": "laptop"})
        .get_json()["token"]
    )
    posted = client.post("/api/v1/articles/talk/comments", json={"body": "My first words"}).get_json()
    client.patch(f"/api/v1/comments/{posted['id']}", json={"body": "My first words, edited"})
    rejected = client.post(
        "/api/v1/articles/talk/comments", json={"body": "Ring me on 07700 900123"}
    ).get_json()
    as_user(moderator).post(
        f"/api/v1/moderation/comments/{rejected['id']}/decision",
        json={"action": "reject", "reason": "personal_data", "note": "No phone numbers, please."},
    )
    reports.flag(member, theirs.id, "spam", "Looks like an advert")
    client.put("/api/v1/articles/talk/follow")
    client.put("/api/v1/articles/talk/visit")
    assert client.post(f"/api/v1/comments/{theirs.id}/thanks").status_code == 200
    client.put("/api/v1/me/notification-settings", json={"digest_hour": 7})
    notes.add_note(moderator, member, "Private: seems upset, keep an eye out.")
    sanctions.sanction(moderator, member, SanctionKind.SUSPENSION, "Repeated personal attacks.", 1)
    db.session.commit()
    return {"token": token, "posted": posted["id"], "rejected": rejected["id"], "theirs": theirs.id}


def _keys(value):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from _keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _keys(inner)


def test_the_export_has_every_category_and_nothing_else_of_anyone(
    app, as_user, member, other_member, history
):
    data = as_user(member).get("/api/v1/me/export").get_json()
    for category in (*export.CATEGORIES, "withheld"):
        assert category in data, category
    assert data["account"]["email"] == member.email
    assert data["profile"]["display_name"] == "Mem Ber"
    by_id = {c["id"]: c for c in data["comments"]}
    assert set(by_id) == {history["posted"], history["rejected"]}  # every status, only theirs
    assert by_id[history["rejected"]]["status"] == "rejected"
    assert by_id[history["rejected"]]["decision_note"] == "No phone numbers, please."
    assert [r["body"] for r in by_id[history["posted"]]["earlier_texts"]] == ["My first words"]
    assert [r["comment_id"] for r in data["reports"]] == [history["theirs"]]
    assert data["follows"] and data["settings"]["digest_hour"] == 7
    assert [v["article_id"] for v in data["thread_visits"]] == [data["follows"][0]["article_id"]]
    assert [t["comment_id"] for t in data["thanks_given"]] == [history["theirs"]]
    assert [t["name"] for t in data["tokens"]] == ["laptop"] and data["sessions"]
    assert data["sanctions"][0]["reason"] == "Repeated personal attacks."
    actions = {d["action"] for d in data["moderation_decisions"]}
    assert "comment.rejected" in actions and not any(a.startswith("member.note") for a in actions)
    assert any("rejected" in n["message"] or "not published" in n["message"] for n in data["notifications"])
    text = json.dumps(data)
    assert "Other member's words" not in text and other_member.email not in text
    assert "seems upset" not in text  # moderators' private notes are withheld, and the download says so
    assert any("private notes" in reason for reason in data["withheld"])


def test_the_export_holds_no_secret(app, as_user, member, history):
    data = as_user(member).get("/api/v1/me/export").get_json()
    assert not SECRET_KEYS & set(_keys(data))
    text = json.dumps(data)
    assert history["token"] not in text and history["token"][10:] not in text
    assert "argon2" not in text
    assert not {"decided_by_id", "actor_id", "resolved_by_id", "created_by_id"} & set(_keys(data))


def test_the_page_and_the_file_say_the_same(app, as_user, member, history):
    client = as_user(member)
    page = client.get("/account/data").get_data(as_text=True)
    assert "Your data" in page and "Download your data (JSON)" in page
    assert "My first words, edited" in page and "Moderation decisions about you" in page
    assert "What we do not show here, and why" in page
    download = client.get("/account/data.json")
    assert download.headers["Content-Disposition"] == 'attachment; filename="my-forum-data.json"'
    assert download.headers["Cache-Control"] == "no-store"
    assert json.loads(download.get_data(as_text=True))["account"]["email"] == member.email
    profile = client.get(f"/profiles/{member.profile_id}").get_data(as_text=True)
    assert 'href="/account/data"' in profile


def test_strangers_get_nothing(as_user):
    assert as_user(None).get("/api/v1/me/export").status_code == 401
    assert as_user(None).get("/account/data").status_code == 302


def test_a_moderator_opening_a_members_record_is_logged_and_listed_in_their_download(
    app, as_user, member, moderator, count_queries
):
    from forum.moderation.models import RecordView

    assert as_user(moderator).get(f"/moderation/members/{member.id}").status_code == 200
    assert as_user(moderator).get(f"/api/v1/moderation/members/{member.id}").status_code == 200
    assert as_user(moderator).get("/moderation/members/999999").status_code == 404  # nothing opened
    db.session.expire_all()
    views = db.session.scalars(select(RecordView).order_by(RecordView.id)).all()
    assert [(v.moderator_id, v.member_id, v.what) for v in views] == [
        (moderator.id, member.id, "member record (page)"),
        (moderator.id, member.id, "member record (API)"),
    ]
    data = as_user(member).get("/api/v1/me/export").get_json()
    assert [v["what"] for v in data["record_views"]] == ["member record (page)", "member record (API)"]
    assert all("viewed_at" in v and "moderator_id" not in v for v in data["record_views"])


def test_the_privacy_notice_is_linked_from_every_page(as_user, member):
    page = as_user(None).get("/privacy")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "<h1>Privacy notice</h1>" in text and "What you post is public" in text
    for path in ("/", "/login", "/register"):
        assert 'href="/privacy"' in as_user(None).get(path).get_data(as_text=True), path
