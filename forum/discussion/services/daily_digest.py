"""Build the daily digests: for each member who asked for one, once a day from their hour on, the
comments published since their last digest in the threads they follow (none when nothing happened),
never one published before they began to follow that thread (they saw it, or replied to it).

Run every few minutes by the worker (and by ``flask notifications digest``): a member is due once
their local time has reached their digest hour and no digest of theirs is recorded for that local
day, so a run missed while the worker was down is made up by the next, and a second run the same
day sends nothing. The digest records which comments it lists; the email is written when it is
delivered, from those of them still published.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from forum.accounts.models import User
from forum.discussion.models import Article, Comment, Follow
from forum.discussion.services.thread_news import public, published_at
from forum.notifications.models import Email, NotificationSettings
from forum.notifications.services import emails, preferences
from forum.notifications.services.preferences import Category
from forum.platform.database import db
from forum.platform.models import utcnow

DIGEST = "thread.digest"
MAX_ITEMS = 100  # a digest lists at most this many comments (the newest), and links to the threads


def build_due(ignore_hour: bool = False, now: datetime | None = None) -> int:
    """Record a digest for each member due one (``ignore_hour``: whatever their hour); return how many."""
    now = now or utcnow()
    members = db.session.execute(
        select(User, NotificationSettings)
        .join(Follow, Follow.user_id == User.id)
        .outerjoin(NotificationSettings, NotificationSettings.user_id == User.id)
        .where(Follow.following.is_(True))
        .distinct()
    ).all()
    built = 0
    for user, row in members:
        prefs = preferences.of(row, user.email)
        if not prefs.wants(Category.FOLLOWED, DIGEST):
            continue
        local = now.astimezone(preferences.time_zone(prefs))
        if not ignore_hour and local.hour < prefs.digest_hour:
            continue
        if _digest_for(user, now, f"digest:{local.date().isoformat()}", prefs):
            built += 1
    return built


def _digest_for(user: User, now: datetime, key: str, prefs: preferences.Preferences) -> bool:
    if db.session.scalar(select(Email.id).where(Email.user_id == user.id, Email.dedupe_key == key)):
        return False
    if not emails.wanted_by(user, DIGEST, prefs):
        return False
    since = _last_until(user.id) or now - timedelta(days=1)
    ids = list(
        db.session.scalars(
            select(Comment.id)
            .join(Article, Article.id == Comment.article_id)
            .join(Follow, Follow.article_id == Comment.article_id)
            .where(
                Follow.user_id == user.id,
                Follow.following.is_(True),
                public(),
                Comment.author_id != user.profile_id,
                published_at() > since,
                published_at() > Follow.updated_at,  # nothing from before they (last) began to follow
                published_at() <= now,
            )
            .order_by(published_at().desc(), Comment.id.desc())
            .limit(MAX_ITEMS)
        )
    )
    if not ids:
        return False  # nothing happened: no email (and the next run may still find something)
    context = {"since": since.isoformat(), "until": now.isoformat(), "comment_ids": sorted(ids)}
    return emails.queue(user.id, DIGEST, key, context=context) is not None


def _last_until(user_id: int) -> datetime | None:
    context = db.session.scalar(
        select(Email.context)
        .where(Email.user_id == user_id, Email.kind == DIGEST)
        .order_by(Email.created_at.desc(), Email.id.desc())
        .limit(1)
    )
    if not context or "until" not in context:
        return None
    return datetime.fromisoformat(context["until"])
