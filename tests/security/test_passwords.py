"""Holes 13 and 14: a password change voids reset links sent before it; easily guessed passwords are
refused wherever a password is chosen, with advice."""

from __future__ import annotations

import pytest

from forum.accounts.services import accounts
from forum.platform.database import db
from forum.platform.errors import ValidationFailed
from tests.conftest import PASSWORD, log_in
from tests.mailbox import latest_link

WEAK = ["1234567890", "password12", " " * 10, "qwertyuiop", "iloveyou123", "Summer2024!"]


def test_a_reset_link_sent_before_a_password_change_no_longer_works(app, client, member):
    client.post("/password/forgot", data={"email": member.email})
    link = latest_link(member.email, "/password/reset")
    owner = log_in(app.test_client(), member)
    changed = owner.post(
        "/account/password", data={"current_password": PASSWORD, "new_password": "a brand new passphrase"}
    )
    assert changed.status_code in (200, 302), changed.get_data(as_text=True)[:300]
    thief = app.test_client()
    page = thief.get(link)
    assert "Choose a new password" not in page.get_data(as_text=True)
    used = thief.post(link, data={"password": "the thief's own passphrase"})
    assert used.status_code != 302
    assert (
        thief.post(
            "/api/v1/tokens", json={"email": member.email, "password": "the thief's own passphrase"}
        ).status_code
        == 401
    )
    assert (
        thief.post(
            "/api/v1/tokens", json={"email": member.email, "password": "a brand new passphrase"}
        ).status_code
        == 201
    )


@pytest.mark.parametrize("weak", WEAK)
def test_weak_passwords_are_refused_at_sign_up_with_advice(client, weak):
    response = client.post(
        "/api/v1/users",
        json={"email": "new@example.org", "password": weak, "display_name": "New Person", "consent": True},
    )
    assert response.status_code == 422
    message = response.get_json()["errors"]["password"][0]
    assert "too easy to guess" in message and "words" in message


@pytest.mark.parametrize("weak", WEAK[:3])
def test_weak_passwords_are_refused_on_change_and_reset(app, as_user, client, member, weak):
    changed = as_user(member).put(
        "/api/v1/me/password", json={"current_password": PASSWORD, "new_password": weak}
    )
    assert changed.status_code == 422 and "new_password" in changed.get_json()["errors"]
    client.post("/password/forgot", data={"email": member.email})
    link = latest_link(member.email, "/password/reset")
    reset = client.post(link, data={"password": weak})
    assert reset.status_code == 422 and "too easy to guess" in reset.get_data(as_text=True)
    # Nothing changed: the old password still opens the account.
    assert (
        client.post("/api/v1/tokens", json={"email": member.email, "password": PASSWORD}).status_code == 201
    )


def test_a_password_made_of_the_persons_own_name_or_address_is_refused(app):
    with pytest.raises(ValidationFailed):
        accounts.register(
            {
                "email": "maryjones@example.org",
                "password": "maryjones1980",
                "display_name": "Mary Jones",
                "consent": True,
            }
        )
    db.session.rollback()


def test_long_passphrases_are_welcome(client):
    response = client.post(
        "/api/v1/users",
        json={
            "email": "new@example.org",
            "password": "kettle orbit marmalade",
            "display_name": "New Person",
            "consent": True,
        },
    )
    assert response.status_code == 202


def test_the_registration_form_shows_why_beside_the_field(client):
    response = client.post(
        "/register",
        data={
            "email": "new@example.org",
            "password": "password12",
            "display_name": "New Person",
            "consent": "yes",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "too easy to guess" in page and 'value="New Person"' in page
