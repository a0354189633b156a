"""Read the audit log: entries by comment, member or moderator, and the names of the people in them."""

from __future__ import annotations

from sqlalchemy import func, or_, select

from forum.accounts.models import Profile, User
from forum.moderation.models import AuditEntry
from forum.platform.database import db
from forum.platform.errors import NotFound, ValidationFailed


def audit_entries(
    comment_id: int | None = None,
    member_id: int | None = None,
    actor_id: int | None = None,
    limit: int = 200,
    before: int | None = None,
) -> list[AuditEntry]:
    """Return log entries, newest first, filtered by comment, member acted upon, or moderator.

    ``before`` (an entry id) pages back through the log: entries older than that one.
    """
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if comment_id is not None:
        query = query.where(AuditEntry.comment_id == comment_id)
    if member_id is not None:
        query = query.where(AuditEntry.member_id == member_id)
    if actor_id is not None:
        query = query.where(AuditEntry.actor_id == actor_id)
    if before is not None:
        query = query.where(AuditEntry.id < before)
    return list(db.session.scalars(query))


def entry(entry_id: int) -> AuditEntry:
    """Return one entry.

    :raises NotFound: when there is none.
    """
    found = db.session.get(AuditEntry, entry_id)
    if found is None:
        raise NotFound("There is no such log entry.")
    return found


def find_account(name_or_email: str) -> int:
    """The account whose display name or email is ``name_or_email`` (any case), for the log's filters.

    :raises ValidationFailed: when nobody, or more than one person, goes by it.
    """
    wanted = "".join(ch for ch in name_or_email if ch.isprintable()).strip().casefold()
    ids = list(
        db.session.scalars(
            select(User.id)
            .join(Profile, Profile.id == User.profile_id)
            .where(or_(func.lower(Profile.display_name) == wanted, User.email == wanted))
            .limit(2)
        )
    )
    if len(ids) != 1:
        problem = (
            "Nobody goes by that name or email."
            if not ids
            else "Several people go by that name; use their email."
        )
        raise ValidationFailed(errors={"person": [problem]})
    return ids[0]


def account_names(user_ids: set[int]) -> dict[int, str]:
    """Return the display names of these accounts (one query), for the log's people."""
    if not user_ids:
        return {}
    rows = db.session.execute(
        select(User.id, Profile.display_name)
        .join(Profile, Profile.id == User.profile_id)
        .where(User.id.in_(user_ids))
    )
    return {row.id: row.display_name for row in rows}
