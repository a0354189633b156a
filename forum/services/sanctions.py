"""Suspend and ban members, keep private notes on them, verify roles and change access."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_, select

from forum import validation
from forum.errors import Conflict, Forbidden, NotFound, ValidationFailed
from forum.extensions import db
from forum.models import Access, MemberNote, Profile, RoleSource, Sanction, SanctionKind, User
from forum.models.base import utcnow
from forum.services import audit


class Suspended(Forbidden):
    """The member may read but not post or report."""


def in_force(
    user_id: int | ColumnElement[int], now: datetime | ColumnElement[datetime]
) -> ColumnElement[bool]:
    """The SQL condition "this sanction of the member's holds at ``now``" (values or bound parameters)."""
    return and_(
        Sanction.user_id == user_id,
        Sanction.lifted_at.is_(None),
        Sanction.starts_at <= now,
        or_(Sanction.ends_at.is_(None), Sanction.ends_at > now),
    )


def active_sanction(user_id: int) -> Sanction | None:
    """Return the member's sanction in force now (a ban before a suspension), if any."""
    now = utcnow()
    rows = db.session.scalars(select(Sanction).where(in_force(user_id, now))).all()
    return max(rows, key=lambda s: (s.ends_at is None, s.ends_at or now), default=None)


def describe(sanction: Sanction) -> str:
    """Say to the member what they cannot do, until when and why."""
    if sanction.kind == SanctionKind.BAN or sanction.ends_at is None:
        when = "You have been banned from posting"
    else:
        when = f"You are suspended from posting until {sanction.ends_at:%d %B %Y, %H:%M} UTC"
    return f"{when}: {sanction.reason} You can still read the forum."


def ensure_can_act(user: User) -> None:
    """Refuse posting, editing and reporting while a sanction is in force.

    :raises Suspended: with when it ends and why.
    """
    sanction = active_sanction(user.id)
    if sanction is not None:
        raise Suspended(describe(sanction))


def get_member(user_id: int) -> User:
    """Return the account.

    :raises NotFound: when there is none.
    """
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("There is no such member.")
    return user


def sanction(moderator: User, member: User, kind: SanctionKind, reason: str, days: int | None) -> Sanction:
    """Suspend a member for ``days`` or ban them, with a reason they will be shown.

    :raises ValidationFailed: without a reason, or a suspension without a positive length.
    :raises Forbidden: when the member is a moderator or admin.
    """
    errors: dict[str, list[str]] = {}
    try:
        reason = (
            validation.text(reason, "reason", max_length=1000, blank="Say why; the member will see it.") or ""
        )
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if kind == SanctionKind.SUSPENSION and (days is None or days < 1 or days > 3650):
        errors["days"] = ["A suspension lasts 1 to 3,650 days."]
    if errors:
        raise ValidationFailed(errors=errors)
    if member.is_moderator:
        raise Forbidden("Moderators and admins cannot be suspended; change their access first.")
    now = utcnow()
    ends: datetime | None = now + timedelta(days=days) if kind == SanctionKind.SUSPENSION and days else None
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


def lift(moderator: User, member: User) -> int:
    """Lift every sanction in force on the member; return how many.

    :raises Conflict: when none is in force.
    """
    now = utcnow()
    lifted = 0
    while (current := active_sanction(member.id)) is not None:
        current.lifted_at = now
        current.lifted_by_id = moderator.id
        db.session.flush()
        lifted += 1
    if not lifted:
        raise Conflict("This member is not suspended or banned.")
    audit.record(
        moderator, "member.sanction_lifted", target_type="member", target_id=member.id, member_id=member.id
    )
    return lifted


def add_note(moderator: User, member: User, body: str) -> MemberNote:
    """Keep a private note on a member, seen only by moderators.

    :raises ValidationFailed: for an empty note.
    """
    text = validation.text(body, "body", max_length=5000, blank="Write the note first.") or ""
    note = MemberNote(user_id=member.id, author_id=moderator.id, body=text)
    db.session.add(note)
    db.session.flush()
    audit.record(
        moderator, "member.note_added", target_type="member", target_id=member.id, member_id=member.id
    )
    return note


def notes_for(member: User) -> list[MemberNote]:
    """Return the moderators' notes on a member, newest first."""
    return list(
        db.session.scalars(
            select(MemberNote).where(MemberNote.user_id == member.id).order_by(MemberNote.created_at.desc())
        )
    )


def sanctions_for(member: User) -> list[Sanction]:
    """Return every sanction a member has had, newest first."""
    return list(
        db.session.scalars(
            select(Sanction).where(Sanction.user_id == member.id).order_by(Sanction.starts_at.desc())
        )
    )


def verify_role(moderator: User, profile: Profile, method: str) -> Profile:
    """Mark a profile's role as verified, saying how.

    :raises ValidationFailed: without a method.
    """
    method = (
        validation.line(
            method, "method", max_length=300, blank="Say how the role was checked (e.g. GMC register)."
        )
        or ""
    )
    before = {"role": profile.role.value, "role_source": profile.role_source.value}
    profile.role_source = RoleSource.VERIFIED
    profile.verified_by_id = moderator.id
    profile.verified_at = utcnow()
    profile.verification_method = method
    db.session.flush()
    member_id = db.session.scalar(select(User.id).where(User.profile_id == profile.id))
    audit.record(
        moderator,
        "profile.role_verified",
        target_type="profile",
        target_id=profile.id,
        member_id=member_id,
        reason=profile.verification_method,
        before=before,
        after={"role": profile.role.value, "role_source": "verified"},
    )
    return profile


def change_access(actor: User | None, member: User, access: Access) -> User:
    """Change a member's access level (admins only, or the command line when ``actor`` is None).

    :raises Forbidden: when the actor is not an admin.
    """
    if actor is not None and actor.access != Access.ADMIN:
        raise Forbidden("Only admins can change access levels.")
    before = {"access": member.access.value}
    member.access = access
    db.session.flush()
    audit.record(
        actor,
        "member.access_changed",
        target_type="member",
        target_id=member.id,
        member_id=member.id,
        before=before,
        after={"access": access.value},
    )
    return member
