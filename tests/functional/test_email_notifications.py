"""Email notifications end to end against a real SMTP server (aiosmtpd on 127.0.0.1).

The app keeps its jobs until ``run_pending`` (the test configuration), so each test says when the
"worker" runs; tests/integration/test_worker.py runs the real worker on PostgreSQL.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from forum import create_app
from forum.discussion.services import daily_digest
from forum.notifications.models import Email, EmailState, NotificationSettings
from forum.notifications.services import delivery
from forum.platform import jobs, mail
from forum.platform.database import db
from tests.factories import make_article, make_comment

LINK = re.compile(r"https?://[^\s<>\"]+")


@pytest.fixture
def parent(app, member):
    comment = make_comment(make_article(slug="talk", title="Let's talk"), member.profile, "My first thought")
    db.session.commit()
    return comment


def text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message):
    return message.get_body(preferencelist=("html",)).get_content()


def reply(client, parent_id, body):
    response = client.post("/api/v1/articles/talk/comments", json={"body": body, "parent_id": parent_id})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def decide(client, comment_id, **decision):
    response = client.post(f"/api/v1/moderation/comments/{comment_id}/decision", json=decision)
    assert response.status_code == 200, response.get_json()


def test_a_published_reply_sends_one_email_with_both_parts_and_the_unsubscribe_headers(
    app, smtp, as_user, member, moderator, parent
):
    posted = reply(as_user(moderator), parent.id, "Thank you, that helps.\n\nA second paragraph.")
    jobs.run_pending()
    [message] = smtp.mailbox.received
    assert message["To"] == member.email and message["Subject"] == "Mod Erator replied to your comment"
    assert re.fullmatch(r"<email-\d+\.comment\.reply@forum\.example\.org>", message["Message-ID"])
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    one_click = message["List-Unsubscribe"].strip("<>")
    assert one_click.startswith("https://forum.example.org/api/v1/email/unsubscribe?token=")
    assert f"List-Unsubscribe: <{one_click}>".encode() in smtp.mailbox.raw[0]  # a plain URI, not folded
    text, html = text_of(message), html_of(message)
    assert (
        "Thank you, that helps." in text and "Thank you, that helps." in html and '<html lang="en">' in html
    )
    assert f"https://forum.example.org/comments/{posted['id']}" in text
    assert "you get this email because someone replied to your comment" in text.lower()
    assert "/email/unsubscribe?token=" in text and "/account/notifications/settings" in text
    # No address but the recipient's own, anywhere in the message.
    addresses = set(re.findall(r"[\w.+-]+@[\w-]+\.[\w.]+", message.as_string()))
    assert addresses <= {member.email, "forum@localhost"} | {a for a in addresses if "forum.example.org" in a}
    assert moderator.email not in message.as_string()
    # Running the jobs again, or the delivery job once more (at least once), sends nothing new.
    email_id = db.session.scalar(select(Email.id).where(Email.kind == "comment.reply"))
    assert jobs.run_pending() == 0
    assert delivery.deliver(email_id) == delivery.Outcome.NOTHING
    assert len(smtp.mailbox.received) == 1


def test_a_held_reply_sends_nothing_until_approved_and_a_rejected_one_never(
    app, smtp, as_user, member, other_member, moderator, parent
):
    held = reply(as_user(other_member), parent.id, "Pending words never mailed")
    assert held["status"] == "pending"
    jobs.run_pending()
    assert smtp.mailbox.to(member.email) == []
    decide(as_user(moderator), held["id"], action="approve")
    jobs.run_pending()
    [told] = smtp.mailbox.to(member.email)
    assert "Pending words never mailed" in text_of(told)
    rejected = reply(as_user(other_member), parent.id, "Rejected words never mailed")
    decide(as_user(moderator), rejected["id"], action="reject", reason="abusive", note="Please be kind.")
    jobs.run_pending()
    assert len(smtp.mailbox.to(member.email)) == 1  # nothing about the rejected reply
    decisions = smtp.mailbox.to(other_member.email)
    assert decisions, "the author hears the moderators' decisions"
    everything = "".join(m.as_string() for m in smtp.mailbox.received)
    assert "Rejected words never mailed" not in everything
    assert "was not published" in text_of(decisions[-1]) and "Please be kind." in text_of(decisions[-1])


def test_a_reply_taken_down_before_delivery_is_not_sent(app, smtp, as_user, member, moderator, parent):
    posted = reply(as_user(moderator), parent.id, "Soon removed")
    decide(as_user(moderator), posted["id"], action="remove", reason="spam")
    jobs.run_pending()
    assert smtp.mailbox.to(member.email) == []
    email = db.session.scalar(select(Email).where(Email.kind == "comment.reply"))
    assert email.state == EmailState.SKIPPED and "no longer published" in email.last_error


def test_immediate_followers_get_each_new_comment_but_never_their_own(
    app, smtp, as_user, member, other_member, moderator, parent
):
    assert as_user(other_member).put("/api/v1/articles/talk/follow").get_json() == {"following": True}
    assert (
        as_user(other_member)
        .put("/api/v1/me/notification-settings", json={"followed": "immediate"})
        .get_json()["followed"]
        == "immediate"
    )
    as_user(moderator).post("/api/v1/articles/talk/comments", json={"body": "News for followers"})
    jobs.run_pending()
    [news] = smtp.mailbox.to(other_member.email)
    assert news["Subject"] == "New comment on “Let's talk”" and "News for followers" in text_of(news)
    assert (
        smtp.mailbox.to(moderator.email) == []
    )  # the author follows now too, but hears nothing of their own


def test_a_digest_lists_the_published_comments_once_a_day(
    app, smtp, as_user, member, other_member, moderator, parent
):
    article = parent.article_id
    as_user(member).put("/api/v1/articles/talk/follow")
    as_user(moderator).post("/api/v1/articles/talk/comments", json={"body": "Published for the digest"})
    held = as_user(other_member).post(
        "/api/v1/articles/talk/comments", json={"body": "Held out of the digest"}
    )
    assert held.get_json()["status"] == "pending" and article
    jobs.run_pending()
    # the member only: the two authors follow now, but began to when they posted, after everything
    # published there (a digest never tells of what was there before you followed)
    assert daily_digest.build_due(ignore_hour=True) == 1
    assert daily_digest.build_due(ignore_hour=True) == 0  # twice the same day: one digest each
    db.session.commit()
    jobs.run_pending()
    [digest] = [m for m in smtp.mailbox.to(member.email) if "threads you follow" in m["Subject"]]
    assert (
        "Published for the digest" in text_of(digest) and "Held out of the digest" not in digest.as_string()
    )
    assert "daily digest" in text_of(digest)


def test_unsubscribe_works_once_pressed_without_login_refuses_forged_links_and_can_be_undone(
    app, smtp, client, as_user, member, moderator, parent
):
    reply(as_user(moderator), parent.id, "First answer")
    jobs.run_pending()
    [message] = smtp.mailbox.received
    page = next(url for url in LINK.findall(text_of(message)) if "/email/unsubscribe" in url)
    path = urlsplit(page).path + "?" + urlsplit(page).query
    shown = client.get(path)
    assert shown.status_code == 200 and "Stop emails about replies to your comments" in shown.get_data(
        as_text=True
    )
    assert db.session.get(NotificationSettings, member.id) is None  # opening the link changed nothing
    forged = path[:-3] + ("abc" if not path.endswith("abc") else "xyz")
    assert client.get(forged).status_code == 400 and client.post(forged).status_code == 400
    done = client.post(path)
    assert done.status_code == 200 and "no longer get emails about" in done.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(NotificationSettings, member.id).replies is False
    assert db.session.get(NotificationSettings, member.id).decisions is True  # exactly that kind
    reply(as_user(moderator), parent.id, "Second answer")
    jobs.run_pending()
    assert len(smtp.mailbox.to(member.email)) == 1
    undone = client.post(path.replace("/email/unsubscribe", "/email/resubscribe"))
    assert undone.status_code == 200
    db.session.expire_all()
    assert db.session.get(NotificationSettings, member.id).replies is True
    one_click = urlsplit(message["List-Unsubscribe"].strip("<>"))
    answer = client.post(
        f"{one_click.path}?{one_click.query}",
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert answer.status_code == 200 and answer.get_json() == {"stopped": "replies"}
    assert client.post("/api/v1/email/unsubscribe?token=forged").status_code == 400


def test_smtp_down_then_back_delivers_once(app, smtp, as_user, member, moderator, parent):
    smtp.stop()
    reply(as_user(moderator), parent.id, "Sent when the server is back")
    jobs.run_pending()  # the notice becomes an email; its delivery fails for now
    email = db.session.scalar(select(Email).where(Email.kind == "comment.reply"))
    assert email.state == EmailState.QUEUED and email.attempts == 1 and email.last_error
    smtp.start()
    assert delivery.deliver(email.id) == delivery.Outcome.SENT
    db.session.commit()
    assert delivery.deliver(email.id) == delivery.Outcome.NOTHING
    assert len(smtp.mailbox.to(member.email)) == 1


def test_permanent_failures_are_recorded_and_mark_the_address_bouncing(
    app, smtp, as_user, member, moderator, parent
):
    smtp.mailbox.refuse[member.email] = "550 No such mailbox"
    for n in range(4):
        reply(as_user(moderator), parent.id, f"Answer {n}")
        jobs.run_pending()
    states = [
        e.state
        for e in db.session.scalars(select(Email).where(Email.user_id == member.id).order_by(Email.id))
    ]
    assert states == [EmailState.FAILED] * 3  # the fourth answer was not even queued: the address bounces
    assert smtp.mailbox.to(member.email) == []
    assert "550" in db.session.scalar(select(Email.last_error).where(Email.user_id == member.id).limit(1))
    page = as_user(member).get("/account/notifications/settings").get_data(as_text=True)
    assert "keep coming back undelivered" in page
    assert as_user(member).get("/api/v1/me/notification-settings").get_json()["bouncing"] is True


def test_a_rolled_back_reply_notifies_nobody(app, as_user, member, other_member, parent):
    app.config["FLAGS_TO_HIDE"] = 3
    response = as_user(other_member).post(
        "/api/v1/articles/talk/comments", json={"body": "", "parent_id": parent.id}
    )
    assert response.status_code == 422
    assert jobs.jobs(app).pending == type(jobs.jobs(app).pending)()
    assert db.session.scalar(select(Email.id)) is None


def test_make_run_delivers_in_process_right_after_the_commit(app, database_url, member, moderator, parent):
    inline = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "TESTING": True,
            "SERVER_NAME": "forum.test",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "JOB_RUNNER": "inline",
        }
    )
    from tests.conftest import log_in

    with inline.app_context():
        client = log_in(inline.test_client(), moderator)
        client.post(
            "/api/v1/articles/talk/comments", json={"body": "Straight to the outbox", "parent_id": parent.id}
        )
        [message] = [m for m in mail.outbox() if m.to == member.email]
        assert (
            "Straight to the outbox" in message.body and message.html and message.header("List-Unsubscribe")
        )
        db.session.remove()
        db.engine.dispose()


def test_settings_page_and_api_change_the_same_choices(app, as_user, member):
    browser = as_user(member)
    page = browser.get("/account/notifications/settings").get_data(as_text=True)
    assert (
        "Email settings" in page and 'name="replies" checked' in page.replace("\n", " ").replace("  ", " ")
    ) or "replies" in page
    saved = browser.post(
        "/account/notifications/settings",
        data={"replies": "on", "followed": "immediate", "digest_hour": "18", "time_zone": "Europe/Paris"},
    )
    assert saved.status_code == 302
    body = browser.get("/api/v1/me/notification-settings").get_json()
    assert body["replies"] is True and body["decisions"] is False and body["email_enabled"] is False
    assert (
        body["followed"] == "immediate" and body["digest_hour"] == 18 and body["time_zone"] == "Europe/Paris"
    )
    bad = browser.put(
        "/api/v1/me/notification-settings", json={"digest_hour": 25, "time_zone": "Mars/Olympus"}
    )
    assert bad.status_code == 422 and "digest_hour" in str(bad.get_json()["errors"])
    zone = browser.put("/api/v1/me/notification-settings", json={"time_zone": "Mars/Olympus"})
    assert zone.status_code == 422 and "time_zone" in str(zone.get_json()["errors"])
    assert (
        browser.put("/api/v1/me/notification-settings", json={"email_enabled": True}).get_json()["followed"]
        == "immediate"
    )
