"""Gather everything the forum holds about one member, for them to download (UK GDPR, article 15).

Every category reads the member's own rows, column by column, so a column added to a table is in
the download without anyone remembering to add it — except the secrets (password and key hashes),
which are never given out, and other people's identities (which moderator decided, who else
reported), which are theirs to keep. Moderators' private notes about the member are withheld, as
the law allows for notes kept to moderate fairly; the download says so (``WITHHELD``).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from forum.accounts.models import ApiToken, Consent, Sanction, User, UserSession
from forum.discussion.models import Comment, CommentRevision, Follow, ThreadVisit
from forum.discussion.thanks_models import CommentThanks
from forum.moderation.models import AuditEntry, Flag, RecordView, SafeguardingCase
from forum.notifications.models import Email, Notification, NotificationSettings
from forum.platform.database import db
from forum.platform.models import Base, utcnow

# Never given out: secrets, and the identities of other people in the member's records.
SECRETS = frozenset({"password_hash", "token_hash", "key_hash"})
OTHER_PEOPLE = frozenset(
    {
        "decided_by_id",
        "resolved_by_id",
        "created_by_id",
        "lifted_by_id",
        "verified_by_id",
        "editor_id",
        "first_read_by_id",
        "actor_id",
        "prev_hash",
        "entry_hash",
    }
)
WITHHELD = [
    "The text of account emails not yet sent (they carry one-time links); their subjects are listed.",
    "Moderators' private notes about you, and their notes on safeguarding items: notes kept so that "
    "moderators can act fairly and safely are exempt from the right of access where giving them would "
    "prejudice that work (Data Protection Act 2018, schedule 2). Ask us if you want to know more.",
    "The names of the moderators who made each decision, and of other members who reported the same "
    "comment: that is their personal data.",
]
CATEGORIES = (
    "account",
    "profile",
    "comments",
    "reports",
    "notifications",
    "emails",
    "follows",
    "thread_visits",
    "thanks_given",
    "settings",
    "sessions",
    "tokens",
    "consents",
    "sanctions",
    "moderation_decisions",
    "safeguarding",
    "record_views",
)


def _value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


def row(obj: Base, *, leave_out: Iterable[str] = ()) -> dict[str, Any]:
    """One row as plain data: every column but the secrets, other people and ``leave_out``."""
    skip = SECRETS | OTHER_PEOPLE | set(leave_out)
    return {c.key: _value(getattr(obj, c.key)) for c in obj.__table__.columns if c.key not in skip}


def _rows(query: Any, **kwargs: Any) -> list[dict[str, Any]]:
    return [row(found, **kwargs) for found in db.session.scalars(query)]


def gather(user: User) -> dict[str, Any]:
    """Everything held about ``user``, by category (a fixed number of queries)."""
    comments = list(
        db.session.scalars(select(Comment).where(Comment.author_id == user.profile_id).order_by(Comment.id))
    )
    ids = [c.id for c in comments]
    revisions: dict[int, list[dict[str, Any]]] = {}
    if ids:
        for revision in db.session.scalars(
            select(CommentRevision).where(CommentRevision.comment_id.in_(ids)).order_by(CommentRevision.id)
        ):
            revisions.setdefault(revision.comment_id, []).append(row(revision, leave_out=("comment_id",)))
    settings = db.session.get(NotificationSettings, user.id)
    decisions = (
        select(AuditEntry)
        .where(AuditEntry.member_id == user.id, AuditEntry.action.not_like("member.note%"))
        .order_by(AuditEntry.id)
    )
    cases = select(SafeguardingCase).where(SafeguardingCase.comment_id.in_(ids)) if ids else None
    return {
        "exported_at": utcnow().isoformat(),
        "about": "Everything this forum holds about you. Times are in UTC.",
        "account": row(user),
        "profile": row(user.profile),
        "comments": [{**row(c), "earlier_texts": revisions.get(c.id, [])} for c in comments],
        "reports": _rows(select(Flag).where(Flag.flagger_id == user.id).order_by(Flag.id)),
        "notifications": _rows(
            select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
        ),
        "emails": _rows(
            select(Email).where(Email.user_id == user.id).order_by(Email.id), leave_out=("body",)
        ),
        "follows": _rows(select(Follow).where(Follow.user_id == user.id)),
        "thread_visits": _rows(select(ThreadVisit).where(ThreadVisit.user_id == user.id)),
        "thanks_given": _rows(
            select(CommentThanks).where(CommentThanks.user_id == user.id).order_by(CommentThanks.created_at)
        ),
        "settings": row(settings) if settings else None,
        "sessions": _rows(select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.id)),
        "tokens": _rows(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)),
        "consents": _rows(
            select(Consent).where(Consent.user_id == user.id).order_by(Consent.accepted_at, Consent.id),
            leave_out=("user_id",),
        ),
        "sanctions": _rows(select(Sanction).where(Sanction.user_id == user.id).order_by(Sanction.id)),
        "moderation_decisions": _rows(decisions),
        "safeguarding": _rows(cases, leave_out=("note",)) if cases is not None else [],
        "record_views": _rows(
            select(RecordView).where(RecordView.member_id == user.id).order_by(RecordView.id),
            leave_out=("moderator_id", "member_id"),
        ),
        "withheld": WITHHELD,
    }
