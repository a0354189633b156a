"""Server-side sessions: a new key at every login, logouts and password changes that really end sessions."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import Flask
from sqlalchemy import select, update

from forum.accounts.models import ApiToken, UserSession
from forum.platform.database import db
from forum.platform.models import utcnow
from tests.conftest import PASSWORD, log_in

CREDENTIALS = {"email": "member@example.org", "password": PASSWORD}
DOMAIN = "forum.test"  # the tests' SERVER_NAME


def session_cookie(client) -> str:
    cookie = client.get_cookie("session", domain=DOMAIN)
    return cookie.value if cookie else ""


def identity(client) -> str:
    with client.session_transaction() as session:
        return session.get("_user_id", "")


def live(user) -> list[UserSession]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(UserSession).where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
        )
    )


def me(client, **kwargs):
    return client.get("/api/v1/me", **kwargs)


def test_login_starts_a_new_server_side_session_with_a_new_identifier(client, member):
    client.get("/login")  # an anonymous session (for instance one planted by someone else)
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    assert client.post("/login", data=CREDENTIALS).status_code == 302
    first = identity(client)
    user_id, key = first.split(":")
    assert user_id == str(member.id) and len(key) >= 40
    with client.session_transaction() as session:
        assert "planted" not in session  # nothing from before the login carries over
    stored = live(member)
    assert len(stored) == 1 and key not in stored[0].key_hash  # only the key's SHA-256 is stored
    assert client.post("/login", data=CREDENTIALS).status_code == 302
    assert identity(client) != first and len(live(member)) == 2  # every login a new identifier


def test_logout_revokes_the_session_so_a_copied_cookie_no_longer_works(app: Flask, member):
    browser = app.test_client()
    browser.post("/login", data=CREDENTIALS)
    stolen = session_cookie(browser)
    thief = app.test_client()
    thief.set_cookie("session", stolen, domain=DOMAIN)
    assert me(browser).status_code == 200
    assert me(thief).status_code == 200  # a copied cookie works while the session lives...
    assert browser.post("/logout").status_code == 302
    assert me(browser).status_code == 401
    assert me(thief).status_code == 401  # ...and not after: the replayed cookie names a revoked session
    assert live(member) == []


def test_remember_me_cookie_dies_with_its_session(app: Flask, member):
    browser = app.test_client()
    browser.post("/login", data={**CREDENTIALS, "remember": "on"})
    remembered = browser.get_cookie("remember_token", domain=DOMAIN).value
    assert "|" in remembered  # flask-login's signed "<identity>|<digest>"
    # A browser restart: the session cookie is gone, the remember-me cookie logs the person back in.
    restarted = app.test_client()
    restarted.set_cookie("remember_token", remembered, domain=DOMAIN)
    assert me(restarted).status_code == 200
    browser.post("/logout")
    again = app.test_client()
    again.set_cookie("remember_token", remembered, domain=DOMAIN)
    response = me(again)
    assert response.status_code == 401
    assert "remember_token=;" in " ".join(response.headers.getlist("Set-Cookie"))  # and it is cleared


def test_changing_the_password_ends_every_other_session_and_keeps_tokens(app: Flask, member):
    here, elsewhere = app.test_client(), app.test_client()
    here.post("/login", data=CREDENTIALS)
    elsewhere.post("/login", data=CREDENTIALS)
    token = app.test_client().post("/api/v1/tokens", json=CREDENTIALS).get_json()["token"]
    response = here.post(
        "/account/password", data={"current_password": PASSWORD, "new_password": "a brand new password"}
    )
    assert response.status_code == 302
    page = here.get("/account/security").get_data(as_text=True)
    assert "We logged you out of 1 other session(s)." in page
    assert "Your 1 API token(s) still work" in page
    assert me(here).status_code == 200  # this session stays
    assert me(elsewhere).status_code == 401  # the other one is over
    assert me(app.test_client(), headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert app.test_client().post("/login", data=CREDENTIALS).status_code == 401
    assert (
        app.test_client().post("/login", data={**CREDENTIALS, "password": "a brand new password"}).status_code
        == 302
    )


def test_a_wrong_current_password_changes_nothing(as_user, member):
    client = as_user(member)
    old_hash = member.password_hash
    response = client.post(
        "/account/password",
        data={"current_password": "not it at all", "new_password": "a brand new password"},
    )
    assert response.status_code == 422 and "That is not your current password." in response.get_data(
        as_text=True
    )
    db.session.expire_all()
    assert member.password_hash == old_hash and len(live(member)) == 1


def test_password_change_through_the_api(app: Flask, member):
    other = log_in(app.test_client(), member)
    token = app.test_client().post("/api/v1/tokens", json=CREDENTIALS).get_json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    bad = app.test_client().put(
        "/api/v1/me/password",
        json={"current_password": "wrong", "new_password": "a brand new password"},
        headers=bearer,
    )
    assert bad.status_code == 422 and set(bad.get_json()["errors"]) == {"current_password"}
    short = app.test_client().put(
        "/api/v1/me/password", json={"current_password": PASSWORD, "new_password": "short"}, headers=bearer
    )
    assert short.status_code == 422 and set(short.get_json()["errors"]) == {"new_password"}
    done = app.test_client().put(
        "/api/v1/me/password",
        json={"current_password": PASSWORD, "new_password": "a brand new password"},
        headers=bearer,
    )
    assert done.status_code == 200
    # A token has no browser session to keep, so every session ends; the token itself stays.
    assert done.get_json()["sessions_ended"] == 1 and done.get_json()["tokens_kept"] == 1
    assert me(other).status_code == 401 and me(app.test_client(), headers=bearer).status_code == 200


def test_the_account_page_lists_sessions_and_logs_out_everywhere_else(app: Flask, member):
    here = app.test_client()
    here.post(
        "/login", data=CREDENTIALS, headers={"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"}
    )
    phone = app.test_client()
    phone.post(
        "/login",
        data=CREDENTIALS,
        headers={"User-Agent": "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile"},
    )
    page = here.get("/account/security").get_data(as_text=True)
    assert "Firefox on Linux" in page and "Chrome on Android" in page and "this browser" in page
    listed = here.get("/api/v1/me/sessions").get_json()
    assert [(s["device"], s["current"]) for s in listed] == [  # most recently used first
        ("Chrome on Android", False),
        ("Firefox on Linux", True),
    ]
    assert here.post("/account/sessions/end-others").status_code == 302
    assert me(phone).status_code == 401 and me(here).status_code == 200
    assert [s["device"] for s in here.get("/api/v1/me/sessions").get_json()] == ["Firefox on Linux"]


def test_ending_one_session_and_only_your_own(app: Flask, member, other_member):
    mine, second = log_in(app.test_client(), member), log_in(app.test_client(), member)
    theirs = log_in(app.test_client(), other_member)
    their_session = live(other_member)[0].id
    assert mine.post(f"/account/sessions/{their_session}/end").status_code == 404
    assert mine.delete(f"/api/v1/me/sessions/{their_session}").status_code == 404
    assert me(theirs).status_code == 200
    second_id = max(s.id for s in live(member))
    assert mine.delete(f"/api/v1/me/sessions/{second_id}").status_code == 204
    assert me(second).status_code == 401 and me(mine).status_code == 200
    own_id = live(member)[0].id
    assert mine.post(f"/account/sessions/{own_id}/end").status_code == 302  # "log out" this browser
    assert me(mine).status_code == 401


def test_an_idle_session_ends_by_itself(app: Flask, member):
    client = log_in(app.test_client(), member)
    db.session.execute(update(UserSession).values(last_seen_at=utcnow() - timedelta(days=31)))
    db.session.commit()
    assert me(client).status_code == 401


def test_last_seen_is_written_at_most_every_few_minutes(app: Flask, member, count_queries):
    client = log_in(app.test_client(), member)
    me(client)
    with count_queries() as fresh:
        assert me(client).status_code == 200
    assert len(fresh.statements) == 1  # loading the user and checking the session: one query, no write
    long_ago = utcnow() - timedelta(minutes=10)
    db.session.execute(update(UserSession).values(last_seen_at=long_ago))
    db.session.commit()
    with count_queries() as stale:
        assert me(client).status_code == 200
    assert [s.split()[0] for s in stale.statements] == ["SELECT", "UPDATE"]
    db.session.expire_all()
    assert live(member)[0].last_seen_at > long_ago + timedelta(minutes=9)


def test_api_tokens_survive_logout_but_not_a_reset(app: Flask, member):
    browser = app.test_client()
    browser.post("/login", data=CREDENTIALS)
    token = app.test_client().post("/api/v1/tokens", json=CREDENTIALS).get_json()["token"]
    browser.post("/logout")
    assert me(app.test_client(), headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert db.session.scalar(select(ApiToken.revoked_at)) is None


def test_a_forged_identity_without_a_session_key_is_refused(app: Flask, member):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(member.id)  # what the old, record-less cookies held
    assert me(client).status_code == 401
    with client.session_transaction() as session:
        session["_user_id"] = f"{member.id}:made-up-key"
    assert me(client).status_code == 401


def test_csrf_still_guards_the_new_forms(app: Flask, member):
    from tests.functional.test_security import browser_post_routes

    routes = browser_post_routes(app)
    for route in (
        "/account/password",
        "/account/sessions/end-others",
        "/password/forgot",
        "/register/resend",
    ):
        assert route in routes
    assert any(re.match(r"/account/sessions/<int:\w+>/end", r) for r in routes)


def test_logging_in_clears_away_the_accounts_dead_sessions(app: Flask, member, other_member):
    browser = app.test_client()
    browser.post("/login", data=CREDENTIALS)
    browser.post("/logout")
    idle = log_in(app.test_client(), member)
    db.session.execute(
        update(UserSession)
        .where(UserSession.revoked_at.is_(None))
        .values(last_seen_at=utcnow() - timedelta(days=40))
    )
    db.session.commit()
    kept = log_in(app.test_client(), other_member)  # someone else's: never touched
    assert me(idle).status_code == 401
    browser.post("/login", data=CREDENTIALS)
    db.session.expire_all()
    rows = db.session.scalars(select(UserSession).where(UserSession.user_id == member.id)).all()
    assert len(rows) == 1 and rows[0].revoked_at is None  # only the new one is left
    assert me(kept).status_code == 200


def test_a_token_read_records_its_use_at_most_every_few_minutes_and_otherwise_writes_nothing(
    app: Flask, member, count_queries
):
    token = app.test_client().post("/api/v1/tokens", json=CREDENTIALS).get_json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    db.session.execute(update(ApiToken).values(last_used_at=None))
    db.session.commit()
    with count_queries() as first:
        assert me(app.test_client(), headers=bearer).status_code == 200
    # The use is recorded (and committed: on main it was flushed into the read's transaction and
    # rolled back with it, so reads never recorded it), in its own small transaction.
    assert [s.split()[0] for s in first.statements if s.split()[0] in ("UPDATE", "INSERT", "DELETE")] == [
        "UPDATE"
    ]
    db.session.expire_all()
    recorded = db.session.scalar(select(ApiToken.last_used_at))
    assert recorded is not None and utcnow() - recorded < timedelta(minutes=1)
    with count_queries() as within:
        assert me(app.test_client(), headers=bearer).status_code == 200
    assert [s for s in within.statements if not s.lstrip().upper().startswith("SELECT")] == []
    long_ago = utcnow() - timedelta(minutes=10)
    db.session.execute(update(ApiToken).values(last_used_at=long_ago))
    db.session.commit()
    assert me(app.test_client(), headers=bearer).status_code == 200
    db.session.expire_all()
    assert db.session.scalar(select(ApiToken.last_used_at)) > long_ago + timedelta(minutes=9)
