"""Erasure: an account deleted by its member (page or API) or by a moderator on written request leaves
nothing personal anywhere, while the thread keeps its shape and the audit chain verifies (issue 20,
"Erase")."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from forum.accounts.models import Consent, User
from forum.discussion.models import Article, Comment, CommentRevision, ThreadVisit
from forum.moderation.models import AuditEntry
from forum.moderation.services import notes, verification
from forum.notifications.models import Email
from forum.notifications.services import notices
from forum.platform.database import db
from tests.conftest import PASSWORD, create_user
from tests.factories import make_article, make_comment

NAME, EMAIL = "Zebedee Quartermain", "zebedee@example.org"
WORDS = "xylophonic marmalade confession"  # in the comment, a word search can find
EDITED = "xylophonic marmalade confession, edited"
PLACEHOLDER = "Comment by a former member"


@pytest.fixture
def leaver(app):
    return create_user(EMAIL, NAME)


@pytest.fixture
def thread(app, as_user, leaver, other_member):
    """The leaver's published comment with an earlier text, answered by another member; their follow,
    settings, a session and an API token."""
    article = make_article(slug="talk")
    mine = make_comment(article, leaver.profile, EDITED)
    db.session.add(
        CommentRevision(
            comment_id=mine.id, editor_id=leaver.profile_id, body=WORDS, body_html=f"<p>{WORDS}</p>"
        )
    )
    reply = make_comment(article, other_member.profile, "A kind answer", parent=mine)
    db.session.add(Consent(user_id=leaver.id, notice="privacy", version="2026-12-02"))
    theirs = make_comment(article, other_member.profile, "Their own comment")
    answer = make_comment(article, leaver.profile, "marmalade answer", parent=theirs)
    note = notices.reply_notice(
        answer.id, leaver.profile_id, other_member.id, other_member.profile_id, NAME, "A test article"
    )
    db.session.add(
        Email(
            kind="comment.reply",
            user_id=other_member.id,
            notification_id=note.id,
            comment_id=answer.id,
            subject=f"{NAME} replied to your comment",
            body="marmalade answer",
            context={"text": "marmalade answer"},
        )
    )
    db.session.commit()
    client = as_user(leaver)
    assert client.put("/api/v1/articles/talk/follow").status_code < 300
    assert client.put("/api/v1/articles/talk/visit").status_code < 300  # when they read the thread
    assert client.put("/api/v1/me/notification-settings", json={"digest_hour": 7}).status_code < 300
    token = app.test_client().post(
        "/api/v1/tokens", json={"email": EMAIL, "password": PASSWORD, "name": "laptop"}
    )
    assert token.status_code == 201
    db.session.commit()
    return {"client": client, "comment": mine.id, "reply": reply.id, "token": token.get_json()["token"]}


def _every_text_in_the_database() -> str:
    """Every column of every row of every table, as one string to search."""
    dump = []
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            for row in conn.execute(table.select()):
                dump.extend(str(value) for value in row)
    return "\n".join(dump)


def _nothing_personal_left(client) -> None:
    everything = _every_text_in_the_database().lower()
    for secret in (NAME, EMAIL, "xylophonic", "marmalade"):
        assert secret.lower() not in everything, secret
    page = client.get("/articles/talk").get_data(as_text=True)
    assert PLACEHOLDER in page and "A kind answer" in page
    for secret in (NAME, "xylophonic"):
        assert secret not in page
        assert secret not in client.get("/api/v1/articles/talk/comments").get_data(as_text=True)
        assert secret not in client.get("/articles/talk/comments.atom").get_data(as_text=True)
    assert client.get("/api/v1/search?q=xylophonic").get_json()["total_comments"] == 0


def _thread_shape(client, thread) -> None:
    body = client.get("/api/v1/articles/talk/comments").get_json()
    items = body["items"] if isinstance(body, dict) and "items" in body else body["comments"]
    top = next(c for c in items if c["id"] == thread["comment"])
    assert top["placeholder"]["cause"] == "former_member"
    assert [r["id"] for r in top["replies"]] == [thread["reply"]]


def test_a_member_deletes_their_account_through_the_api(app, client, thread, leaver, runner):
    version = db.session.scalar(select(Article.thread_version).where(Article.slug == "talk"))
    assert client.get("/api/v1/search?q=xylophonic").get_json()["total_comments"] == 1
    response = thread["client"].delete("/api/v1/me", json={"password": PASSWORD})
    assert response.status_code == 204
    db.session.expire_all()
    assert db.session.scalar(select(Article.thread_version).where(Article.slug == "talk")) > version
    assert thread["client"].get("/api/v1/me").status_code == 401  # logged out for good
    assert (
        client.post("/api/v1/tokens", json={"email": EMAIL, "password": PASSWORD, "name": "x"}).status_code
        != 201
    )
    _thread_shape(client, thread)
    _nothing_personal_left(client)
    comment = db.session.get(Comment, thread["comment"])
    assert comment.body == "" and comment.author_erased_at is not None
    assert all(r.body == "" for r in db.session.scalars(select(CommentRevision)))
    assert db.session.scalars(select(Consent).where(Consent.user_id == leaver.id)).all() == []
    assert db.session.scalars(select(ThreadVisit).where(ThreadVisit.user_id == leaver.id)).all() == []
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "account.erased")).one()
    assert entry.member_id == leaver.id and entry.actor_id == leaver.id
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output


def test_a_member_deletes_their_account_from_the_page(app, client, thread, leaver):
    page = thread["client"].get("/account/delete").get_data(as_text=True)
    assert "cannot be undone" in page and 'name="password"' in page
    response = thread["client"].post("/account/delete", data={"password": PASSWORD})
    assert response.status_code == 302
    assert thread["client"].get("/account/data").status_code in (302, 401)
    _thread_shape(client, thread)
    _nothing_personal_left(client)


def test_a_wrong_password_deletes_nothing(app, client, thread, leaver):
    response = thread["client"].delete("/api/v1/me", json={"password": "not my password"})
    assert response.status_code == 422
    body = response.get_json()
    assert set(body) >= {"code", "status", "message", "errors"} and body["errors"]["password"]
    assert thread["client"].post("/account/delete", data={"password": "nope"}).status_code == 422
    db.session.expire_all()
    user = db.session.get(User, leaver.id)
    assert user.email == EMAIL and user.profile.display_name == NAME
    assert WORDS in db.session.get(Comment, thread["comment"]).body
    assert thread["client"].get("/api/v1/me").status_code == 200
    assert not db.session.scalars(select(AuditEntry).where(AuditEntry.action == "account.erased")).all()


def test_the_api_answers_errors_as_json(client, thread):
    missing = thread["client"].delete("/api/v1/me", json={})
    assert missing.status_code == 422 and missing.get_json()["errors"]
    anonymous = client.delete("/api/v1/me", json={"password": PASSWORD})
    assert anonymous.status_code == 401 and set(anonymous.get_json()) >= {"code", "status", "message"}


def test_a_moderator_erases_an_account_on_written_request(
    app, as_user, client, thread, leaver, moderator, runner
):
    mod = as_user(moderator)
    assert "Erase this account on request" in mod.get(f"/moderation/members/{leaver.id}").get_data(
        as_text=True
    )
    refused = mod.post(f"/moderation/members/{leaver.id}/erase", data={"reason": ""})
    assert refused.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, leaver.id).email == EMAIL  # no reason, nothing erased
    done = mod.post(f"/moderation/members/{leaver.id}/erase", data={"reason": "Emailed request of 1 Dec"})
    assert done.status_code == 302
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "account.erased")).one()
    assert (entry.actor_id, entry.member_id, entry.reason) == (
        moderator.id,
        leaver.id,
        "Emailed request of 1 Dec",
    )
    _thread_shape(client, thread)
    _nothing_personal_left(client)
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


def test_a_moderator_cannot_erase_another_moderator(app, as_user, moderator):
    other = create_user("mod2@example.org", "Second Mod", access=moderator.access, role="staff")
    mod = as_user(moderator)
    assert "Erase this account" not in mod.get(f"/moderation/members/{other.id}").get_data(as_text=True)
    mod.post(f"/moderation/members/{other.id}/erase", data={"reason": "asked"})
    db.session.expire_all()
    assert db.session.get(User, other.id).email == "mod2@example.org"


def test_members_cannot_erase_others(as_user, leaver, other_member):
    response = as_user(other_member).post(f"/moderation/members/{leaver.id}/erase", data={"reason": "x"})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(User, leaver.id).email == EMAIL
    assert db.session.execute(text("SELECT count(*) FROM audit_log")).scalar() == 0


def test_the_audit_log_keeps_no_personal_data_of_an_erased_member(
    app, client, thread, leaver, moderator, runner
):
    """What moderators did to the member stays in the log, by id; names are read when shown."""
    verification.verify_role(moderator, leaver.profile, f"GMC register: {NAME}, 7654321")
    notes.add_note(moderator, leaver, f"{NAME} asked for help")
    db.session.commit()
    assert thread["client"].delete("/api/v1/me", json={"password": PASSWORD}).status_code == 204
    _nothing_personal_left(client)
    assert "7654321" not in _every_text_in_the_database()
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    assert (
        thread["token"]
        and client.get("/api/v1/me", headers={"Authorization": f"Bearer {thread['token']}"}).status_code
        == 401
    )


@pytest.mark.parametrize("name", ["Former member", "FORMER MEMBER", "Former  Member"])
def test_nobody_can_join_or_rename_as_a_former_member(client, as_user, other_member, name):
    joined = client.post(
        "/api/v1/users",
        json={
            "email": "new@example.org",
            "password": "a long fresh passphrase",
            "display_name": name,
            "consent": True,
        },
    )
    assert joined.status_code == 422 and "display_name" in joined.get_json()["errors"]
    renamed = as_user(other_member).patch("/api/v1/me", json={"display_name": name})
    assert renamed.status_code == 422
