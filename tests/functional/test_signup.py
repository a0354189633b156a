"""No account enumeration, email-confirmed sign-up, password reset links.

Timing is never measured: the tests assert that both paths run the same code (one password hash,
one email) and give the same answer, byte for byte.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select, update

from forum.accounts.models import ApiToken, PasswordReset, Registration, User
from forum.accounts.services import credentials, passwords, signup
from forum.platform.database import db
from forum.platform.models import utcnow
from tests.conftest import PASSWORD, log_in
from tests.mailbox import latest_link, messages_to

JOIN = {"password": "a good long password", "display_name": "Pat Carer", "role": "carer", "consent": "yes"}


@pytest.fixture
def hasher_calls(monkeypatch) -> list[str]:
    """Count Argon2 hashes and checks, wherever they are called from."""
    calls: list[str] = []
    real_hash, real_check = passwords.hash_password, passwords.check_password

    def spy_hash(password: str) -> str:
        calls.append("hash")
        return real_hash(password)

    def spy_check(stored, password: str) -> bool:
        calls.append("check")
        return real_check(stored, password)

    for module in (
        "forum.accounts.services.signup",
        "forum.accounts.services.accounts",
        "forum.accounts.services.credentials",
    ):
        monkeypatch.setattr(f"{module}.hash_password", spy_hash, raising=False)
        monkeypatch.setattr(f"{module}.check_password", spy_check, raising=False)
    return calls


def page_text(response) -> str:
    return response.get_data(as_text=True)


def users() -> int:
    return db.session.scalar(select(func.count(User.id)))


# --- enumeration ------------------------------------------------------------------------------------------


def test_registration_answers_the_same_for_new_and_taken_addresses(app: Flask, member, hasher_calls):
    new = app.test_client().post("/register", data={**JOIN, "email": "new@example.org"})
    new_calls = list(hasher_calls)
    hasher_calls.clear()
    taken = app.test_client().post("/register", data={**JOIN, "email": "member@example.org"})
    assert new.status_code == taken.status_code == 200
    assert page_text(new).replace("new@example.org", "X") == page_text(taken).replace(
        "member@example.org", "X"
    )
    assert new_calls == hasher_calls == ["hash"]  # the same work on both paths
    assert len(messages_to("new@example.org")) == len(messages_to("member@example.org")) == 1
    assert "Confirm your email" in messages_to("new@example.org")[0].subject
    assert "log in" in messages_to("member@example.org")[0].body.lower()


def test_api_registration_answers_the_same_for_new_and_taken_addresses(app: Flask, member, hasher_calls):
    new = app.test_client().post("/api/v1/users", json={**JOIN, "email": "new@example.org"})
    taken = app.test_client().post("/api/v1/users", json={**JOIN, "email": "MEMBER@example.org"})
    assert (new.status_code, new.get_json()) == (taken.status_code, taken.get_json())
    assert new.status_code == 202 and hasher_calls == ["hash", "hash"]
    assert new.headers["Content-Length"] == taken.headers["Content-Length"]


def test_login_checks_one_hash_for_unknown_emails_and_wrong_passwords(app: Flask, member, hasher_calls):
    unknown = app.test_client().post("/login", data={"email": "nobody@example.org", "password": PASSWORD})
    unknown_calls = list(hasher_calls)
    hasher_calls.clear()
    wrong = app.test_client().post("/login", data={"email": "member@example.org", "password": "wrong one"})
    assert unknown_calls == hasher_calls == ["check"]
    assert (unknown.status_code, page_text(unknown).replace("nobody@", "X@")) == (
        wrong.status_code,
        page_text(wrong).replace("member@", "X@"),
    )


def test_reset_requests_answer_the_same_and_send_one_email_either_way(app: Flask, member):
    known = app.test_client().post("/password/forgot", data={"email": "member@example.org"})
    unknown = app.test_client().post("/password/forgot", data={"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert page_text(known).replace("member@", "X@") == page_text(unknown).replace("nobody@", "X@")
    assert [m.subject for m in messages_to("member@example.org")] == ["Reset your password"]
    assert [m.subject for m in messages_to("nobody@example.org")] == ["No account for this address"]
    api_known = app.test_client().post("/api/v1/password-resets", json={"email": "member@example.org"})
    api_unknown = app.test_client().post("/api/v1/password-resets", json={"email": "nobody@example.org"})
    assert (api_known.status_code, api_known.get_json()) == (api_unknown.status_code, api_unknown.get_json())
    assert api_known.status_code == 202


def test_resend_answers_the_same_whatever_the_address(app: Flask, member):
    app.test_client().post("/register", data={**JOIN, "email": "waiting@example.org"})
    answers = [
        app.test_client().post("/register/resend", data={"email": email})
        for email in ("waiting@example.org", "member@example.org", "nobody@example.org")
    ]
    texts = {
        page_text(a).replace(email, "X")
        for a, email in zip(answers, ("waiting@example.org", "member@example.org", "nobody@example.org"))
    }
    assert {a.status_code for a in answers} == {200} and len(texts) == 1
    for email in ("waiting@example.org", "member@example.org", "nobody@example.org"):
        assert messages_to(email)  # one email each, whatever the case


# --- confirmation -----------------------------------------------------------------------------------------


def confirm(client, email: str, password: str):
    token = latest_link(email, "/register/confirm").split("token=")[1]
    return client.post("/register/confirm", data={"token": token, "password": password})


def test_an_unconfirmed_sign_up_cannot_log_in_and_is_told_why(app: Flask):
    client = app.test_client()
    client.post("/register", data={**JOIN, "email": "pat@example.org"})
    first_link = latest_link("pat@example.org", "/register/confirm")
    login = client.post("/login", data={"email": "pat@example.org", "password": JOIN["password"]})
    assert login.status_code == 403 and "Confirm your email address" in page_text(login)
    assert latest_link("pat@example.org", "/register/confirm") != first_link  # a fresh link was sent
    assert client.get(first_link).status_code == 400  # and the old one stopped working
    # Only someone who knows the password learns that a sign-up is waiting.
    guess = client.post("/login", data={"email": "pat@example.org", "password": "a wrong guess"})
    assert guess.status_code == 401 and "Confirm" not in page_text(guess)
    token = app.test_client().post(
        "/api/v1/tokens", json={"email": "pat@example.org", "password": JOIN["password"]}
    )
    assert token.status_code == 403 and "Confirm your email address" in token.get_json()["message"]
    assert confirm(client, "pat@example.org", JOIN["password"]).status_code == 302
    assert client.get("/api/v1/me").get_json()["profile"]["display_name"] == "Pat Carer"


def test_a_strangers_sign_up_with_your_address_never_becomes_your_account(app: Flask):
    """Pre-registration hijack: the stranger signs up second, so the newest link is for their sign-up."""
    owner, stranger = app.test_client(), app.test_client()
    owner.post("/register", data={**JOIN, "email": "pat@example.org"})
    stranger.post(
        "/register",
        data={
            **JOIN,
            "email": "pat@example.org",
            "password": "the strangers password",
            "display_name": "Evil",
        },
    )
    assert confirm(owner, "pat@example.org", JOIN["password"]).status_code == 302
    user = db.session.scalar(select(User))
    assert user.profile.display_name == "Pat Carer"
    assert db.session.scalar(select(func.count(Registration.id))) == 0  # the stranger's sign-up is gone
    assert (
        app.test_client()
        .post("/login", data={"email": "pat@example.org", "password": "the strangers password"})
        .status_code
        == 401
    )


def test_confirmation_links_expire(app: Flask):
    app.test_client().post("/register", data={**JOIN, "email": "pat@example.org"})
    db.session.execute(update(Registration).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    response = confirm(app.test_client(), "pat@example.org", JOIN["password"])
    assert response.status_code == 400 and "no longer works" in page_text(response)
    assert users() == 0


def test_confirmation_pages_keep_their_secret_out_of_referrers_and_caches(app: Flask):
    app.test_client().post("/register", data={**JOIN, "email": "pat@example.org"})
    page = app.test_client().get(latest_link("pat@example.org", "/register/confirm"))
    assert page.headers["Referrer-Policy"] == "no-referrer" and page.headers["Cache-Control"] == "no-store"


def test_sign_up_keeps_where_the_person_was_going(app: Flask):
    client = app.test_client()
    client.post("/register?next=/articles/talk%23join", data={**JOIN, "email": "pat@example.org"})
    assert confirm(client, "pat@example.org", JOIN["password"]).headers["Location"] == "/articles/talk#join"
    other = app.test_client()
    other.post(
        "/register?next=https://evil.example/",
        data={**JOIN, "email": "sam@example.org", "display_name": "Sam Carer"},
    )
    assert confirm(other, "sam@example.org", JOIN["password"]).headers["Location"] == "/"


# --- password reset ---------------------------------------------------------------------------------------


def test_a_reset_link_works_once_and_ends_every_session_and_token(app: Flask, member):
    browser = log_in(app.test_client(), member)
    token = (
        app.test_client()
        .post("/api/v1/tokens", json={"email": "member@example.org", "password": PASSWORD})
        .get_json()["token"]
    )
    app.test_client().post("/password/forgot", data={"email": "member@example.org"})
    link = latest_link("member@example.org", "/password/reset")
    stored = db.session.scalar(select(PasswordReset))
    assert link.split("token=")[1] not in stored.token_hash  # only its SHA-256 is kept
    person = app.test_client()
    assert "Choose a new password" in page_text(person.get(link))
    secret = link.split("token=")[1]
    short = person.post("/password/reset", data={"token": secret, "password": "short"})
    assert short.status_code == 422
    done = person.post("/password/reset", data={"token": secret, "password": "my new long password"})
    assert done.status_code == 302 and done.headers["Location"] == "/account/security"
    assert person.get("/api/v1/me").status_code == 200  # logged in with a new session
    assert browser.get("/api/v1/me").status_code == 401  # every other session ended
    assert (
        app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    )
    assert db.session.scalar(select(func.count(ApiToken.id)).where(ApiToken.revoked_at.is_(None))) == 0
    again = app.test_client().post("/password/reset", data={"token": secret, "password": "another password!"})
    assert again.status_code == 400  # single use
    assert messages_to("member@example.org")[0].subject == "Your password was changed"


def test_reset_links_expire_and_only_the_account_owner_gets_one(app: Flask, member):
    app.test_client().post("/password/forgot", data={"email": "member@example.org"})
    link = latest_link("member@example.org", "/password/reset")
    db.session.execute(update(PasswordReset).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert app.test_client().get(link).status_code == 400
    assert app.test_client().get("/password/reset?token=made-up").status_code == 400
    with pytest.raises(signup.InvalidLink):
        credentials.reset_password("made-up", "whatever password")


def test_reset_tokens_and_passwords_never_reach_the_logs(app: Flask, member, caplog):
    caplog.set_level("DEBUG")
    client = app.test_client()
    client.post("/password/forgot", data={"email": "member@example.org"})
    link = latest_link("member@example.org", "/password/reset")
    client.post("/password/reset", data={"token": link.split("token=")[1], "password": "Sup3r-secret-pw!"})
    app.test_client().post(
        "/register", data={**JOIN, "email": "pat@example.org", "password": "An0ther-secret-pw"}
    )
    confirm_link = latest_link("pat@example.org", "/register/confirm")
    for secret in (
        link.split("token=")[1],
        confirm_link.split("token=")[1],
        "Sup3r-secret-pw!",
        "An0ther-secret",
    ):
        assert secret not in caplog.text
