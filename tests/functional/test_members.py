"""Reports, sanctions, private notes, role verification, access changes and the audit log."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from forum.accounts.models import RoleSource
from forum.discussion.models import Comment, CommentStatus
from forum.moderation.models import AuditEntry, Flag, FlagStatus
from forum.platform.database import db
from tests.conftest import create_user
from tests.factories import make_article, make_comment


@pytest.fixture
def article(app):
    found = make_article(slug="talk")
    db.session.commit()
    return found


@pytest.fixture
def published(article, member):
    comment = make_comment(article, member.profile, "A published opinion", status=CommentStatus.APPROVED)
    db.session.commit()
    return comment


def reporters(n):
    return [create_user(f"r{i}@example.org", f"Reporter {i}") for i in range(n)]


def status_of(comment_id):
    db.session.expire_all()
    return db.session.get(Comment, comment_id).status


def test_one_report_per_member_and_not_on_ones_own(as_user, published, member, other_member):
    client = as_user(other_member)
    first = client.post(
        f"/api/v1/comments/{published.id}/flags", json={"reason": "misinformation", "note": "Wrong"}
    )
    assert first.status_code == 201 and first.get_json()["status"] == "open"
    assert client.post(f"/api/v1/comments/{published.id}/flags", json={"reason": "spam"}).status_code == 409
    assert (
        as_user(member).post(f"/api/v1/comments/{published.id}/flags", json={"reason": "spam"}).status_code
        == 403
    )
    assert (
        as_user(None).post(f"/api/v1/comments/{published.id}/flags", json={"reason": "spam"}).status_code
        == 401
    )
    assert client.post(f"/api/v1/comments/{published.id}/flags", json={"reason": "boring"}).status_code == 422
    assert db.session.scalar(select(func.count(Flag.id))) == 1


def test_three_reporters_hide_a_comment_until_a_moderator_looks(as_user, app, published, moderator, member):
    people = reporters(3)
    for person in people[:2]:
        as_user(person).post(f"/api/v1/comments/{published.id}/flags", json={"reason": "abusive"})
    assert status_of(published.id) == CommentStatus.APPROVED
    queue = as_user(moderator).get("/api/v1/moderation/queue").get_json()
    assert queue["items"][0]["kind"] == "flagged" and len(queue["items"][0]["flags"]) == 2
    as_user(people[2]).post(f"/api/v1/comments/{published.id}/flags", json={"reason": "abusive"})
    assert status_of(published.id) == CommentStatus.PENDING
    assert "A published opinion" not in as_user(None).get("/articles/talk").get_data(as_text=True)
    assert "A published opinion" in as_user(member).get("/articles/talk").get_data(as_text=True)
    hidden = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "comment.hidden_by_flags"))
    assert hidden.actor_id is None and hidden.comment_id == published.id


def test_dismissing_reports_republishes(as_user, published, moderator):
    for person in reporters(3):
        as_user(person).post(f"/api/v1/comments/{published.id}/flags", json={"reason": "spam"})
    as_user(moderator).post(
        f"/api/v1/moderation/comments/{published.id}/decision", json={"action": "approve"}
    )
    assert status_of(published.id) == CommentStatus.APPROVED
    assert set(db.session.scalars(select(Flag.status))) == {FlagStatus.DISMISSED}


def test_upholding_reports_takes_the_comment_down(as_user, published, moderator, member, other_member):
    as_user(other_member).post(f"/api/v1/comments/{published.id}/flags", json={"reason": "abusive"})
    response = as_user(moderator).post(
        f"/api/v1/moderation/comments/{published.id}/decision", json={"action": "reject", "reason": "abusive"}
    )
    assert response.get_json()["status"] == "removed"
    assert set(db.session.scalars(select(Flag.status))) == {FlagStatus.UPHELD}
    assert "Taken down" in as_user(member).get("/articles/talk").get_data(as_text=True)


def test_reporting_from_the_page(as_user, published, other_member):
    client = as_user(other_member)
    page = client.get("/articles/talk").get_data(as_text=True)
    assert f'action="/comments/{published.id}/flags"' in page
    response = client.post(f"/comments/{published.id}/flags", data={"reason": "spam", "note": "ads"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#message-{published.id}")
    page = client.get("/articles/talk").get_data(as_text=True)
    assert f"Your report about comment #{published.id} was sent to the moderators." in page


# --- sanctions --------------------------------------------------------------------------------------------


def test_a_suspended_member_reads_but_cannot_post_or_report(
    as_user, article, published, moderator, other_member
):
    response = as_user(moderator).post(
        f"/api/v1/moderation/members/{other_member.id}/sanctions",
        json={"kind": "suspension", "days": 7, "reason": "Repeated personal attacks."},
    )
    assert response.status_code == 201 and response.get_json()["ends_at"]
    client = as_user(other_member)
    refused = client.post("/api/v1/articles/talk/comments", json={"body": "Let me in"})
    assert refused.status_code == 403
    assert "suspended from posting until" in refused.get_json()["message"]
    assert "Repeated personal attacks." in refused.get_json()["message"]
    assert client.post(f"/api/v1/comments/{published.id}/flags", json={"reason": "spam"}).status_code == 403
    page = client.get("/articles/talk").get_data(as_text=True)
    assert "Repeated personal attacks." in page and "<textarea" not in page
    assert client.get("/api/v1/articles/talk/comments").status_code == 200
    assert (
        as_user(moderator).delete(f"/api/v1/moderation/members/{other_member.id}/sanctions").status_code
        == 204
    )
    assert client.post("/api/v1/articles/talk/comments", json={"body": "Back again"}).status_code == 201


def test_bans_and_the_rules_of_sanctions(as_user, article, moderator, admin, member):
    client = as_user(moderator)
    assert (
        client.post(
            f"/api/v1/moderation/members/{member.id}/sanctions", json={"kind": "suspension", "reason": "x"}
        ).status_code
        == 422
    )  # no length
    assert (
        client.post(
            f"/api/v1/moderation/members/{admin.id}/sanctions", json={"kind": "ban", "reason": "x"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/api/v1/moderation/members/{member.id}/sanctions",
            json={"kind": "ban", "reason": "Spam account."},
        ).status_code
        == 201
    )
    refused = as_user(member).post("/api/v1/articles/talk/comments", json={"body": "hello"})
    assert "banned from posting: Spam account." in refused.get_json()["message"]
    assert as_user(member).post("/articles/talk/comments", data={"body": "hi"}).status_code == 403


def test_member_page_and_private_notes_are_for_moderators(as_user, moderator, member, other_member):
    client = as_user(moderator)
    assert (
        client.post(
            f"/moderation/members/{member.id}/notes", data={"body": "Asked twice to stay on topic."}
        ).status_code
        == 302
    )
    page = client.get(f"/moderation/members/{member.id}").get_data(as_text=True)
    assert "Asked twice to stay on topic." in page
    api = client.get(f"/api/v1/moderation/members/{member.id}").get_json()
    assert api["notes"][0]["body"] == "Asked twice to stay on topic."
    for reader in (None, member, other_member):
        assert "Asked twice" not in as_user(reader).get(f"/profiles/{member.profile_id}").get_data(
            as_text=True
        )
        assert as_user(reader).get(f"/api/v1/moderation/members/{member.id}").status_code in (401, 403)
        assert as_user(reader).get(f"/moderation/members/{member.id}").status_code in (302, 403)


def test_role_verification_shows_on_the_badge_and_is_logged(as_user, moderator, member):
    response = as_user(moderator).post(
        f"/api/v1/moderation/profiles/{member.profile_id}/verification",
        json={"method": "Checked NHS staff card"},
    )
    assert response.status_code == 200 and response.get_json()["role_source"] == "verified"
    profile = as_user(None).get(f"/profiles/{member.profile_id}").get_data(as_text=True)
    assert "Role verified by a moderator" in profile and "Checked NHS staff card" in profile
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "profile.role_verified"))
    assert entry.actor_id == moderator.id and entry.member_id == member.id
    assert (
        as_user(member)
        .post(f"/api/v1/moderation/profiles/{member.profile_id}/verification", json={"method": "self"})
        .status_code
        == 403
    )
    as_user(member).patch("/api/v1/me", json={"role": "clinician"})
    db.session.expire_all()
    assert member.profile.role_source == RoleSource.DECLARED  # a changed role is no longer verified


def test_access_changes_are_for_admins_and_logged(as_user, runner, moderator, admin, member):
    assert (
        as_user(moderator)
        .put(f"/api/v1/moderation/members/{member.id}/access", json={"access": "moderator"})
        .status_code
        == 403
    )
    response = as_user(admin).put(
        f"/api/v1/moderation/members/{member.id}/access", json={"access": "moderator"}
    )
    assert response.status_code == 200 and response.get_json()["access"] == "moderator"
    runner.invoke(args=["users", "set-access", "--email", member.email, "--access", "member"])
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "member.access_changed").order_by(AuditEntry.id)
    ).all()
    assert [(e.actor_id, e.after) for e in entries] == [
        (admin.id, '{"access":"moderator"}'),
        (None, '{"access":"member"}'),
    ]


def test_banned_words_are_edited_by_admins(as_user, moderator, admin):
    assert as_user(moderator).post("/api/v1/moderation/banned-words", json={"word": "x"}).status_code == 403
    added = as_user(admin).post("/api/v1/moderation/banned-words", json={"word": "  Miracle   Cure "})
    assert added.status_code == 201 and added.get_json()["word"] == "miracle cure"
    assert (
        as_user(admin).post("/api/v1/moderation/banned-words", json={"word": "miracle cure"}).status_code
        == 409
    )
    assert [w["word"] for w in as_user(moderator).get("/api/v1/moderation/banned-words").get_json()] == [
        "miracle cure"
    ]
    assert (
        as_user(admin).delete(f"/api/v1/moderation/banned-words/{added.get_json()['id']}").status_code == 204
    )


# --- audit log ----------------------------------------------------------------------------------------------


def test_log_filters_and_the_chain_verifies(as_user, runner, article, moderator, admin, member, other_member):
    c1 = make_comment(article, member.profile, "one", status=CommentStatus.PENDING)
    c2 = make_comment(article, other_member.profile, "two", status=CommentStatus.PENDING)
    db.session.commit()
    as_user(moderator).post(f"/api/v1/moderation/comments/{c1.id}/decision", json={"action": "approve"})
    as_user(admin).post(
        f"/api/v1/moderation/comments/{c2.id}/decision", json={"action": "reject", "reason": "spam"}
    )
    client = as_user(moderator)
    by_comment = client.get(f"/api/v1/moderation/log?comment={c2.id}").get_json()
    assert [e["action"] for e in by_comment] == ["comment.rejected"] and by_comment[0]["after"][
        "status"
    ] == "rejected"
    assert [e["comment_id"] for e in client.get(f"/api/v1/moderation/log?member={member.id}").get_json()] == [
        c1.id
    ]
    assert [e["actor_id"] for e in client.get(f"/api/v1/moderation/log?moderator={admin.id}").get_json()] == [
        admin.id
    ]
    page = client.get(f"/moderation/log?comment={c1.id}").get_data(as_text=True)
    # In sentences, with links to the comment and the member; the raw form on the entry's own view.
    assert f'>Mod Erator</a> approved <a href="/moderation/comments/{c1.id}">comment #{c1.id}</a> by ' in page
    assert "rejected" not in page and "entry_hash" not in page and "prev_hash" not in page
    entry = client.get(f"/api/v1/moderation/log?comment={c1.id}").get_json()[0]
    full = client.get(f"/moderation/log?entry={entry['id']}").get_data(as_text=True)
    assert entry["entry_hash"] in full and "comment.approved" in full
    assert client.get("/moderation/log?entry=999999").status_code == 404
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "intact: 2 entries" in result.output


def test_the_log_names_people_and_pages_back_through_older_entries(as_user, article, moderator, member):
    comments = [
        make_comment(article, member.profile, f"c{i}", status=CommentStatus.PENDING) for i in range(5)
    ]
    db.session.commit()
    client = as_user(moderator)
    for c in comments:
        client.post(f"/api/v1/moderation/comments/{c.id}/decision", json={"action": "approve"})
    page = client.get("/moderation/log").get_data(as_text=True)
    assert f'moderator={moderator.id}">Mod Erator</a>' in page
    assert f'members/{member.id}">Mem Ber</a>' in page and "Older entries" not in page
    newest = client.get("/api/v1/moderation/log?limit=2").get_json()
    older = client.get(f"/api/v1/moderation/log?limit=2&before={newest[-1]['id']}").get_json()
    assert [e["comment_id"] for e in newest + older] == [c.id for c in reversed(comments)][:4]
    with_pages = client.get("/moderation/log", query_string={"before": newest[0]["id"]}).get_data(
        as_text=True
    )
    assert "Newest entries" in with_pages and f"#{comments[-1].id}" not in with_pages


def test_tampering_is_detected_and_named(runner, article, as_user, moderator):
    comments = [
        make_comment(article, moderator.profile, f"c{i}", status=CommentStatus.PENDING) for i in range(3)
    ]
    db.session.commit()
    for c in comments:
        as_user(moderator).post(f"/api/v1/moderation/comments/{c.id}/decision", json={"action": "approve"})
    ids = db.session.scalars(select(AuditEntry.id).order_by(AuditEntry.id)).all()
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET reason = 'nothing to see' WHERE id = :id"), {"id": ids[1]})
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"broken at entry {ids[1]}: its content does not match its hash" in result.output
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE id = :id"), {"id": ids[1]})
    result = runner.invoke(args=["audit", "verify"])
    assert f"broken at entry {ids[2]}: its link to the previous entry is broken" in result.output


def test_a_suspended_member_cannot_change_their_public_profile(as_user, moderator, other_member):
    as_user(moderator).post(
        f"/api/v1/moderation/members/{other_member.id}/sanctions",
        json={"kind": "suspension", "days": 3, "reason": "Abuse in the bio."},
    )
    client = as_user(other_member)
    refused = client.patch("/api/v1/me", json={"bio": "More abuse"})
    assert refused.status_code == 403 and "Abuse in the bio." in refused.get_json()["message"]
    page = client.post("/account/profile", data={"display_name": "New", "role": "patient", "bio": "x"})
    assert page.status_code == 403 and "suspended from posting until" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(type(other_member), other_member.id).profile.bio is None


def test_the_member_list_in_the_api_per_actor(as_user, member, other_member, moderator, admin):
    assert as_user(None).get("/api/v1/moderation/members").status_code == 401
    assert as_user(member).get("/api/v1/moderation/members").status_code == 403
    for user in (moderator, admin):
        found = as_user(user).get("/api/v1/moderation/members?q=oth").get_json()
        assert [m["email"] for m in found["members"]] == ["other@example.org"]
        assert found["total"] == 1 and found["page"] == 1
    bad = as_user(moderator).get("/api/v1/moderation/members?filter=boredom")
    assert bad.status_code == 422
