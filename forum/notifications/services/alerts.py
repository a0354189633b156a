"""Alert moderators by email: comments waiting too long (at most one an hour each), and safeguarding.

The safeguarding alert is the delivery path the safeguarding work asks for: call
:func:`safeguarding_alert` in the transaction that records the item, with the on-call moderators'
ids; each gets an email at once (before other waiting email), whatever they chose in their
settings, unless banned or their address bounces. No alert quotes a comment that is not published:
it says what happened and links to where a moderator can look.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from forum.accounts.models import User
from forum.notifications.models import Email
from forum.notifications.services import emails
from forum.platform.database import db
from forum.platform.models import utcnow

WAITING = "moderation.waiting"
SAFEGUARDING = "moderation.safeguarding"


def waiting_alert(moderator_ids: Sequence[int], count: int, oldest: datetime, hours: float) -> list[int]:
    """Tell each moderator (who wants it, and had none in the last hour) that ``count`` items have
    waited more than ``hours``, the oldest since ``oldest``; return the new emails' ids."""
    now = utcnow()
    recent = set(
        db.session.scalars(
            select(Email.user_id).where(
                Email.kind == WAITING,
                Email.user_id.in_(list(moderator_ids)),
                Email.created_at > now - timedelta(hours=1),
            )
        )
    )
    made = []
    context = {"count": count, "oldest": oldest.isoformat(), "hours": hours}
    for user in db.session.scalars(select(User).where(User.id.in_(list(moderator_ids)))):
        if user.id in recent or not user.is_moderator or not emails.wanted_by(user, WAITING):
            continue
        email = emails.queue(user.id, WAITING, f"waiting:{now:%Y-%m-%dT%H}", context=context)
        if email is not None:
            made.append(email.id)
    return made


def safeguarding_alert(
    recipient_ids: Sequence[int], *, reference: str, summary: str, endpoint: str, values: dict[str, Any]
) -> list[int]:
    """Email the given (on-call) moderators at once about a safeguarding item; return the emails' ids.

    ``reference`` names the item (one alert per item and moderator, however often this is called);
    ``summary`` says what happened in the forum's words (never a comment's unpublished text);
    ``endpoint`` and ``values`` say where to look (``url_for`` terms, built from PUBLIC_URL).
    """
    made = []
    context = {"summary": summary, "endpoint": endpoint, "values": values}
    for user in db.session.scalars(select(User).where(User.id.in_(list(recipient_ids)))):
        if not user.is_moderator or not emails.wanted_by(user, SAFEGUARDING):
            continue
        email = emails.queue(
            user.id, SAFEGUARDING, f"safeguarding:{reference}", context=context, priority=True
        )
        if email is not None:
            made.append(email.id)
    return made
