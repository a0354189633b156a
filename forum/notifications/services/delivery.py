"""Deliver one recorded email, once: check it is still wanted, write it, hand it over, record what happened.

At least once: a worker killed after the mail server accepted a message but before the row says
"sent" delivers it again on retry, with the same Message-ID, so mail programs show it once. Two
workers never deliver the same email at the same time (the row is locked, SKIP LOCKED, while it is
sent). Temporary failures are retried with backoff by the job queue until ``MAIL_MAX_ATTEMPTS``;
a permanent one is recorded on the email, and ``MAIL_BOUNCE_AFTER`` of them in a row mark the
member's address as bouncing (no more email to it until they change it or ask to try again).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from forum.accounts.models import User
from forum.notifications.models import Email, EmailState
from forum.notifications.services import compose, emails, preferences
from forum.platform import mail
from forum.platform.database import db
from forum.platform.models import utcnow
from forum.platform.settings import setting


class Outcome(enum.StrEnum):
    """What one delivery attempt came to."""

    SENT = "sent"
    RETRY = "retry"  # a temporary failure: try again later
    FAILED = "failed"
    SKIPPED = "skipped"
    NOTHING = "nothing"  # already done, gone, or being delivered by another worker right now


def deliver(email_id: int) -> Outcome:
    """Deliver the email ``email_id`` if it still waits (see the module's doc for the guarantees)."""
    email = db.session.scalar(select(Email).where(Email.id == email_id).with_for_update(skip_locked=True))
    if email is None or email.state != EmailState.QUEUED:
        return Outcome.NOTHING
    if email.user_id is None:
        return _hand_over(email, compose.account_message(email), None)
    user = db.session.get(User, email.user_id)
    if user is None:
        return _finish(email, EmailState.SKIPPED, "the account no longer exists")
    prefs = preferences.of(preferences.row_for(user.id), user.email)
    if not emails.wanted_by(user, email.kind, prefs):
        return _finish(email, EmailState.SKIPPED, _why_not(user, prefs))
    message = compose.member_message(email, user)
    if message is None:
        return _finish(email, EmailState.SKIPPED, "nothing to tell any more (no longer published)")
    return _hand_over(email, message, user)


def _why_not(user: User, prefs: preferences.Preferences) -> str:
    if prefs.bouncing:
        return "the address is bouncing"
    if emails.banned(user.id):
        return "the member is banned"
    return "the member turned this email off"


def _hand_over(email: Email, message: mail.Message, user: User | None) -> Outcome:
    email.attempts += 1
    try:
        mail.send_now(message)
    except mail.TemporaryFailure as exc:
        email.last_error = str(exc)[:500]
        if email.attempts >= int(setting("MAIL_MAX_ATTEMPTS")):
            return _finish(email, EmailState.FAILED, f"gave up after {email.attempts} attempts: {exc}")
        db.session.flush()
        return Outcome.RETRY
    except mail.PermanentFailure as exc:
        if user is not None:
            _hard_failure(user)
        return _finish(email, EmailState.FAILED, str(exc))
    except mail.NotConfigured as exc:
        return _finish(email, EmailState.SKIPPED, str(exc))
    email.state = EmailState.SENT
    email.sent_at = email.done_at = utcnow()
    email.last_error = None
    if email.user_id is None:
        email.body = None  # it carried a one-time link: nobody needs it any more
    if user is not None:
        row = preferences.row_for(user.id)
        if row is not None and row.hard_bounces:
            row.hard_bounces = 0
    db.session.flush()
    return Outcome.SENT


def _finish(email: Email, state: EmailState, why: str) -> Outcome:
    email.state = state
    email.done_at = utcnow()
    email.last_error = why[:500]
    if email.user_id is None and state != EmailState.QUEUED:
        email.body = None
    db.session.flush()
    return Outcome.FAILED if state == EmailState.FAILED else Outcome.SKIPPED


def _hard_failure(user: User) -> None:
    """Count a permanent failure to the member's address; enough in a row mark it bouncing."""
    preferences.update(user, {})  # make sure the member has a row to record it on
    row = preferences.row_for(user.id)
    assert row is not None
    row.hard_bounces = (row.hard_bounces if row.bounced_address == user.email else 0) + 1
    row.bounced_address = user.email
    if row.hard_bounces >= int(setting("MAIL_BOUNCE_AFTER")) and row.bouncing_since is None:
        row.bouncing_since = utcnow()


@dataclass(frozen=True)
class Backlog:
    """Emails waiting to be delivered, and how long the oldest has waited (for /metrics)."""

    waiting: int
    oldest_seconds: float


def backlog(now: datetime | None = None) -> Backlog:
    """How many emails wait and the oldest one's age: the worker's backlog and lag."""
    count, oldest = db.session.execute(
        select(func.count(Email.id), func.min(Email.created_at)).where(Email.state == EmailState.QUEUED)
    ).one()
    if oldest is not None and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=(now or utcnow()).tzinfo)
    age = ((now or utcnow()) - oldest).total_seconds() if oldest is not None else 0.0
    return Backlog(int(count or 0), max(0.0, age))
