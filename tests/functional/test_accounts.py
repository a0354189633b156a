"""Joining, logging in and out, profiles, access levels and API tokens."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import func, select

from forum.accounts.models import Access, ApiToken, Registration, RoleSource, User
from forum.platform.database import db
from tests.conftest import PASSWORD, create_user
from tests.mailbox import latest_link, messages_to

REGISTRATION = {
    "email": "New.Person@Example.org",
    "password": "a long enough password",
    "display_name": "New Person",
    "job_title": "Carer",
    "organisation": "",
    "role": "carer",
    "consent": "yes",
}


def count_users():
    return db.session.scalar(select(func.count(User.id)))


def test_joining_in_the_browser_takes_a_confirmed_email_then_logs_in(client):
    response = client.post("/register?next=/articles/x", data=REGISTRATION)
    assert response.status_code == 200 and "Check your email" in response.get_data(as_text=True)
    assert count_users() == 0  # nothing in users until the address is confirmed
    link = latest_link("new.person@example.org", "/register/confirm")
    assert "Confirm your account" in client.get(link).get_data(as_text=True)
    token = link.split("token=")[1]
    wrong = client.post("/register/confirm", data={"token": token, "password": "not the one chosen"})
    assert wrong.status_code == 401 and count_users() == 0
    response = client.post("/register/confirm", data={"token": token, "password": "a long enough password"})
    assert response.status_code == 302 and response.headers["Location"] == "/articles/x"
    user = db.session.scalar(select(User))
    assert user.email == "new.person@example.org"
    assert user.password_hash.startswith("$argon2id$") and "a long enough" not in user.password_hash
    assert (user.profile.display_name, user.profile.job_title, user.profile.organisation) == (
        "New Person",
        "Carer",
        None,
    )
    assert (user.profile.role.value, user.profile.role_source) == ("carer", RoleSource.DECLARED)
    assert user.access == Access.MEMBER
    assert "New Person" in client.get("/").get_data(as_text=True)  # the header shows who is logged in
    again = client.post("/register/confirm", data={"token": token, "password": "a long enough password"})
    assert again.status_code == 400 and "no longer works" in again.get_data(as_text=True)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"password": "too short"}, "password"),
        ({"email": "not-an-email"}, "email"),
        ({"display_name": "   "}, "display_name"),
        ({"role": "wizard"}, "role"),
        ({"job_title": "x" * 201}, "job_title"),
    ],
)
def test_registration_errors_are_shown_next_to_the_field_and_nothing_is_saved(client, change, field):
    response = client.post("/register", data={**REGISTRATION, **change})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in page and 'aria-invalid="true"' in page
    assert "a long enough password" not in page  # the password is never echoed back
    assert count_users() == 0


def test_email_is_unique_whatever_its_case(client, member):
    response = client.post("/register", data={**REGISTRATION, "email": "MEMBER@example.org"})
    assert response.status_code == 200 and "Check your email" in response.get_data(as_text=True)
    assert count_users() == 1 and db.session.scalar(select(func.count(Registration.id))) == 0
    assert messages_to("member@example.org")[0].subject == "Someone tried to join with your address"


def test_login_answers_the_same_for_unknown_email_and_wrong_password(client, member):
    unknown = client.post("/login", data={"email": "nobody@example.org", "password": PASSWORD})
    wrong = client.post("/login", data={"email": "member@example.org", "password": "wrong password"})
    assert unknown.status_code == wrong.status_code == 401
    message = "That email and password do not match an account."
    assert message in unknown.get_data(as_text=True) and message in wrong.get_data(as_text=True)


def test_login_remember_me_and_logout(client, member):
    response = client.post(
        "/login", data={"email": "Member@example.org", "password": PASSWORD, "remember": "on"}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "remember_token=" in " ".join(response.headers.getlist("Set-Cookie"))
    assert client.get("/api/v1/me").get_json()["email"] == "member@example.org"
    assert client.get("/logout").status_code == 405  # logging out needs a POST
    assert client.post("/logout").status_code == 302
    assert client.get("/api/v1/me").status_code == 401


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/articles/shared-decision-making", "/articles/shared-decision-making"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_next_only_goes_to_paths_on_this_site(client, member, target, expected):
    response = client.post(
        "/login", data={"email": "member@example.org", "password": PASSWORD, "next": target}
    )
    assert response.headers["Location"] == expected


def test_protected_pages_send_anonymous_people_to_login(client):
    response = client.get("/account/profile")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/account/profile")


def test_profile_editing_and_declared_roles(as_user, member):
    client = as_user(member)
    response = client.post(
        "/account/profile",
        data={
            "display_name": "Mem B.",
            "job_title": "Ward sister",
            "organisation": "St Elsewhere",
            "role": "clinician",
            "bio": "Twenty years on the wards.",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/profiles/{member.profile_id}").get_data(as_text=True)
    assert "Mem B." in page and "Ward sister" in page and "St Elsewhere" in page
    assert "Twenty years on the wards." in page and "Role as stated by this person" in page
    assert client.post("/account/profile", data={"display_name": "", "role": "clinician"}).status_code == 422


def test_users_cli_creates_accounts_and_sets_access(runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "Mod@X.org",
            "--password",
            "tulip granite evening",
            "--name",
            "Mo",
            "--moderator",
        ]
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User).where(User.email == "mod@x.org")).access == Access.MODERATOR
    result = runner.invoke(args=["users", "set-access", "--email", "mod@x.org", "--access", "admin"])
    assert result.exit_code == 0 and "now admin" in result.output
    db.session.expire_all()
    assert db.session.scalar(select(User).where(User.email == "mod@x.org")).access == Access.ADMIN
    bad = runner.invoke(args=["users", "create", "--email", "x", "--password", "short", "--name", "N"])
    assert bad.exit_code == 1 and "password" in bad.output and "email" in bad.output
    missing = runner.invoke(args=["users", "set-access", "--email", "no@x.org", "--access", "member"])
    assert missing.exit_code == 1


# --- API ---------------------------------------------------------------------------------------------------


def test_api_registration(client, member):
    response = client.post("/api/v1/users", json={**REGISTRATION, "organisation": "Carers Trust"})
    assert response.status_code == 202
    body = response.get_json()
    assert set(body) == {"message"} and "Check your email" in body["message"]
    waiting = db.session.scalar(select(Registration))
    assert waiting.email == "new.person@example.org" and waiting.organisation == "Carers Trust"
    assert "a long enough" not in waiting.password_hash
    bad = client.post(
        "/api/v1/users", json={**REGISTRATION, "email": "x", "password": "short", "role": "king"}
    )
    assert bad.status_code == 422
    assert set(bad.get_json()["errors"]) == {"email", "password", "role"}
    existing = client.post("/api/v1/users", json={**REGISTRATION, "email": "member@example.org"})
    assert (existing.status_code, existing.get_json()) == (202, body)  # nothing tells the two apart
    assert count_users() == 1


def test_tokens_are_issued_hashed_usable_listed_and_revocable(app, member):
    client = app.test_client()
    bad = client.post("/api/v1/tokens", json={"email": "member@example.org", "password": "nope"})
    unknown = client.post("/api/v1/tokens", json={"email": "nobody@example.org", "password": PASSWORD})
    assert bad.status_code == unknown.status_code == 401
    assert bad.get_json()["message"] == unknown.get_json()["message"]

    issued = client.post(
        "/api/v1/tokens", json={"email": "member@example.org", "password": PASSWORD, "name": "laptop"}
    )
    assert issued.status_code == 201
    secret = issued.get_json()["token"]
    stored = db.session.scalar(select(ApiToken))
    assert (
        stored.token_hash == hashlib.sha256(secret.encode()).hexdigest() and secret not in stored.token_hash
    )
    auth = {"Authorization": f"Bearer {secret}"}
    me = client.get("/api/v1/me", headers=auth).get_json()
    assert me["email"] == "member@example.org" and me["profile"]["display_name"] == "Mem Ber"
    listed = client.get("/api/v1/tokens", headers=auth).get_json()
    assert [t["name"] for t in listed] == ["laptop"] and "token" not in listed[0]

    from tests.conftest import log_in

    page = log_in(app.test_client(), member).get(f"/profiles/{member.profile_id}").get_data(as_text=True)
    assert "laptop" in page and stored.prefix in page and secret not in page

    assert client.delete(f"/api/v1/tokens/{stored.id}", headers=auth).status_code == 204
    revoked = client.get("/api/v1/me", headers=auth)
    assert revoked.status_code == 401 and "revoked" in revoked.get_json()["message"]
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer fm_made_up"}).status_code == 401


def test_tokens_from_the_profile_page(as_user, member):
    client = as_user(member)
    created = client.post("/account/tokens", data={"name": "script"})
    secret = created.get_data(as_text=True).split('readonly value="')[1].split('"')[0]
    assert secret.startswith("fm_")
    token_id = db.session.scalar(select(ApiToken.id))
    assert client.post(f"/account/tokens/{token_id}/revoke").status_code == 302
    assert as_user(None).get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    other = create_user("third@example.org", "Third")
    assert as_user(other).post(f"/account/tokens/{token_id}/revoke").status_code == 404


def test_me_needs_a_login_and_edits_the_profile(as_user, member):
    assert as_user(None).get("/api/v1/me").status_code == 401
    client = as_user(member)
    response = client.patch("/api/v1/me", json={"job_title": "Patient governor", "role": "patient"})
    assert response.status_code == 200 and response.get_json()["profile"]["job_title"] == "Patient governor"
    assert client.patch("/api/v1/me", json={"role": "emperor"}).status_code == 422
