"""A redaction removes the personal data from every stored text of the comment and from its audit entry.

On today's main the NHS number stays in "Earlier texts" (the revision) for ever, and the audit entry
holds a digest of the text that contained it.
"""

from __future__ import annotations

import json

from sqlalchemy import select

from forum.discussion.models import CommentRevision, HeldEdit
from forum.moderation.models import AuditEntry, RuleHit
from forum.platform.database import db
from tests.factories import make_article

NHS = "943 476 5919"  # a valid NHS number (its check digit holds)


def _everything_stored() -> str:
    db.session.expire_all()
    rows = [
        *db.session.scalars(select(CommentRevision.body)),
        *db.session.scalars(select(CommentRevision.body_html)),
    ]
    rows += list(db.session.scalars(select(HeldEdit.body)))
    rows += list(db.session.scalars(select(RuleHit.matched)))
    for entry in db.session.scalars(select(AuditEntry)):
        rows += [entry.reason or "", entry.before or "", entry.after or ""]
    return "\n".join(rows)


def test_edit_and_approve_scrubs_every_revision_and_the_log_records_spans_only(as_user, member, moderator):
    make_article(slug="talk")
    db.session.commit()
    client = as_user(member)
    posted = client.post("/api/v1/articles/talk/comments", json={"body": f"Mum's number: {NHS}"}).get_json()
    # An earlier text of the (still waiting) comment already carried the number.
    client.patch(f"/api/v1/comments/{posted['id']}", json={"body": f"Her NHS number is {NHS}, ward 4."})
    assert NHS in _everything_stored()  # the earlier text and the rule hit hold it until the redaction
    answer = as_user(moderator).post(
        f"/api/v1/moderation/comments/{posted['id']}/decision",
        json={"action": "redact", "body": "Her NHS number is [removed], ward 4."},
    )
    assert answer.status_code == 200
    stored = _everything_stored()
    assert NHS not in stored and NHS.replace(" ", "") not in stored
    assert "[personal data removed]" in stored
    page = as_user(moderator).get(f"/moderation/comments/{posted['id']}").get_data(as_text=True)
    assert "Earlier texts" in page and NHS not in page
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "comment.redacted"))
    after = json.loads(entry.after)
    start = len("Her NHS number is ")
    assert after["redaction"] == [{"rule": "nhs_number", "start": start, "end": start + len(NHS)}]
    assert "body_sha256" not in json.loads(entry.before)  # a digest would confirm a guessed number
    assert entry.actor_id == moderator.id and entry.created_at is not None
    log = as_user(moderator).get(f"/api/v1/moderation/log?comment={posted['id']}").get_json()
    assert NHS not in json.dumps(log)


def test_a_moderators_edit_of_a_published_comment_scrubs_too(as_user, member, moderator, app):
    app.config["TRUST_AFTER_APPROVED"] = 0
    make_article(slug="talk")
    db.session.commit()
    posted = (
        as_user(member).post("/api/v1/articles/talk/comments", json={"body": "Nothing private."}).get_json()
    )
    as_user(member).patch(f"/api/v1/comments/{posted['id']}", json={"body": f"Call me: {NHS}"})
    answer = as_user(moderator).post(
        f"/api/v1/moderation/comments/{posted['id']}/decision", json={"action": "redact", "body": "Call me."}
    )
    assert answer.status_code == 200
    assert NHS not in _everything_stored()


def test_the_log_says_what_was_removed_in_a_sentence(as_user, member, moderator):
    make_article(slug="talk")
    db.session.commit()
    posted = as_user(member).post("/api/v1/articles/talk/comments", json={"body": f"Number {NHS}"}).get_json()
    as_user(moderator).post(
        f"/api/v1/moderation/comments/{posted['id']}/decision",
        json={"action": "redact", "body": "Number gone"},
    )
    page = as_user(moderator).get("/moderation/log").get_data(as_text=True)
    assert (
        f'>Mod Erator</a> removed an NHS number from <a href="/moderation/comments/{posted["id"]}">' in page
    )
    assert NHS not in page
