"""All that a member's thread page shows of them, read in one statement: the session that opens
their account, their account and profile, the sanctions in force, their unread count, the article,
and their facts in its thread (services/reader_facts.py).

A member's page kept by their worker (forum/discussion/web/member_pages.py) is answered only while
this reads the same as when the page was built, so the state is read as whole rows, not as the
columns today's templates happen to show: a change to any of them builds the page again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Integer, Select, String, and_, bindparam, cast, func, select, true

from forum.accounts.models import Profile, Sanction, User, UserSession
from forum.accounts.services import sessions, standing
from forum.discussion.models import Article, public_article
from forum.discussion.services import reader_facts, visits
from forum.discussion.services.reader_facts import ReaderFacts
from forum.notifications.models import Notification
from forum.notifications.services import notices
from forum.platform.database import db
from forum.platform.digests import digest

# Long text the page shows is also behind the thread's generations (any edit bumps them, and
# ``updated_at``): left out of the read rather than carried on every request.
_LONG = frozenset({"body", "body_html", "summary"})


@dataclass(frozen=True, slots=True)
class MemberState:
    """What one statement read of a member, their session and an article, as of ``now``."""

    values: tuple[Any, ...]  # every column read: equal values, the same page
    profile_id: int
    article_id: int
    slug: str
    thread_version: int
    facts: ReaderFacts
    touch_due: bool  # the session's use is to be recorded (a write: the page is built)
    visit_due: bool  # the visit is to be recorded or moved on (a write: the page is built)


def read(
    user_id: int, key: str, profile_id: int, article_id: int, now: datetime, config: Any
) -> MemberState | None:
    """Read the state (None when the key opens no live session of the account's, or no article)."""
    row = db.session.execute(
        _statement(),
        {
            "key_hash": digest(key),
            "user_id": user_id,
            "since": now - timedelta(days=config["SESSION_IDLE_DAYS"]),
            "now": now,
            "profile_id": profile_id,
            "article_id": article_id,
            "new_visit_before": visits.new_visit_before(now),
        },
    ).first()
    if row is None:
        return None
    facts = reader_facts.facts_of(row)
    _, record = visits.decide(user_id, article_id, now, facts)
    touch = timedelta(seconds=config["SESSION_TOUCH_SECONDS"])
    values = list(row)
    at = row._fields.index("read_sanctions")
    values[at] = tuple(sorted((values[at] or "").split(",")))  # as a set: the database keeps no order
    return MemberState(
        tuple(values),
        row.read_profile_id,
        row.read_article_id,
        row.read_slug,
        row.read_thread_version,
        facts,
        now - row.read_last_seen_at > touch,
        record is not None,
    )


@cache
def _statement() -> Select[Any]:
    """Built once with parameters (``key_hash``, ``user_id``, ``since``, ``now``, ``profile_id``,
    ``article_id``, ``new_visit_before``): every member's read of a kept page runs it."""
    user_id = bindparam("user_id", type_=Integer)
    article_id = bindparam("article_id", type_=Integer)
    facts = reader_facts.statement().subquery("facts")  # its own FROM: nothing of it correlates
    sanctions = (
        select(func.aggregate_strings(cast(Sanction.id, String), ","))
        .where(standing.in_force(user_id, bindparam("now", type_=Sanction.starts_at.type)))
        .scalar_subquery()
    )
    unread = select(func.count(Notification.id)).where(notices.unread_of(user_id)).scalar_subquery()
    article = [column for column in Article.__table__.c if column.key not in _LONG]
    return (
        select(
            UserSession.id.label("read_session_id"),
            UserSession.last_seen_at.label("read_last_seen_at"),
            User.profile_id.label("read_profile_id"),
            Article.id.label("read_article_id"),
            Article.slug.label("read_slug"),
            Article.thread_version.label("read_thread_version"),
            *UserSession.__table__.c,
            *User.__table__.c,
            *Profile.__table__.c,
            *article,
            sanctions.label("read_sanctions"),
            unread.label("read_unread"),
            *facts.c,
        )
        .select_from(UserSession)
        .join(User, User.id == UserSession.user_id)
        .join(Profile, Profile.id == User.profile_id)
        .join(Article, and_(Article.id == article_id, public_article()))
        .join(facts, true())
        .where(sessions.live())
    )
