"""Safeguarding: a comment that says someone may be at risk is held for a person to read first, its
writer is offered help at once, on-call moderators are alerted, and moderators record an outcome."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.discussion.models import Comment, CommentStatus
from forum.moderation.models import AuditEntry, OnCallModerator, SafeguardingCase
from forum.notifications.models import Email, Notification
from forum.platform.database import db
from tests.factories import make_article, make_comment

SIGNALS = {
    "suicide": "I can't go on any more, I want to end my life.",
    "self_harm": "I've started cutting myself again.",
    "harm_others": "I'm going to kill that consultant when I see him.",
    "abuse": "My stepdad hits me when mum is at work.",
    "emergency": "My chest hurts and my arm is numb.",
}
HELP_LINKS = ('href="tel:116123"', 'href="sms:85258?body=SHOUT"', 'href="tel:111"', 'href="tel:999"')


@pytest.fixture
def article(app):
    found = make_article(slug="talk", title="Talking about care")
    db.session.commit()
    return found


@pytest.fixture
def trusted(article, member):
    """A member whose comments are published at once (three approved, none rejected)."""
    for i in range(3):
        make_comment(article, member.profile, f"earlier {i}", status=CommentStatus.APPROVED)
    db.session.commit()
    return member


@pytest.fixture
def on_call(moderator):
    db.session.add(OnCallModerator(user_id=moderator.id))
    db.session.commit()
    return moderator


def _case(comment_id):
    return db.session.scalar(select(SafeguardingCase).where(SafeguardingCase.comment_id == comment_id))


@pytest.mark.parametrize("signal", list(SIGNALS))
def test_a_trusted_members_post_with_a_risk_signal_is_held_and_help_is_in_the_answer(
    as_user, trusted, on_call, signal
):
    response = as_user(trusted).post("/api/v1/articles/talk/comments", json={"body": SIGNALS[signal]})
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "pending"
    hrefs = {s["href"] for s in body["help"]["signposts"]}
    assert {"tel:116123", "sms:85258?body=SHOUT", "tel:111", "tel:999"} <= hrefs
    assert "read what you wrote soon" in body["help"]["message"]
    assert "within a day" not in body["help"]["message"]
    case = _case(body["id"])
    assert case is not None and case.source == "detected" and signal in case.signal_names
    queue = as_user(on_call).get("/api/v1/moderation/queue").get_json()
    assert queue["items"][0]["comment"]["id"] == body["id"]
    assert queue["items"][0]["kind"] == "safeguarding"
    assert signal in queue["items"][0]["safeguarding"]["signals"]


@pytest.mark.parametrize("signal", list(SIGNALS))
def test_posting_from_the_page_lands_on_help_with_the_numbers_as_links(as_user, trusted, signal):
    client = as_user(trusted)
    response = client.post("/articles/talk/comments", data={"body": SIGNALS[signal]})
    assert response.status_code == 302
    comment = db.session.scalar(select(Comment).order_by(Comment.id.desc()))
    assert comment.status == CommentStatus.PENDING and comment.offered_help
    assert response.headers["Location"].endswith(f"#help-now-{comment.id}")
    page = client.get("/articles/talk").get_data(as_text=True)
    assert f'id="help-now-{comment.id}"' in page
    for link in HELP_LINKS:
        assert link in page
    assert "A member of our team will read what you wrote soon" in page
    assert "usually happens within a day" not in page
    # Nobody else sees the comment, or the help.
    other = as_user(None).get("/articles/talk").get_data(as_text=True)
    assert SIGNALS[signal].split(",")[0] not in other and "help-now" not in other


def test_the_queue_page_puts_safeguarding_first_with_the_signal_and_the_words(
    as_user, article, trusted, member, other_member, moderator
):
    as_user(other_member).post("/api/v1/articles/talk/comments", json={"body": "An ordinary first comment"})
    as_user(trusted).post("/api/v1/articles/talk/comments", json={"body": SIGNALS["self_harm"]})
    page = as_user(moderator).get("/moderation").get_data(as_text=True)
    first = page.index('class="queue-item ')
    assert page[first:].startswith('class="queue-item queue-item--safeguarding"')
    assert "Self-harm" in page and "Words that raised it: <mark>started cutting</mark>" in page
    assert page.index("Someone may be at risk</span>") < page.index("An ordinary first comment")
    filtered = as_user(moderator).get("/moderation?kind=safeguarding").get_data(as_text=True)
    assert "An ordinary first comment" not in filtered and "cutting myself" in filtered


def test_invisible_characters_do_not_hide_a_risk(as_user, trusted):
    hidden = "I can\u2019t go on any more, I want to end my li\u200bfe."
    response = as_user(trusted).post("/api/v1/articles/talk/comments", json={"body": hidden})
    assert response.get_json()["status"] == "pending" and "help" in response.get_json()
    case = _case(response.get_json()["id"])
    assert case is not None and "suicide" in case.signal_names


def test_moderators_and_staff_are_held_too(as_user, article, moderator):
    response = as_user(moderator).post("/api/v1/articles/talk/comments", json={"body": SIGNALS["suicide"]})
    assert response.get_json()["status"] == "pending"
    assert "help" in response.get_json()


@pytest.mark.parametrize(
    "text",
    [
        "Our suicide prevention strategy needs funding.",
        "I'd kill for a GP appointment this week.",
        "Years ago the crisis team helped me when I wanted to end my life.",
        "Shoot me an email and I'll send the report.",
    ],
)
def test_policy_talk_idioms_and_past_experience_are_published(as_user, trusted, text):
    response = as_user(trusted).post("/api/v1/articles/talk/comments", json={"body": text})
    assert response.get_json()["status"] == "approved"
    assert "help" not in response.get_json()
    assert _case(response.get_json()["id"]) is None


def test_an_edit_that_says_someone_is_at_risk_is_held_with_help(as_user, trusted):
    client = as_user(trusted)
    posted = client.post("/api/v1/articles/talk/comments", json={"body": "Fine today, thanks."}).get_json()
    assert posted["status"] == "approved"
    edited = client.patch(f"/api/v1/comments/{posted['id']}", json={"body": SIGNALS["suicide"]})
    assert edited.status_code == 200
    assert edited.get_json()["status"] == "pending" and "help" in edited.get_json()
    assert _case(posted["id"]) is not None


def test_help_is_shown_to_the_author_only(as_user, trusted, moderator):
    posted = (
        as_user(trusted).post("/api/v1/articles/talk/comments", json={"body": SIGNALS["abuse"]}).get_json()
    )
    own = as_user(trusted).get(f"/api/v1/comments/{posted['id']}").get_json()
    assert "help" in own
    seen_by_moderator = as_user(moderator).get(f"/api/v1/comments/{posted['id']}").get_json()
    assert "help" not in seen_by_moderator
    assert as_user(None).get(f"/api/v1/comments/{posted['id']}").status_code == 404


def test_on_call_moderators_are_alerted_at_once_without_the_text(as_user, trusted, on_call, admin):
    posted = (
        as_user(trusted)
        .post("/api/v1/articles/talk/comments", json={"body": SIGNALS["emergency"]})
        .get_json()
    )
    notes = db.session.scalars(
        select(Notification).where(Notification.kind == "moderation.safeguarding")
    ).all()
    assert [n.user_id for n in notes] == [on_call.id]  # the admin is not on call
    assert "Talking about care" in notes[0].message and "chest" not in notes[0].message
    emails = db.session.scalars(select(Email).where(Email.kind == "moderation.safeguarding")).all()
    assert [e.user_id for e in emails] == [on_call.id]
    assert posted["id"] == notes[0].comment_id


def test_a_report_that_someone_may_be_at_risk_puts_it_first_and_keeps_it_published(
    as_user, article, member, other_member, on_call
):
    comment = make_comment(
        article, other_member.profile, "Nobody would notice if I was gone.", status=CommentStatus.APPROVED
    )
    waiting = make_comment(article, member.profile, "An older pending comment", status=CommentStatus.PENDING)
    db.session.commit()
    response = as_user(member).post(f"/api/v1/comments/{comment.id}/flags", json={"reason": "at_risk"})
    assert response.status_code == 201
    assert "tel:116123" in {s["href"] for s in response.get_json()["help"]["signposts"]}
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).status == CommentStatus.APPROVED  # stays published
    assert _case(comment.id).source == "report"
    items = as_user(on_call).get("/api/v1/moderation/queue").get_json()["items"]
    assert [i["comment"]["id"] for i in items][:2] == [comment.id, waiting.id]
    assert db.session.scalar(select(Notification.id).where(Notification.user_id == on_call.id)) is not None


def test_the_reporter_sees_help_on_the_page(as_user, article, member, other_member):
    comment = make_comment(
        article, other_member.profile, "Something worrying.", status=CommentStatus.APPROVED
    )
    db.session.commit()
    client = as_user(member)
    response = client.post(f"/comments/{comment.id}/flags", data={"reason": "at_risk"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "A moderator will read this comment first" in page
    for link in HELP_LINKS:
        assert link in page
    form = client.get("/articles/talk").get_data(as_text=True)
    assert '<option value="at_risk">Someone may be at risk</option>' in form


def _held(as_user, trusted):
    return (
        as_user(trusted).post("/api/v1/articles/talk/comments", json={"body": SIGNALS["suicide"]}).get_json()
    )


def test_a_moderator_records_an_outcome_and_sends_a_supportive_message(as_user, trusted, moderator):
    posted = _held(as_user, trusted)
    client = as_user(moderator)
    assert client.post(f"/api/v1/moderation/safeguarding/{posted['id']}/read").status_code == 204
    response = client.post(
        f"/api/v1/moderation/safeguarding/{posted['id']}/outcome",
        json={
            "outcome": "support_sent",
            "note": "Spoke to the team",
            "send_support": True,
            "message": "We read what you wrote and we are thinking of you.",
        },
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["outcome"] == "support_sent"
    case = _case(posted["id"])
    assert case.first_read_at is not None and case.first_read_by_id == moderator.id
    assert case.decided_by_id == moderator.id and case.support_sent_at is not None
    message = db.session.scalar(
        select(Notification).where(
            Notification.user_id == trusted.id, Notification.kind == "safeguarding.support"
        )
    )
    assert message.message == "We read what you wrote and we are thinking of you."
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "safeguarding.decided"))
    assert entry.comment_id == posted["id"] and entry.actor_id == moderator.id
    # Publishing after review is allowed: lived experience is welcome.
    approved = client.post(f"/api/v1/moderation/comments/{posted['id']}/decision", json={"action": "approve"})
    assert approved.get_json()["status"] == "approved"
    queue = client.get("/api/v1/moderation/queue").get_json()
    assert posted["id"] not in [i["comment"]["id"] for i in queue["items"]]


def test_an_open_item_stays_in_the_queue_until_its_outcome_is_recorded(as_user, trusted, moderator):
    posted = _held(as_user, trusted)
    client = as_user(moderator)
    client.post(f"/api/v1/moderation/comments/{posted['id']}/decision", json={"action": "approve"})
    queue = client.get("/api/v1/moderation/queue").get_json()
    assert queue["items"][0]["comment"]["id"] == posted["id"]
    assert queue["items"][0]["kind"] == "safeguarding"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"outcome": "referred"}, "referred_to"),
        ({"outcome": "maybe"}, "outcome"),
        ({"outcome": "no_concern", "send_support": True, "message": ""}, "message"),
    ],
)
def test_a_bad_outcome_is_a_clear_error_that_changes_nothing(as_user, trusted, moderator, payload, field):
    posted = _held(as_user, trusted)
    response = as_user(moderator).post(
        f"/api/v1/moderation/safeguarding/{posted['id']}/outcome", json=payload
    )
    assert response.status_code == 422
    assert field in str(response.get_json()["errors"])
    assert _case(posted["id"]).decided_at is None


def test_the_outcome_form_in_the_page(as_user, trusted, moderator):
    posted = _held(as_user, trusted)
    client = as_user(moderator)
    page = client.get("/moderation").get_data(as_text=True)
    assert "Record the safeguarding outcome" in page and "I'm reading this now" in page
    response = client.post(
        f"/moderation/safeguarding/{posted['id']}/outcome",
        data={"outcome": "referred", "referred_to": "the GP practice", "back": "/moderation"},
        follow_redirects=True,
    )
    assert "outcome recorded (referred)" in response.get_data(as_text=True)
    assert _case(posted["id"]).referred_to == "the GP practice"
    view = client.get("/moderation/safeguarding").get_data(as_text=True)
    assert "Referred (to the GP practice)" in view


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 401), ("member", 403), ("moderator", 200), ("admin", 200)]
)
def test_the_dashboard_per_actor(as_user, trusted, member, moderator, admin, who, status):
    _held(as_user, trusted)
    user = {"anonymous": None, "member": member, "moderator": moderator, "admin": admin}[who]
    response = as_user(user).get("/api/v1/moderation/dashboard")
    assert response.status_code == status
    page = as_user(user).get("/moderation/dashboard")
    assert page.status_code == {401: 302, 403: 403, 200: 200}[status]
    if status == 200:
        board = response.get_json()
        waiting = {w["kind"]: w for w in board["waiting"]}
        assert waiting["safeguarding"]["count"] == 1 and waiting["safeguarding"]["oldest_wait_seconds"] >= 0
        assert board["safeguarding_open"] == 1 and board["safeguarding_unread"] == 1
        assert len(board["decisions_per_day"]) == 30
        assert "Someone may be at risk" in page.get_data(as_text=True)


def test_the_dashboard_medians_and_decisions_per_day(as_user, trusted, moderator):
    first, second = _held(as_user, trusted), _held_other(as_user, trusted)
    client = as_user(moderator)
    for posted in (first, second):
        client.post(f"/api/v1/moderation/safeguarding/{posted['id']}/outcome", json={"outcome": "no_concern"})
    board = client.get("/api/v1/moderation/dashboard").get_json()
    assert board["safeguarding_open"] == 0 and board["safeguarding_decided"] == 2
    assert board["median_seconds_to_decision"] is not None
    assert board["median_seconds_to_first_read"] is not None
    assert board["decisions_per_day"][-1]["count"] == 2


def _held_other(as_user, trusted):
    return as_user(trusted).post("/api/v1/articles/talk/comments", json={"body": SIGNALS["abuse"]}).get_json()


def test_on_call_moderators_choose_for_themselves_and_admins_for_anyone(as_app_users):
    as_user, moderator, other_moderator, admin = as_app_users
    mine = as_user(moderator).post(
        "/moderation/safeguarding/on-call", data={"user_id": moderator.id, "on": "1"}
    )
    assert mine.status_code == 302
    theirs = as_user(moderator).post(
        "/moderation/safeguarding/on-call",
        data={"user_id": other_moderator.id, "on": "1"},
        follow_redirects=True,
    )
    assert "You need admin rights for that." in theirs.get_data(as_text=True)
    as_user(admin).post("/moderation/safeguarding/on-call", data={"user_id": other_moderator.id, "on": "1"})
    on = set(db.session.scalars(select(OnCallModerator.user_id)))
    assert on == {moderator.id, other_moderator.id}
    assert db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "safeguarding.on_call"))
    page = as_user(moderator).get("/moderation/safeguarding").get_data(as_text=True)
    assert "on call</strong>" in page


@pytest.fixture
def as_app_users(as_user, moderator, admin):
    from forum.accounts.models import Access
    from tests.conftest import create_user

    other = create_user("mod2@example.org", "Sec Ond", access=Access.MODERATOR, role="staff")
    return as_user, moderator, other, admin


def test_the_on_call_email_arrives_and_links_to_the_safeguarding_view_without_the_text(
    as_user, trusted, on_call, smtp
):
    from forum.platform import jobs

    _held(as_user, trusted)
    jobs.run_pending()
    [message] = smtp.mailbox.received
    assert message["To"] == on_call.email
    assert message["Subject"] == "Urgent: a safeguarding concern needs a moderator"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "https://forum.example.org/moderation/safeguarding" in text
    assert "end my life" not in text and "Talking about care" in text
