"""Suspend and ban members, and lift it; each step is logged."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from forum import permissions
from forum.accounts.models import Sanction, SanctionKind, User
from forum.accounts.services.standing import sanctions_in_force
from forum.accounts.services.viewer import viewer_of
from forum.moderation.services import audit
from forum.platform import validation
from forum.platform.database import db
from forum.platform.errors import Conflict, Forbidden, ValidationFailed
from forum.platform.models import utcnow


def sanction(moderator: User, member: User, kind: SanctionKind, reason: str, days: int | None) -> Sanction:
    """Suspend a member for ``days``, ban them, or pre-moderate everything they post and edit
    (``PREMODERATION``: for ``days``, or until lifted when None), with a reason they will be shown.

    :raises ValidationFailed: without a reason, or a suspension without a positive length.
    :raises Forbidden: when the member is a moderator or admin.
    """
    permissions.ensure_can_moderate(viewer_of(moderator))
    errors: dict[str, list[str]] = {}
    try:
        reason = (
            validation.text(reason, "reason", max_length=1000, blank="Say why; the member will see it.") or ""
        )
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if kind == SanctionKind.SUSPENSION and (days is None or days < 1 or days > 3650):
        errors["days"] = ["A suspension lasts 1 to 3,650 days."]
    if kind == SanctionKind.PREMODERATION and days is not None and not 1 <= days <= 3650:
        errors["days"] = ["Pre-moderation lasts 1 to 3,650 days, or leave it empty for until lifted."]
    if errors:
        raise ValidationFailed(errors=errors)
    if member.is_moderator:
        raise Forbidden("Moderators and admins cannot be suspended; change their access first.")
    now = utcnow()
    ends: datetime | None = now + timedelta(days=days) if kind != SanctionKind.BAN and days else None
    row = Sanction(
        user_id=member.id,
        kind=kind,
        reason=reason,
        starts_at=now,
        ends_at=ends,
        created_by_id=moderator.id,
    )
    db.session.add(row)
    db.session.flush()
    audit.record(
        moderator,
        f"member.{kind.value}",
        target_type="member",
        target_id=member.id,
        member_id=member.id,
        reason=row.reason,
        after={"kind": kind.value, "ends_at": ends.isoformat() if ends else None},
    )
    return row


def lift(moderator: User, member: User, kind: SanctionKind | None = None) -> int:
    """Lift every sanction in force on the member (or only those of ``kind``); return how many.

    :raises Conflict: when none is in force.
    """
    permissions.ensure_can_moderate(viewer_of(moderator))
    now = utcnow()
    lifted = [s for s in sanctions_in_force(member.id) if kind is None or s.kind == kind]
    for current in lifted:
        current.lifted_at = now
        current.lifted_by_id = moderator.id
    db.session.flush()
    if not lifted:
        raise Conflict(
            "This member is not under pre-moderation."
            if kind == SanctionKind.PREMODERATION
            else "This member is not suspended, banned or pre-moderated."
        )
    audit.record(
        moderator,
        "member.sanction_lifted",
        target_type="member",
        target_id=member.id,
        member_id=member.id,
        after={"kinds": sorted({s.kind.value for s in lifted})},
    )
    return len(lifted)


def sanctions_for(member: User) -> list[Sanction]:
    """Return every sanction a member has had, newest first."""
    return list(
        db.session.scalars(
            select(Sanction).where(Sanction.user_id == member.id).order_by(Sanction.starts_at.desc())
        )
    )
