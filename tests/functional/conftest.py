"""Fixtures of the thread pages' tests: a long thread with every kind of reader (issue 23)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from forum.accounts.models import Access, Role, Sanction, SanctionKind
from forum.discussion.models import CommentStatus, ThreadVisit
from forum.discussion.services import member_state
from forum.discussion.thanks_models import CommentThanks
from forum.platform.database import db
from forum.platform.http import templating
from forum.platform.models import utcnow
from tests.conftest import create_user
from tests.factories import make_article, make_comment, make_profile

NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def frozen(monkeypatch):
    """Relative times count from one moment, so two pages built a moment apart can be compared."""
    monkeypatch.setattr(templating, "reading_now", lambda: NOW)


@pytest.fixture
def people(app):
    return {
        "member": create_user("member@example.org", "Mem Ber"),
        "waiting": create_user("waiting@example.org", "Wai Ting"),
        "suspended": create_user("suspended@example.org", "Sus Pended"),
        "moderator": create_user("mod@example.org", "Mod Erator", access=Access.MODERATOR, role="staff"),
    }


@pytest.fixture
def long_talk(app, people):
    """A long thread (so deeper replies fold) written over two days, with the member's own comments
    (one still within its edit window), comments they thanked, and one waiting for a moderator."""
    article = make_article(slug="talk")
    others = [make_profile(f"Person {i} <b>&", Role.CLINICIAN if i % 2 else Role.CARER) for i in range(6)]
    member = people["member"]
    own = db.session.get(type(others[0]), member.profile_id)
    start = NOW - timedelta(days=2)
    made = []
    for i in range(40):
        author = own if i in (3, 39) else others[i % len(others)]
        parent = made[i - 1] if i % 4 in (1, 2, 3) else None  # chains: replies of replies, so folds
        comment = make_comment(article, author, f"Comment {i}: *words* & <more>", parent=parent)
        comment.created_at = start + timedelta(hours=i)
        made.append(comment)
    made[39].created_at = utcnow() - timedelta(minutes=2)  # a last reply, still within its edit window
    waiting_profile = db.session.get(type(others[0]), people["waiting"].profile_id)
    make_comment(article, waiting_profile, "Waiting for a moderator", status=CommentStatus.PENDING)
    db.session.flush()
    for comment in (made[5], made[6], made[21]):
        db.session.add(CommentThanks(comment_id=comment.id, user_id=member.id))
    # Their last visit ended a day ago: the day's comments are new, and open the folds above them.
    db.session.add(ThreadVisit(user_id=member.id, article_id=article.id, seen_at=NOW - timedelta(days=1)))
    suspend(people["suspended"], people["moderator"], "Test.", days=3)
    db.session.commit()
    return article


def suspend(member, moderator, reason, days):
    """Suspend ``member`` from now for ``days`` (added to the session, not committed)."""
    db.session.add(
        Sanction(
            user_id=member.id,
            kind=SanctionKind.SUSPENSION,
            reason=reason,
            starts_at=utcnow(),
            ends_at=utcnow() + timedelta(days=days),
            created_by_id=moderator.id,
        )
    )


@pytest.fixture
def driver_reads(monkeypatch):
    """The state reads member_state sends on psycopg itself (PostgreSQL), which no SQLAlchemy event sees."""
    reads = []
    read = member_state._read_on_driver

    def counted(params):
        reads.append(params)
        return read(params)

    monkeypatch.setattr(member_state, "_read_on_driver", counted)
    return reads
