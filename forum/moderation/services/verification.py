"""Verify the role a profile shows (a moderator checked it), logged with how it was checked."""

from __future__ import annotations

from sqlalchemy import select

from forum import permissions
from forum.accounts.models import Profile, RoleSource, User
from forum.accounts.services.viewer import viewer_of
from forum.moderation.services import audit
from forum.platform import validation
from forum.platform.database import db
from forum.platform.models import utcnow


def verify_role(moderator: User, profile: Profile, method: str) -> Profile:
    """Mark a profile's role as verified, saying how.

    :raises ValidationFailed: without a method.
    """
    permissions.ensure_can_moderate(viewer_of(moderator))
    account = db.session.scalar(select(User.access).where(User.profile_id == profile.id))
    permissions.ensure_can_act_on(viewer_of(moderator), account)
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
        # Not the method: it can name the person's registration, and the log is never erased; it stays
        # on the profile (shown there), which erasing an account empties.
        before=before,
        after={"role": profile.role.value, "role_source": "verified"},
    )
    return profile
