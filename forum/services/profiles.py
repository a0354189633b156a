"""Find and create public profiles."""

from __future__ import annotations

from sqlalchemy import select

from forum.errors import NotFound
from forum.extensions import db
from forum.models import Profile, Role, RoleSource


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
