"""Hole 10: hostile JSON (nesting 1,000 deep, a 5,000-digit integer, NaN) is a 400 in the usual error
shape, anonymously or not, on every JSON operation: never a 500."""

from __future__ import annotations

import pytest

from forum.platform.database import db
from tests.factories import make_article

BODIES = {
    "arrays 1,000 deep": "[" * 1000 + "]" * 1000,
    "objects 1,000 deep": '{"a":' * 1000 + "1" + "}" * 1000,
    "a deep value in a real field": '{"email": ' + "[" * 1000 + "]" * 1000 + ', "password": "x"}',
    "a 5,000-digit integer": '{"email": "a@b.org", "password": "x", "parent_id": ' + "9" * 5000 + "}",
    "NaN": '{"body": NaN}',
    "arrays 100,000 deep": "[" * 60000,
}


def json_operations(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") and rule.methods & {"POST", "PUT", "PATCH"}:
            for method in sorted(rule.methods & {"POST", "PUT", "PATCH"}):
                yield method, rule.rule


def fill(rule: str) -> str:
    return (
        rule.replace("<slug>", "talk")
        .replace("<int:comment_id>", "1")
        .replace("<int:", "<")
        .replace("<user_id>", "1")
        .replace("<token_id>", "1")
        .replace("<word_id>", "1")
        .replace("<notification_id>", "1")
    )


@pytest.mark.parametrize("name", sorted(BODIES))
def test_hostile_json_is_a_400_everywhere(app, client, as_user, moderator, name):
    make_article(slug="talk")
    db.session.commit()
    callers = {"anonymous": client, "moderator": as_user(moderator)}
    operations = list(json_operations(app))
    assert len(operations) >= 10
    for who, caller in callers.items():
        for method, rule in operations:
            url = fill(rule)
            response = caller.open(url, method=method, data=BODIES[name], content_type="application/json")
            assert response.status_code in (400, 401, 403, 404, 405, 422), (
                who,
                method,
                url,
                response.status_code,
            )
            if response.status_code in (400, 422):
                assert set(response.get_json()) == {"code", "status", "message", "errors"}


def test_the_refusal_says_what_is_wrong(client):
    deep = client.post("/api/v1/tokens", data="[" * 1000 + "]" * 1000, content_type="application/json")
    assert deep.status_code == 400 and "nests more than" in deep.get_json()["message"]
    digits = client.post(
        "/api/v1/tokens", data='{"email": ' + "1" * 5000 + "}", content_type="application/json"
    )
    assert digits.status_code == 400 and "too long" in digits.get_json()["message"]


def test_ordinary_json_still_goes_through(client, member):
    response = client.post(
        "/api/v1/tokens", json={"email": member.email, "password": "correct horse battery"}
    )
    assert response.status_code == 201
