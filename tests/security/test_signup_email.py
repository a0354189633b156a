"""Hole 6: nothing the requester typed reaches an address that has not been confirmed, so the forum
cannot be made to mail a stranger someone's lure."""

from __future__ import annotations

import pytest

from forum.platform import mail

LURE = "URGENT your NHS account is locked visit evil-example.com now"


@pytest.mark.parametrize("route", ["/api/v1/users", "/register"])
def test_the_confirmation_email_holds_nothing_the_requester_chose(app, client, route):
    fields = {
        "email": "victim@example.org",
        "password": "kettle orbit marmalade",
        "display_name": LURE[:120],
        "job_title": "Visit evil-example.com",
        "organisation": "evil-example.com support desk",
        "role": "patient",
        "consent": "yes",
    }
    if route.startswith("/api"):
        response = client.post(route, json=fields)
    else:
        response = client.post(route, data=fields)
    assert response.status_code in (202, 200)
    sent = [m for m in mail.outbox() if m.to == "victim@example.org"]
    assert len(sent) == 1
    text = sent[0].subject + sent[0].body + (sent[0].html or "")
    assert "evil" not in text.lower() and "URGENT" not in text


def test_resending_the_link_does_not_carry_the_name_either(app, client):
    client.post(
        "/api/v1/users",
        json={
            "email": "victim@example.org",
            "password": "kettle orbit marmalade",
            "display_name": LURE[:120],
            "consent": True,
        },
    )
    client.post("/register/resend", data={"email": "victim@example.org"})
    for message in mail.outbox():
        assert "evil" not in message.body.lower()
