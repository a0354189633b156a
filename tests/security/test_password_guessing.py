"""Hole 1: guesses at the current password are throttled by the account the caller is, never by a field
the client sends."""

from __future__ import annotations

from flask import Flask

from forum.accounts.services import tokens
from forum.platform.database import db
from tests.conftest import PASSWORD, log_in


def _guesses(client, url: str, *, json: bool, extra: dict[str, str], n: int = 8) -> list[int]:
    statuses = []
    for i in range(n):
        body = {"current_password": f"guess number {i}", "new_password": "a new passphrase 99"}
        body.update({key: value.format(i=i) for key, value in extra.items()})
        if json:
            statuses.append(client.put(url, json=body).status_code)
        else:
            statuses.append(client.post(url, data=body).status_code)
    return statuses


def test_change_password_form_is_throttled_by_the_session_account_whatever_email_is_sent(
    strict_app: Flask, member
):
    client = log_in(strict_app.test_client(), member)
    # A different made-up email each time: each would have been a fresh counter before.
    statuses = [
        client.post(
            "/account/password",
            data={
                "current_password": f"guess {i}",
                "new_password": "a new passphrase 99",
                "email": f"x{i}@e.org",
            },
        ).status_code
        for i in range(8)
    ]
    assert statuses[:5] == [422] * 5
    assert statuses[5:] == [429] * 3
    # The right password is refused too once the budget is spent: guessing cannot win by luck.
    late = client.post(
        "/account/password", data={"current_password": PASSWORD, "new_password": "a new passphrase 99"}
    )
    assert late.status_code == 429


def test_change_password_api_is_throttled_with_a_token_and_any_email(strict_app: Flask, member):
    _, secret = tokens.create_token(member, "script")
    db.session.commit()
    client = strict_app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    statuses = _guesses(client, "/api/v1/me/password", json=True, extra={"email": "someone{i}@else.org"})
    assert statuses == [422] * 5 + [429] * 3


def test_password_changes_and_logins_share_one_budget_per_account(strict_app: Flask, member):
    client = log_in(strict_app.test_client(), member)
    for i in range(3):
        assert (
            client.post(
                "/account/password", data={"current_password": f"g{i}", "new_password": "a new passphrase 99"}
            ).status_code
            == 422
        )
    anonymous = strict_app.test_client()
    statuses = [
        anonymous.post("/api/v1/tokens", json={"email": member.email, "password": "wrong"}).status_code
        for _ in range(3)
    ]
    assert statuses == [401, 401, 429]


def test_a_logged_in_caller_cannot_spend_someone_elses_login_budget_on_their_own(
    strict_app: Flask, member, other_member
):
    """Logging in while logged in still counts against the account tried, not the caller's."""
    client = log_in(strict_app.test_client(), member)
    statuses = [
        client.post("/api/v1/tokens", json={"email": other_member.email, "password": "nope"}).status_code
        for _ in range(6)
    ]
    assert statuses == [401] * 5 + [429]
    # The caller's own budget is untouched.
    assert (
        client.post(
            "/account/password", data={"current_password": "g", "new_password": "a new passphrase 99"}
        ).status_code
        == 422
    )


def test_guesses_through_a_confirmation_link_share_the_addresses_budget(strict_app: Flask):
    from tests.mailbox import latest_link

    client = strict_app.test_client()
    with strict_app.app_context():
        client.post(
            "/api/v1/users",
            json={
                "email": "joiner@example.org",
                "password": "kettle orbit marmalade",
                "display_name": "Jo Iner",
                "consent": True,
            },
        )
        link = latest_link("joiner@example.org", "/register/confirm")
    token = link.split("token=")[1]
    statuses = [
        client.post("/register/confirm", data={"token": token, "password": f"guess {i}"}).status_code
        for i in range(7)
    ]
    assert 429 in statuses and statuses.index(429) <= 5
