"""Personal data in imported comments: the importer takes it out of the published text as the
forum's rules would hold it from any member; moderators can put a piece back (issue 20)."""

from __future__ import annotations

from sqlalchemy import select

from forum.discussion.models import Comment
from forum.discussion.services.text import normalise_comment
from forum.moderation.models import AuditEntry
from forum.platform.database import db
from forum.seeding.models import ImportRedaction
from forum.seeding.services.loader import load_seeds, source_text
from tests.conftest import SEEDS_DIR
from tests.seed_expectations import REDACTED

PUBLIC_PATHS = (
    "/articles/shared-decision-making",
    "/api/v1/articles/shared-decision-making/comments",
    "/api/v1/comments/547779",
    "/api/v1/comments/547780",
    "/articles/shared-decision-making/comments.atom",
    "/feeds/articles.atom",
    "/search?q=Duman",
    "/api/v1/search?q=Duman",
    "/search?q=Marcus",
)


def test_the_mobile_number_and_the_email_appear_nowhere_public(seeded, as_user, member):
    for client in (as_user(None), as_user(member)):
        for path in PUBLIC_PATHS:
            page = client.get(path).get_data(as_text=True)
            assert "07824" not in page and "605 352" not in page, path
            assert "m.powell@kingsfund" not in page, path
    for query in ("07824", "605 352", "kingsfund.org.uk", "m.powell"):
        found = as_user(None).get(f"/api/v1/search?q={query}").get_json()
        assert not any(
            r.get("comment_id") in REDACTED or r.get("id") in REDACTED for r in found.get("results", [])
        )


def test_the_rest_of_their_text_is_exact(seeded):
    for number, (data, label) in REDACTED.items():
        source = source_text(SEEDS_DIR, number)
        assert data in source  # the seed file itself is unchanged
        assert db.session.get(Comment, number).body == source.replace(data, label)


def test_what_was_taken_out_is_recorded_without_the_data(seeded):
    rows = db.session.scalars(select(ImportRedaction).order_by(ImportRedaction.comment_id)).all()
    assert [(r.comment_id, r.rule, r.label) for r in rows] == [
        (547779, "uk_phone", "[phone number removed]"),
        (547780, "email", "[email address removed]"),
    ]
    for row in rows:
        values = " ".join(str(getattr(row, c.key)) for c in ImportRedaction.__table__.columns)
        assert "07824" not in values and "kingsfund.org.uk" not in values
        assert db.session.get(Comment, row.comment_id).body[row.start :].startswith(row.label)
    assert seeded.documents[0].redactions == 2


def test_loading_twice_changes_nothing(seeded):
    report = load_seeds(SEEDS_DIR)
    db.session.commit()
    assert sum(d.redactions for d in report.documents) == 0
    assert db.session.scalar(select(db.func.count()).select_from(ImportRedaction)) == 2


def test_a_database_loaded_before_redaction_is_redacted_once_and_a_moderated_comment_is_left_alone(seeded):
    for number in REDACTED:
        db.session.get(Comment, number).body = source_text(SEEDS_DIR, number)  # as an older loader left it
    db.session.execute(ImportRedaction.__table__.delete())
    db.session.get(Comment, 547780).body = "A moderator's edit: email address removed."
    db.session.commit()
    report = load_seeds(SEEDS_DIR)
    db.session.commit()
    assert sum(d.redactions for d in report.documents) == 1
    assert "[phone number removed]" in db.session.get(Comment, 547779).body
    assert db.session.get(Comment, 547780).body == "A moderator's edit: email address removed."


def test_the_moderators_page_lists_them_and_a_moderator_can_put_one_back_with_a_reason(
    seeded, as_user, moderator, member
):
    assert as_user(member).get("/moderation/imported").status_code == 403
    client = as_user(moderator)
    page = client.get("/moderation/imported").get_data(as_text=True)
    assert page.count("Imported: redacted automatically") == 2 and "07824" not in page
    email = db.session.scalar(select(ImportRedaction).where(ImportRedaction.rule == "email"))
    refused = client.post(
        f"/moderation/imported/{email.id}/restore", data={"reason": ""}, follow_redirects=True
    )
    assert "Say why it is right to show it." in refused.get_data(as_text=True)
    done = client.post(
        f"/moderation/imported/{email.id}/restore",
        data={"reason": "A published work address, on the original page."},
        follow_redirects=True,
    )
    assert "the original text is back" in done.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Comment, 547780).body == normalise_comment(source_text(SEEDS_DIR, 547780))
    assert "m.powell@kingsfund.org.uk" in as_user(None).get("/api/v1/comments/547780").get_data(as_text=True)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "seed.redaction_restored"))
    assert entry.actor_id == moderator.id and entry.comment_id == 547780
    assert entry.reason == "A published work address, on the original page."
    assert "kingsfund.org.uk" not in (entry.after or "") + (entry.before or "")
    again = client.post(
        f"/moderation/imported/{email.id}/restore", data={"reason": "again"}, follow_redirects=True
    )
    assert "put back already" in again.get_data(as_text=True)
