"""Decide which emails to send and record each one, in the transaction that causes it, for delivery.

Every email is a row of ``emails`` (forum/notifications/models.py) and a ``notifications.deliver``
job; the row's ``dedupe_key`` makes asking twice for the same email (a retried job, a comment
published again after a report) record it once. Preferences are checked here, so nothing unwanted
is queued, and again when the email is delivered, since they may change in between.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, select

from forum.accounts.models import SanctionKind, User
from forum.accounts.services import standing
from forum.notifications.models import Email, Notification
from forum.notifications.services import preferences
from forum.notifications.services.preferences import Preferences
from forum.platform import jobs, mail
from forum.platform.database import db

DELIVER = "notifications.deliver"
DELIVER_URGENT = "notifications.deliver_urgent"  # the same, ahead of the other waiting email
NOTICE = "notifications.notice"
# Emails sent whatever the member chose (their duty on call; account emails have no member).
DUTY_KINDS = frozenset({"moderation.safeguarding"})


def banned(user_id: int) -> bool:
    """Whether a ban is in force on the account (banned members get no email)."""
    sanction = standing.active_sanction(user_id)
    return sanction is not None and sanction.kind == SanctionKind.BAN


def wanted_by(user: User, kind: str, prefs: Preferences | None = None) -> bool:
    """Whether ``user`` should get an email of ``kind`` now: not banned, address not bouncing, and
    (save duty alerts) the kind turned on."""
    prefs = prefs or preferences.preferences(user)
    if prefs.bouncing or banned(user.id):
        return False
    if kind in DUTY_KINDS:
        return True
    category = preferences.category_of(kind)
    return category is not None and prefs.wants(category, kind)


def queue(
    user_id: int,
    kind: str,
    dedupe_key: str,
    *,
    comment_id: int | None = None,
    notification_id: int | None = None,
    context: dict[str, Any] | None = None,
    priority: bool = False,
) -> Email | None:
    """Record one email to a member and ask for its delivery (None when it was already recorded)."""
    exists = db.session.scalar(
        select(Email.id).where(Email.user_id == user_id, Email.dedupe_key == dedupe_key)
    )
    if exists is not None:
        return None
    email = Email(
        kind=kind,
        user_id=user_id,
        comment_id=comment_id,
        notification_id=notification_id,
        dedupe_key=dedupe_key,
        context=context,
    )
    db.session.add(email)
    db.session.flush()
    jobs.later(DELIVER_URGENT if priority else DELIVER, email=email.id)
    return email


def queue_many(kind: str, comment_id: int, user_ids: Sequence[int]) -> list[int]:
    """Record the same email about one comment to many members (one INSERT), and ask for each delivery.

    Members who already have it are left out; returns the new emails' ids.
    """
    key = f"comment:{comment_id}:{kind}"
    wanted = list(dict.fromkeys(user_ids))
    if not wanted:
        return []
    have = set(
        db.session.scalars(select(Email.user_id).where(Email.dedupe_key == key, Email.user_id.in_(wanted)))
    )
    rows = [
        {"kind": kind, "user_id": user_id, "comment_id": comment_id, "dedupe_key": key}
        for user_id in wanted
        if user_id not in have
    ]
    if not rows:
        return []
    ids = list(db.session.scalars(insert(Email).returning(Email.id), rows))
    for email_id in ids:
        jobs.later(DELIVER, email=email_id)
    return ids


def for_notice(notice_id: int) -> Email | None:
    """Turn an in-app notice into an email when its member wants that kind (decisions, replies, ...)."""
    notice = db.session.get(Notification, notice_id)
    if notice is None:
        return None
    user = db.session.get(User, notice.user_id)
    if user is None or not wanted_by(user, notice.kind):
        return None
    return queue(
        user.id, notice.kind, f"notice:{notice.id}", comment_id=notice.comment_id, notification_id=notice.id
    )


def emailable_notice(kind: str) -> bool:
    """Whether a notice of this kind may become an email (kinds a member can turn on or off)."""
    return preferences.category_of(kind) is not None


def store_account_email(message: mail.Message) -> None:
    """Keep an account email (sign-up, password) for the worker, in the request's transaction."""
    email = Email(kind="account", to_address=message.to, subject=message.subject, body=message.body)
    db.session.add(email)
    db.session.flush()
    jobs.later(DELIVER, email=email.id)
