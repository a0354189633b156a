"""Notices and consent (issue 20): joining asks the person to agree, in plain words, to what posting
means; the versions agreed to are kept; a member is asked again when a notice changes."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select

from forum.accounts.models import Consent, Registration
from forum.accounts.services import consent
from forum.platform import notices
from forum.platform.database import db
from tests.factories import make_article
from tests.mailbox import latest_link

JOIN = {
    "email": "pat@example.org",
    "password": "a good long password",
    "display_name": "Carer in Leeds",
    "role": "carer",
}


def _count(model) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(model.id))) or 0


def test_joining_without_agreeing_is_refused_by_the_box_in_the_form_and_the_api(client):
    page = client.post("/register", data=JOIN)
    text = page.get_data(as_text=True)
    assert page.status_code == 422 and 'id="consent-error"' in text
    assert "Please confirm you understand this before you join." in text
    assert 'value="Carer in Leeds"' in text  # what they typed is kept
    for refused in ({**JOIN}, {**JOIN, "consent": False}, {**JOIN, "consent": "no"}):
        answer = client.post("/api/v1/users", json=refused)
        assert answer.status_code == 422 and set(answer.get_json()["errors"]) == {"consent"}
    assert _count(Registration) == 0  # nothing was kept of a refused sign-up


def test_the_form_says_what_posting_means_and_suggests_a_screen_name(client):
    text = client.get("/register").get_data(as_text=True)
    assert "have to use your real name" in text
    assert "What you post is <strong>public</strong>" in text and "health" in text
    assert 'href="/privacy"' in text and 'href="/house-rules"' in text
    assert 'type="checkbox" id="consent" name="consent"' in text


def test_the_versions_agreed_to_are_kept_from_sign_up_to_the_account_and_its_download(client):
    assert client.post("/register", data={**JOIN, "consent": "yes"}).status_code == 200
    agreed = dict(db.session.scalar(select(Registration.consented)))
    assert agreed["versions"] == consent.current_versions()
    token = latest_link("pat@example.org", "/register/confirm").split("token=")[1]
    client.post("/register/confirm", data={"token": token, "password": JOIN["password"]})
    rows = db.session.scalars(select(Consent).order_by(Consent.notice)).all()
    assert [(r.notice, r.version) for r in rows] == [
        ("house-rules", notices.notice("house-rules").version),
        ("privacy", notices.notice("privacy").version),
    ]
    assert rows[0].accepted_at == datetime.fromisoformat(agreed["at"])
    exported = client.get("/api/v1/me/export").get_json()["consents"]
    assert {(c["notice"], c["version"]) for c in exported} == {(r.notice, r.version) for r in rows}
    assert not any("user_id" in c for c in exported)


@pytest.fixture
def agreed_to_old(member):
    """The member agreed to an earlier privacy notice, and to the house rules as they are."""
    db.session.add(Consent(user_id=member.id, notice="privacy", version="2020-01-01"))
    db.session.add(
        Consent(user_id=member.id, notice="house-rules", version=notices.notice("house-rules").version)
    )
    db.session.commit()
    return member


def _log_in(client, user, next_path="/articles/talk"):
    return client.post(
        f"/login?next={next_path}", data={"email": user.email, "password": "correct horse battery"}
    )


def test_a_member_who_agreed_to_an_earlier_notice_is_asked_again_at_login(client, agreed_to_old):
    make_article(slug="talk")
    db.session.commit()
    answer = _log_in(client, agreed_to_old)
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/account/agree")
    page = client.get(answer.headers["Location"])
    text = page.get_data(as_text=True)
    assert "We have changed how we work" in text and "privacy notice" in text
    assert "house rules</a> (version" not in text  # only what changed is named
    refused = client.post("/account/agree", data={"next": "/articles/talk"})
    assert refused.status_code == 422 and 'id="consent-error"' in refused.get_data(as_text=True)
    agreed = client.post("/account/agree", data={"next": "/articles/talk", "consent": "yes"})
    assert agreed.status_code == 302 and agreed.headers["Location"] == "/articles/talk"
    assert consent.latest(agreed_to_old.id)["privacy"] == notices.notice("privacy").version
    assert consent.outstanding(agreed_to_old) == []
    client.post("/logout")
    again = _log_in(client, agreed_to_old)
    assert again.headers["Location"] == "/articles/talk"  # asked once per change


def test_an_account_an_operator_made_is_not_asked(client, member):
    make_article(slug="talk")
    db.session.commit()
    assert _log_in(client, member).headers["Location"] == "/articles/talk"
    assert client.get("/account/agree?next=/articles/talk").status_code == 302


def test_the_house_rules_are_a_page_linked_from_every_page_and_every_comment_form(client, as_user, member):
    make_article(slug="talk")
    db.session.commit()
    page = client.get("/house-rules")
    text = page.get_data(as_text=True)
    rules = notices.notice("house-rules")
    assert page.status_code == 200 and "<h1>House rules</h1>" in text and rules.version in text
    assert "What is welcome" in text and 'href="/moderation/policy"' in text
    for path in ("/", "/register", "/login", "/articles/talk"):
        assert 'href="/house-rules"' in client.get(path).get_data(as_text=True), path
    thread = as_user(member).get("/articles/talk").get_data(as_text=True)
    form = thread[thread.index('class="comment-form"') :]
    assert 'href="/house-rules"' in form[: form.index("</form>")]
