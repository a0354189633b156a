"""Plant the XSS corpus in every field people and moderators type, through the API and the forms.

Each payload of tests/browser/data/xss_payloads.json becomes, for one payload person: their display
name, job title, organisation and bio, a comment (approved, so it is public) and a second one held
for review by a banned word (shown highlighted in the queue), a report note on someone else's
comment and the way their role was verified. Across the corpus it is also: a banned word, a
moderator's private note and a suspension reason on one member, a rejection note to one of two
authors, and an API token name on one member. Values the forum refuses (control characters,
lengths) are simply not planted; the rest must show as stored.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import select

from forum.accounts.models import Access, ApiToken, Profile, Role, Sanction, User
from forum.accounts.services import tokens
from forum.discussion.models import Comment
from forum.moderation.models import BannedWord, Flag, MemberNote
from forum.platform import validation
from forum.platform.database import db
from tests.conftest import create_user, log_in
from tests.factories import make_article

CORPUS: dict[str, list[str]] = json.loads((Path(__file__).parent / "data" / "xss_payloads.json").read_text())
PAYLOADS = [payload for items in CORPUS.values() for payload in items]
PASSWORD = "correct horse battery"  # as tests/conftest.py's create_user
THREAD, QUEUED, REJECTED = "xss-thread", "xss-queued", "xss-rejected"


@dataclass
class Planted:
    """Who is who, and where each stored value must show."""

    moderator_email: str
    keeper_email: str
    keeper_profile_id: int
    rejectee_emails: list[str]
    subject_id: int
    profile_ids: list[int]
    comment_ids: list[int]
    accepted: dict[str, int] = field(default_factory=dict)  # field -> how many payloads it took
    texts: dict[str, list[str]] = field(default_factory=dict)  # page group -> stored plain texts


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def _csrf(client: Any) -> str:
    page = client.get("/account/profile").get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "no CSRF token on the profile form"
    return match.group(1)


def plant(app: Flask) -> Planted:
    """Put every payload everywhere; return what was stored and where it shows."""
    client = app.test_client()
    with app.app_context():
        moderator = create_user("xss-mod@example.org", "XSS Moderator", access=Access.MODERATOR, role="staff")
        admin = create_user("xss-admin@example.org", "XSS Admin", access=Access.ADMIN, role="staff")
        keeper = create_user("xss-keeper@example.org", "Token Keeper")
        rejectees = [create_user(f"xss-rejected{i}@example.org", f"Rejected {i}") for i in range(2)]
        subject = create_user("xss-subject@example.org", "Noted Member")
        for slug in (THREAD, QUEUED, REJECTED):
            make_article(slug=slug, title=f"XSS {slug}")
        people = []
        for i in range(len(PAYLOADS)):  # the hash is reused: no password hashing per person
            profile = Profile(display_name=f"Person {i}", role=Role.PATIENT)
            people.append(
                User(email=f"xss-{i}@example.org", password_hash=moderator.password_hash, profile=profile)
            )
        db.session.add_all(people)
        db.session.flush()
        secrets = [tokens.create_token(u, "xss")[1] for u in people]
        mod_secret = tokens.create_token(moderator, "xss")[1]
        admin_secret = tokens.create_token(admin, "xss")[1]
        rejectee_secrets = [tokens.create_token(u, "xss")[1] for u in rejectees]
        planted = Planted(
            moderator.email,
            keeper.email,
            keeper.profile_id,
            [u.email for u in rejectees],
            subject.id,
            [u.profile_id for u in people],
            [],
        )
        db.session.commit()
        keeper_id = keeper.id

    def count(name: str, ok: bool) -> None:
        planted.accepted[name] = planted.accepted.get(name, 0) + int(ok)

    mod = _bearer(mod_secret)
    for i, (payload, secret) in enumerate(zip(PAYLOADS, secrets, strict=True)):
        fields = ("display_name", "job_title", "organisation", "bio")
        reply = client.patch("/api/v1/me", json=dict.fromkeys(fields, payload), headers=_bearer(secret))
        if reply.status_code == 200:
            for name in fields:
                count(name, True)
            # Stored as typed, but for the documented normalisation (forum/validation.py).
            profile = reply.get_json()["profile"]
            assert profile["display_name"] == validation.clean_line(payload, max_length=120)
            assert profile["job_title"] == validation.clean_line(payload, max_length=200)
        else:  # one field refused it: try them one by one
            for name in fields:
                reply = client.patch("/api/v1/me", json={name: payload}, headers=_bearer(secret))
                assert reply.status_code in (200, 422), reply.get_data(as_text=True)
                count(name, reply.status_code == 200)
        reply = client.post(
            f"/api/v1/articles/{THREAD}/comments", json={"body": payload}, headers=_bearer(secret)
        )
        assert reply.status_code in (201, 422), reply.get_data(as_text=True)
        count("comment", reply.status_code == 201)
        if reply.status_code == 201:
            planted.comment_ids.append(reply.get_json()["id"])
        reply = client.post(
            f"/api/v1/moderation/profiles/{planted.profile_ids[i]}/verification",
            json={"method": payload},
            headers=mod,
        )
        count("verification", reply.status_code == 200)
        reply = client.post(
            "/api/v1/moderation/banned-words", json={"word": payload}, headers=_bearer(admin_secret)
        )
        count("banned_word", reply.status_code == 201)
    for start in range(0, len(planted.comment_ids), 200):
        ids = planted.comment_ids[start : start + 200]
        reply = client.post(
            "/api/v1/moderation/decisions", json={"comment_ids": ids, "action": "approve"}, headers=mod
        )
        assert reply.status_code == 200, reply.get_data(as_text=True)
    for i, (payload, secret) in enumerate(zip(PAYLOADS, secrets, strict=True)):
        target = planted.comment_ids[(i + 1) % len(planted.comment_ids)]
        reply = client.post(
            f"/api/v1/comments/{target}/flags",
            json={"reason": "other", "note": payload},
            headers=_bearer(secret),
        )
        count("flag_note", reply.status_code == 201)
        # Held for review: it repeats a banned word (and the same text as before).
        reply = client.post(
            f"/api/v1/articles/{QUEUED}/comments", json={"body": payload}, headers=_bearer(secret)
        )
        count("queued_comment", reply.status_code == 201)
        reply = client.post(
            f"/api/v1/moderation/members/{planted.subject_id}/notes", json={"body": payload}, headers=mod
        )
        count("member_note", reply.status_code == 201)
        reply = client.post(
            f"/api/v1/moderation/members/{planted.subject_id}/sanctions",
            json={"kind": "suspension", "days": 1, "reason": payload},
            headers=mod,
        )
        count("sanction_reason", reply.status_code == 201)
        rejectee = _bearer(rejectee_secrets[i % 2])
        reply = client.post(
            f"/api/v1/articles/{REJECTED}/comments", json={"body": f"Draft {i}"}, headers=rejectee
        )
        assert reply.status_code == 201, reply.get_data(as_text=True)
        decision = {"action": "reject", "reason": "other", "note": payload}
        reply = client.post(
            f"/api/v1/moderation/comments/{reply.get_json()['id']}/decision", json=decision, headers=mod
        )
        count("rejection_note", reply.status_code == 200)
    with app.app_context():
        keeper_client = log_in(app.test_client(), db.session.get(User, keeper_id))
    token = _csrf(keeper_client)
    for payload in PAYLOADS:
        reply = keeper_client.post("/account/tokens", data={"name": payload, "csrf_token": token})
        count("token_name", reply.status_code == 200)
    with app.app_context():
        planted.texts = stored_texts(planted, keeper_id)
    return planted


def stored_texts(planted: Planted, keeper_id: int) -> dict[str, list[str]]:
    """Read back what was stored, grouped by the pages that must show it as plain text."""
    s = db.session
    profiles = s.scalars(select(Profile).where(Profile.id.in_(planted.profile_ids))).all()
    by_profile = {
        f"profile:{p.id}": [
            v for v in (p.display_name, p.job_title, p.organisation, p.bio, p.verification_method) if v
        ]
        for p in profiles
    }
    subject_notes = s.scalars(select(MemberNote.body).where(MemberNote.user_id == planted.subject_id)).all()
    reasons = s.scalars(select(Sanction.reason).where(Sanction.user_id == planted.subject_id)).all()
    return {
        **by_profile,
        # The names of those whose comment is on the thread.
        "thread-names": list(
            s.scalars(
                select(Profile.display_name)
                .join(Comment, Comment.author_id == Profile.id)
                .where(Comment.id.in_(planted.comment_ids))
            ).all()
        ),
        "flag-notes": [n for n in s.scalars(select(Flag.note)).all() if n],
        "banned-words": list(s.scalars(select(BannedWord.word)).all()),
        "member-page": [*subject_notes, *reasons],
        "rejection-notes": [n for n in s.scalars(select(Comment.decision_note)).all() if n],
        "token-names": list(s.scalars(select(ApiToken.name).where(ApiToken.user_id == keeper_id)).all()),
    }
