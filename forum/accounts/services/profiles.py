"""Find, create and edit public profiles (the person's own edits; imported commenters' profiles)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from forum.accounts.models import Profile, Role, RoleSource, User
from forum.accounts.services import standing
from forum.accounts.services.accounts import clean_optional
from forum.platform.database import db
from forum.platform.errors import NotFound


def get_profile(profile_id: int) -> Profile:
    """Return the profile.

    :raises NotFound: when there is none.
    """
    profile = db.session.get(Profile, profile_id)
    if profile is None:
        raise NotFound("There is no such profile.")
    return profile


def find_or_create_sourced_profile(
    *, source_key: str, display_name: str, job_title: str | None, organisation: str | None, role: Role
) -> tuple[Profile, bool]:
    """Return the imported profile with this natural key, creating it the first time."""
    profile = db.session.scalar(select(Profile).where(Profile.source_key == source_key))
    if profile is not None:
        return profile, False
    profile = Profile(
        display_name=display_name,
        job_title=job_title,
        organisation=organisation,
        role=role,
        role_source=RoleSource.SOURCE,
        source_key=source_key,
    )
    db.session.add(profile)
    db.session.flush()
    return profile, True


def update_profile(user: User, data: dict[str, Any]) -> Profile:
    """Apply the person's own changes to their profile; a changed role counts as declared.

    :raises Suspended: while a suspension or ban is in force: a profile is public text too.
    """
    standing.ensure_can_act(user)
    profile = user.profile
    if "display_name" in data:
        profile.display_name = data["display_name"].strip()
    for name in ("job_title", "organisation", "bio"):
        if name in data:
            setattr(profile, name, clean_optional(data[name]))
    if "role" in data and Role(data["role"]) != profile.role:
        profile.role = Role(data["role"])
        profile.role_source = RoleSource.DECLARED
    db.session.flush()
    return profile
