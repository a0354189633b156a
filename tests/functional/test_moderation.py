"""The queue and decisions: per actor, all-or-nothing bulk, concurrent moderators, atomic log entries."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from forum.discussion.models import Comment, CommentRevision, CommentStatus
from forum.moderation.models import AuditEntry, RuleHit
from forum.moderation.services import audit
from forum.notifications.models import Notification
from forum.platform.database import db
from tests.factories import make_article, make_comment, make_profile


@pytest.fixture
def article(app):
    found = make_article(slug="talk", title="Let's talk")
    db.session.commit()
    return found


@pytest.fixture
def pending(as_user, article, member):
    parent = make_comment(article, make_profile("Earlier Person"), "The parent comment")
    db.session.commit()
    response = as_user(member).post(
        "/api/v1/articles/talk/comments",
        json={"body": "Reply with 07700 900123 in it", "parent_id": parent.id},
    )
    return db.session.get(Comment, response.get_json()["id"])


def status_of(comment_id):
    db.session.expire_all()
    return db.session.get(Comment, comment_id).status


@pytest.mark.parametrize(
    ("actor", "page", "api"),
    [("anonymous", 302, 401), ("member", 403, 403), ("other_member", 403, 403), ("moderator", 200, 200)],
)
def test_queue_per_actor(as_user, actors, pending, actor, page, api):
    client = as_user(actors[actor])
    assert client.get("/moderation").status_code == page
    assert client.get("/api/v1/moderation/queue").status_code == api
    assert client.get("/moderation/log").status_code == page
    assert client.get("/api/v1/moderation/log").status_code == api


def test_queue_shows_context_history_and_highlighted_hits(as_user, moderator, pending, article):
    page = as_user(moderator).get("/moderation").get_data(as_text=True)
    assert "The parent comment" in page and "Earlier Person" in page
    assert '<mark title="uk_phone">07700 900123</mark>' in page
    assert "history: 0 approved, 0 rejected, 0 reports" in page
    # Written for the moderator, not the author ("It seems to include a phone number." is the author's).
    assert "Why it waits:</strong> Looks like a phone number." in page
    assert "It seems to include" not in page and "You can edit your comment" not in page
    body = as_user(moderator).get("/api/v1/moderation/queue").get_json()
    item = body["items"][0]
    assert body["count"] == 1 and item["kind"] == "pending"
    assert item["parent"]["body"] == "The parent comment"
    assert item["rule_hits"] == [{"rule": "uk_phone", "matched": "07700 900123", "start": 11, "end": 23}]
    assert item["author_record"]["approved"] == 0


def test_queue_is_oldest_first_and_costs_the_same_queries_at_any_size(
    as_user, moderator, article, count_queries
):
    authors = [make_profile(f"Author {i}") for i in range(5)]
    for i in range(3):
        make_comment(article, authors[i], f"pending {i}", status=CommentStatus.PENDING)
    db.session.commit()
    client = as_user(moderator)
    client.get("/api/v1/moderation/queue")  # warm the session
    with count_queries() as few:
        ids = [i["comment"]["id"] for i in client.get("/api/v1/moderation/queue").get_json()["items"]]
    assert ids == sorted(ids)
    for i in range(30):
        make_comment(article, authors[i % 5], f"more {i}", status=CommentStatus.PENDING)
    db.session.commit()
    client.get("/api/v1/moderation/queue")  # warm the session again after the commit
    with count_queries() as many:
        client.get("/api/v1/moderation/queue")
    assert few.count == many.count


def test_approve_publishes_logs_and_notifies(as_user, moderator, member, pending):
    response = as_user(moderator).post(
        f"/api/v1/moderation/comments/{pending.id}/decision", json={"action": "approve"}
    )
    assert response.status_code == 200 and response.get_json()["status"] == "approved"
    assert "07700 900123" in as_user(None).get("/articles/talk").get_data(as_text=True)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.comment_id == pending.id))
    assert (entry.action, entry.actor_id, entry.member_id) == ("comment.approved", moderator.id, member.id)
    notes = as_user(member).get("/api/v1/notifications").get_json()
    assert notes[0]["message"] == "Your comment on “Let's talk” is published."
    assert 'Notifications <span class="count">1' in as_user(member).get("/").get_data(as_text=True)


def test_reject_needs_a_reason_and_the_author_sees_it(as_user, moderator, member, other_member, pending):
    client = as_user(moderator)
    missing = client.post(f"/api/v1/moderation/comments/{pending.id}/decision", json={"action": "reject"})
    assert missing.status_code == 422 and "reason" in missing.get_json()["errors"]
    assert status_of(pending.id) == CommentStatus.PENDING
    response = client.post(
        f"/api/v1/moderation/comments/{pending.id}/decision",
        json={"action": "reject", "reason": "personal_data", "note": "Please leave out phone numbers."},
    )
    assert response.get_json()["status"] == "rejected"
    own = as_user(member).get("/articles/talk").get_data(as_text=True)
    assert "Not published" in own and "personal data" in own and "Please leave out phone numbers." in own
    profile = as_user(member).get(f"/profiles/{member.profile_id}").get_data(as_text=True)
    assert "Not published — personal data" in profile
    for reader in (None, other_member):
        assert "07700" not in as_user(reader).get("/articles/talk").get_data(as_text=True)
        assert "Please leave out" not in as_user(reader).get(f"/profiles/{member.profile_id}").get_data(
            as_text=True
        )
    assert (
        "was not published (reason: personal data)"
        in as_user(member).get("/api/v1/notifications").get_json()[0]["message"]
    )


def test_redaction_publishes_the_moderators_text_and_keeps_the_original_without_the_data(
    as_user, moderator, pending
):
    response = as_user(moderator).post(
        f"/api/v1/moderation/comments/{pending.id}/decision",
        json={
            "action": "redact",
            "body": "Reply with [phone number removed] in it",
            "note": "Removed your number.",
        },
    )
    assert response.status_code == 200 and response.get_json()["status"] == "approved"
    page = as_user(None).get("/articles/talk").get_data(as_text=True)
    assert "[phone number removed]" in page and "(edited by a moderator)" in page and "07700" not in page
    # The earlier text is kept, less the personal data redacted (tests/functional/test_redaction.py).
    assert db.session.scalar(select(CommentRevision.body)) == "Reply with [personal data removed] in it"
    assert db.session.scalar(select(func.count(RuleHit.id))) == 0
    assert (
        as_user(moderator)
        .post(
            f"/api/v1/moderation/comments/{pending.id}/decision", json={"action": "redact", "body": "again"}
        )
        .status_code
        == 409
    )  # already decided


def test_a_decided_comment_cannot_be_decided_again(as_user, moderator, pending):
    client = as_user(moderator)
    assert (
        client.post(
            f"/api/v1/moderation/comments/{pending.id}/decision", json={"action": "approve"}
        ).status_code
        == 200
    )
    again = client.post(
        f"/api/v1/moderation/comments/{pending.id}/decision", json={"action": "reject", "reason": "spam"}
    )
    assert again.status_code == 409 and "already been decided" in again.get_json()["message"]
    assert status_of(pending.id) == CommentStatus.APPROVED
    assert (
        as_user(moderator)
        .post("/api/v1/moderation/comments/999999/decision", json={"action": "approve"})
        .status_code
        == 404
    )


def test_two_moderators_at_once_one_wins(app, moderator, admin, pending):
    """Moderator A has loaded the comment; B's decision commits first; A is told, and B's decision stands."""
    from forum.moderation.services import decisions as moderation

    stale = db.session.get(Comment, pending.id)  # A's view: pending, version 1
    assert stale.status == CommentStatus.PENDING
    with db.engine.begin() as other:  # B, on another connection, decides first
        other.execute(
            text(
                "UPDATE comments SET status='approved', decided_by_id=:m, decided_at=CURRENT_TIMESTAMP, "
                "version=version+1 WHERE id=:id"
            ),
            {"m": admin.id, "id": pending.id},
        )
    with pytest.raises(moderation.AlreadyDecided):
        moderation.decide(
            moderator,
            pending.id,
            moderation.Decision(moderation.Action.REJECT, reason=moderation.RejectReason.SPAM),
        )
    db.session.rollback()
    assert status_of(pending.id) == CommentStatus.APPROVED
    assert (
        db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "comment.rejected"))
        == 0
    )


def test_a_decision_and_its_log_entry_land_together_or_not_at_all(as_user, moderator, pending, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "record", broken)
    monkeypatch.setattr(audit, "record_many", broken)  # what decisions write their entries with
    response = as_user(moderator).post(
        f"/api/v1/moderation/comments/{pending.id}/decision", json={"action": "approve"}
    )
    assert response.status_code == 500 and response.get_json()["code"] == 500
    assert status_of(pending.id) == CommentStatus.PENDING
    assert db.session.scalar(select(func.count(Notification.id))) == 0


def test_bulk_decisions_are_all_or_nothing(as_user, moderator, article):
    comments = [
        make_comment(article, make_profile(), f"p{i}", status=CommentStatus.PENDING) for i in range(3)
    ]
    decided = make_comment(article, make_profile(), "already", status=CommentStatus.APPROVED)
    db.session.commit()
    client = as_user(moderator)
    ids = [c.id for c in comments]
    refused = client.post(
        "/api/v1/moderation/decisions", json={"comment_ids": [*ids, decided.id], "action": "approve"}
    )
    assert refused.status_code == 409
    assert [status_of(i) for i in ids] == [CommentStatus.PENDING] * 3
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 0
    no_reason = client.post("/api/v1/moderation/decisions", json={"comment_ids": ids, "action": "reject"})
    assert no_reason.status_code == 422
    done = client.post(
        "/api/v1/moderation/decisions", json={"comment_ids": ids, "action": "reject", "reason": "spam"}
    )
    assert done.status_code == 200 and [d["status"] for d in done.get_json()["decided"]] == ["rejected"] * 3
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 3


def test_bulk_from_the_queue_page(as_user, moderator, article):
    comments = [
        make_comment(article, make_profile(), f"p{i}", status=CommentStatus.PENDING) for i in range(2)
    ]
    db.session.commit()
    client = as_user(moderator)
    response = client.post(
        "/moderation/decisions", data={"comment_ids": [str(c.id) for c in comments], "action": "approve"}
    )
    assert response.status_code == 302
    assert [status_of(c.id) for c in comments] == [CommentStatus.APPROVED] * 2
    page = client.get("/moderation").get_data(as_text=True)
    assert "2 comments decided: 2 approved." in page and "Nothing is waiting" in page


def test_decisions_from_the_queue_page(as_user, moderator, pending):
    client = as_user(moderator)
    assert (
        client.post(f"/moderation/comments/{pending.id}/decision", data={"action": "reject"}).status_code
        == 302
    )
    assert "Choose a reason" in client.get("/moderation").get_data(as_text=True)
    client.post(f"/moderation/comments/{pending.id}/decision", data={"action": "reject", "reason": "spam"})
    assert status_of(pending.id) == CommentStatus.REJECTED


@pytest.mark.parametrize(("actor", "status"), [("anonymous", 401), ("member", 403), ("other_member", 403)])
def test_decisions_are_for_moderators_only(as_user, actors, pending, actor, status):
    client = as_user(actors[actor])
    assert (
        client.post(
            f"/api/v1/moderation/comments/{pending.id}/decision", json={"action": "approve"}
        ).status_code
        == status
    )
    assert (
        client.post(
            "/api/v1/moderation/decisions", json={"comment_ids": [pending.id], "action": "approve"}
        ).status_code
        == status
    )
    assert status_of(pending.id) == CommentStatus.PENDING


@pytest.fixture
def published(article, member):
    comment = make_comment(article, member.profile, "My number is 07700 900123, call me")
    db.session.commit()
    return comment


def decide_url(comment_id):
    return f"/api/v1/moderation/comments/{comment_id}/decision"


def test_a_moderator_takes_down_a_published_comment_nobody_reported(as_user, moderator, member, published):
    client = as_user(moderator)
    refused = client.post(decide_url(published.id), json={"action": "remove"})
    assert refused.status_code == 422 and "reason" in refused.get_json()["errors"]
    done = client.post(decide_url(published.id), json={"action": "remove", "reason": "personal_data"})
    assert done.status_code == 200, done.get_json()
    assert status_of(published.id) == CommentStatus.REMOVED
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.comment_id == published.id))
    assert entry.action == "comment.removed" and entry.reason.startswith("personal_data")
    notice = db.session.scalar(select(Notification).where(Notification.comment_id == published.id))
    assert "was taken down (reason: personal data)" in notice.message
    assert as_user(None).get(f"/api/v1/comments/{published.id}").status_code == 404
    again = client.post(decide_url(published.id), json={"action": "remove", "reason": "spam"})
    assert again.status_code == 409


def test_a_moderator_edits_a_published_comment_in_place(as_user, moderator, published):
    client = as_user(moderator)
    stale_queue_form = client.post(decide_url(published.id), json={"action": "redact", "body": "x"})
    assert stale_queue_form.status_code == 409
    same = client.post(decide_url(published.id), json={"action": "edit", "body": published.body})
    assert same.status_code == 422
    done = client.post(
        decide_url(published.id), json={"action": "edit", "body": "My number is [removed], call me"}
    )
    assert done.status_code == 200
    db.session.expire_all()
    comment = db.session.get(Comment, published.id)
    assert comment.status == CommentStatus.APPROVED and comment.redacted_at is not None
    assert "07700" not in comment.body_html
    page = as_user(None).get("/articles/talk").get_data(as_text=True)
    assert "edited by a moderator" in page and "07700 900123" not in page


def test_approve_or_reject_of_a_published_unreported_comment_is_already_decided(
    as_user, moderator, published
):
    client = as_user(moderator)
    assert client.post(decide_url(published.id), json={"action": "approve"}).status_code == 409
    rejected = client.post(decide_url(published.id), json={"action": "reject", "reason": "spam"})
    assert rejected.status_code == 409 and status_of(published.id) == CommentStatus.APPROVED


@pytest.mark.parametrize(
    "decision", [{"action": "remove", "reason": "spam"}, {"action": "edit", "body": "x"}]
)
def test_only_published_comments_can_be_removed_or_edited(as_user, moderator, pending, decision):
    reply = as_user(moderator).post(decide_url(pending.id), json=decision)
    assert reply.status_code == 409 and status_of(pending.id) == CommentStatus.PENDING


@pytest.mark.parametrize("actor", ["anonymous", "member", "other_member"])
def test_only_moderators_take_down(as_user, actors, published, actor):
    reply = as_user(actors[actor]).post(decide_url(published.id), json={"action": "remove", "reason": "spam"})
    assert reply.status_code in (401, 403) and status_of(published.id) == CommentStatus.APPROVED


def test_moderators_act_on_a_published_comment_from_its_own_page(as_user, moderator, member, published):
    client = as_user(moderator)
    thread = client.get("/articles/talk").get_data(as_text=True)
    assert f'href="/moderation/comments/{published.id}"' in thread
    assert f'href="/moderation/comments/{published.id}"' not in as_user(member).get(
        "/articles/talk"
    ).get_data(as_text=True)
    page = client.get(f"/moderation/comments/{published.id}").get_data(as_text=True)
    assert "Published" in page and 'value="remove"' in page and 'value="edit"' in page
    assert 'value="approve"' not in page
    back = f"/moderation/comments/{published.id}"
    done = client.post(
        f"/moderation/comments/{published.id}/decision",
        data={"action": "remove", "reason": "personal_data", "back": back},
    )
    assert done.status_code == 302 and done.headers["Location"].endswith(back)
    after = client.get(back).get_data(as_text=True)
    assert "Taken down" in after and "Nothing more can be decided" in after
    assert status_of(published.id) == CommentStatus.REMOVED


def test_a_queued_comment_page_offers_the_queue_decisions_and_earlier_texts(as_user, moderator, pending):
    client = as_user(moderator)
    client.post(
        f"/api/v1/moderation/comments/{pending.id}/decision",
        json={"action": "redact", "body": "Reply with [number removed] in it"},
    )
    page = client.get(f"/moderation/comments/{pending.id}").get_data(as_text=True)
    assert "Earlier texts" in page and "[personal data removed]" in page  # the record, without the data
    assert "07700 900123" not in page
    assert client.get("/moderation/comments/999999").status_code == 404


@pytest.mark.parametrize("back", ["https://evil.example/", "//evil.example", "/moderation/../login"])
def test_a_decision_never_returns_off_the_moderation_pages(as_user, moderator, pending, back):
    done = as_user(moderator).post(
        f"/moderation/comments/{pending.id}/decision", data={"action": "approve", "back": back}
    )
    assert done.headers["Location"].endswith("/moderation")
