"""Find, create and edit public profiles (the person's own edits; imported commenters' profiles)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from forum.accounts.models import Profile, Role, RoleSource, User
from forum.accounts.services import names, standing
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
    *,
    source_key: str,
    display_name: str,
    job_title: str | None,
    organisation: str | None,
    role: Role,
    role_source: RoleSource = RoleSource.SOURCE,
) -> tuple[Profile, bool]:
    """Return the imported profile with this natural key, creating it the first time.

    An existing one takes the role as the page is read now, unless a moderator has verified it
    (verification is theirs).
    """
    profile = db.session.scalar(select(Profile).where(Profile.source_key == source_key))
    if profile is not None:
        imported = profile.role_source in (RoleSource.SOURCE, RoleSource.INFERRED)
        if imported and (profile.role, profile.role_source) != (role, role_source):
            profile.role, profile.role_source = role, role_source
            db.session.flush()
        return profile, False
    profile = Profile(
        display_name=display_name,
        job_title=job_title,
        organisation=organisation,
        role=role,
        role_source=role_source,
        source_key=source_key,
    )
    db.session.add(profile)
    db.session.flush()
    return profile, True


def update_profile(user: User, data: dict[str, Any]) -> Profile:
    """Apply the person's own changes to their profile; a changed role counts as declared.

    A verified role was verified for a person with a name, job title and organisation: changing
    any of them returns the role to declared, as changing the role does, so a verified clinician
    cannot become someone else and keep the tick. A name that looks like another profile's is
    refused (services/names.py).

    :raises Suspended: while a suspension or ban is in force: a profile is public text too.
    :raises ValidationFailed: for a name that looks like someone else's.
    """
    standing.ensure_can_act(user)
    profile = user.profile
    before = (profile.display_name, profile.job_title, profile.organisation)
    if "display_name" in data:
        name = data["display_name"].strip()
        if name != profile.display_name:
            names.ensure_name_free(name, except_profile=profile.id)
        profile.display_name = name
    for name in ("job_title", "organisation", "bio"):
        if name in data:
            setattr(profile, name, clean_optional(data[name]))
    if "role" in data and Role(data["role"]) != profile.role:
        profile.role = Role(data["role"])
        profile.role_source = RoleSource.DECLARED
    identity_changed = (profile.display_name, profile.job_title, profile.organisation) != before
    if identity_changed and profile.role_source == RoleSource.VERIFIED:
        profile.role_source = RoleSource.DECLARED
        profile.verified_by_id = None
        profile.verified_at = None
        profile.verification_method = None
    db.session.flush()
    return profile
