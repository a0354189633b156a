"""Retention: refused comments' text after 90 days, earlier texts after 365, dead sign-ups and
sessions — replaced by a marker, never silently, with a fixed clock (issue 20, "Retention")."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.accounts.models import Registration, UserSession
from forum.discussion.models import Comment, CommentRevision, CommentStatus
from forum.moderation.models import AuditEntry, RuleHit
from forum.platform.database import db
from forum.platform.models import utcnow
from forum.privacy.services import retention
from tests.factories import make_article, make_comment

NOW = utcnow()


def _decided(comment, moderator, days_ago):
    moderator_id = moderator.id  # read first: a refresh would flush half a decision
    comment.decided_at, comment.decided_by_id = NOW - timedelta(days=days_ago), moderator_id


@pytest.fixture
def comments(app, member, moderator):
    article = make_article(slug="talk")
    old = make_comment(article, member.profile, "Ring me on 07700 900123", status=CommentStatus.REJECTED)
    _decided(old, moderator, 91)
    db.session.add(RuleHit(comment_id=old.id, rule="uk_phone", matched="07700 900123", start=10, end=22))
    db.session.add(
        CommentRevision(
            comment_id=old.id,
            editor_id=member.profile_id,
            body="My number: 07700 900123",
            body_html="<p>My number: 07700 900123</p>",
            created_at=NOW - timedelta(days=92),
        )
    )
    recent = make_comment(article, member.profile, "Recently refused words", status=CommentStatus.REMOVED)
    _decided(recent, moderator, 89)
    published = make_comment(article, member.profile, "Published and kept", status=CommentStatus.APPROVED)
    db.session.add_all(
        [
            CommentRevision(
                comment_id=published.id,
                editor_id=member.profile_id,
                body="A year-old first draft",
                body_html="<p>A year-old first draft</p>",
                created_at=NOW - timedelta(days=366),
            ),
            CommentRevision(
                comment_id=published.id,
                editor_id=member.profile_id,
                body="A recent draft",
                body_html="<p>A recent draft</p>",
                created_at=NOW - timedelta(days=10),
            ),
        ]
    )
    db.session.commit()
    return old.id, recent.id, published.id


def test_refused_text_goes_after_90_days_with_its_earlier_texts_and_rule_hits(app, comments):
    old, recent, published = comments
    purged = retention.run(NOW)
    db.session.commit()
    db.session.expire_all()
    gone = db.session.get(Comment, old)
    assert gone.body.startswith("[The text of this comment was removed after 90 days")
    assert "07700" not in gone.body_html and gone.text_purged_at is not None
    assert gone.status == CommentStatus.REJECTED  # the comment and its decision stay
    assert db.session.scalar(select(func.count()).select_from(RuleHit).where(RuleHit.comment_id == old)) == 0
    revisions = db.session.scalars(
        select(CommentRevision.body).where(CommentRevision.comment_id == old)
    ).all()
    assert revisions and all("07700" not in body for body in revisions)
    assert db.session.get(Comment, recent).body == "Recently refused words"  # 89 days: kept
    assert db.session.get(Comment, published).body == "Published and kept"
    assert purged.refused_texts == 1


def test_earlier_texts_go_after_a_year_and_the_run_is_logged(app, comments):
    _, _, published = comments
    purged = retention.run(NOW)
    db.session.commit()
    bodies = db.session.scalars(
        select(CommentRevision.body)
        .where(CommentRevision.comment_id == published)
        .order_by(CommentRevision.id)
    ).all()
    assert (
        bodies[0].startswith("[This earlier text was removed after 365 days")
        and bodies[1] == "A recent draft"
    )
    assert purged.earlier_texts == 2  # the year-old draft, and the refused comment's earlier text
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "retention.purged"))
    assert entry is not None and '"refused_texts":1' in entry.after


def test_a_second_run_changes_nothing(app, comments):
    retention.run(NOW)
    db.session.commit()
    again = retention.run(NOW)
    assert again == retention.Purged(0, 0, 0, 0, 0)


def test_the_periods_are_settings(app, comments):
    _, recent, _ = comments
    app.config["RETAIN_REJECTED_DAYS"] = 30
    retention.run(NOW)
    db.session.commit()
    assert "after 30 days" in db.session.get(Comment, recent).body


def test_dead_sign_ups_and_sessions_go(app, member, runner):
    db.session.add(
        Registration(
            email="late@example.org",
            password_hash="x",
            display_name="Late",
            role="patient",
            token_hash="a" * 64,
            expires_at=NOW - timedelta(hours=1),
        )
    )
    db.session.add(
        Registration(
            email="soon@example.org",
            password_hash="x",
            display_name="Soon",
            role="patient",
            token_hash="b" * 64,
            expires_at=NOW + timedelta(hours=1),
        )
    )
    db.session.add(UserSession(user_id=member.id, key_hash="c" * 64, last_seen_at=NOW - timedelta(days=31)))
    db.session.add(UserSession(user_id=member.id, key_hash="d" * 64, last_seen_at=NOW))
    db.session.commit()
    result = runner.invoke(args=["retention", "run"])
    assert result.exit_code == 0, result.output
    assert "1 unconfirmed sign-ups, 1 ended sessions" in result.output
    db.session.expire_all()
    assert db.session.scalars(select(Registration.email)).all() == ["soon@example.org"]
    assert db.session.scalars(select(UserSession.key_hash)).all() == ["d" * 64]


def test_the_worker_runs_it_nightly(app):
    from forum.platform import jobs

    assert jobs.jobs(app).periodic["privacy.retention"].cron == "17 3 * * *"


def test_the_audit_log_shows_the_run(app, comments, as_user, moderator, runner):
    retention.run(NOW)
    db.session.commit()
    assert as_user(moderator).get("/moderation/log").status_code == 200
    assert as_user(moderator).get("/api/v1/moderation/log").status_code == 200
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
