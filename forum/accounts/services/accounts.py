"""Make accounts and check credentials: one Argon2 check, the same answer for every failure."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from forum.accounts.models import Access, Profile, Registration, Role, RoleSource, User
from forum.accounts.services import names
from forum.accounts.services.passwords import check_password, ensure_strong, hash_password, needs_rehash
from forum.platform import mail
from forum.platform.database import db
from forum.platform.digests import digest, new_secret
from forum.platform.errors import DomainError, ValidationFailed
from forum.platform.models import utcnow
from forum.platform.settings import setting
from forum.platform.unit_of_work import keep_despite_refusal


class AuthenticationFailed(DomainError):
    """The email and password do not match an account (the same answer for both cases)."""

    status = 401
    default_message = "That email and password do not match an account."


def normalise_email(email: str) -> str:
    """Compare emails case-insensitively and without stray spaces."""
    return email.strip().lower()


def clean_optional(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def find_user_by_email(email: str) -> User | None:
    """Return the account with this email, if any."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def user_id_for_profile(profile_id: int) -> int | None:
    """Return the account behind a profile (imported profiles have none)."""
    return db.session.scalar(select(User.id).where(User.profile_id == profile_id))


class NotConfirmed(DomainError):
    """The password is right but the sign-up's email address has not been confirmed yet."""

    status = 403
    default_message = (
        "Confirm your email address before you log in: we have sent a new link to it. "
        "Follow the link, then enter your password there."
    )


def newest_waiting(email: str) -> Registration | None:
    """Return the newest unexpired sign-up for this (normalised) address."""
    return db.session.scalar(
        select(Registration)
        .where(Registration.email == email, Registration.expires_at > utcnow())
        .order_by(Registration.created_at.desc(), Registration.id.desc())
        .limit(1)
    )


def send_confirmation(registration: Registration) -> None:
    """Email a fresh confirmation link for this sign-up (any earlier link for it stops working).

    The address is not confirmed yet, so the message holds no text the requester chose (not even
    the display name): otherwise anyone could make the forum mail any address a lure of their own.
    """
    secret = new_secret()
    registration.token_hash = digest(secret)
    registration.expires_at = utcnow() + timedelta(hours=setting("CONFIRM_LINK_HOURS"))
    db.session.flush()
    mail.send(
        registration.email,
        "Confirm your email address",
        "confirm",
        token=secret,
        hours=setting("CONFIRM_LINK_HOURS"),
    )


def register(data: dict[str, Any], access: Access = Access.MEMBER) -> User:
    """Create a confirmed account at once (command line, fixtures, seeds); people join through signup.

    :raises ValidationFailed: when the email is already registered.
    """
    email = normalise_email(data["email"])
    if find_user_by_email(email) is not None:
        raise ValidationFailed(
            errors={"email": ["An account with this email already exists. Try logging in."]}
        )
    names.ensure_name_free(data["display_name"].strip())
    ensure_strong(data["password"], "password", [email, data["display_name"]])
    return create_account(email, hash_password(data["password"]), data, access)


def create_account(email: str, password_hash: str, data: dict[str, Any], access: Access) -> User:
    """Insert the account and its profile; the role is as the person declares it."""
    profile = Profile(
        display_name=data["display_name"].strip(),
        job_title=clean_optional(data.get("job_title")),
        organisation=clean_optional(data.get("organisation")),
        role=Role(data.get("role") or Role.OTHER),
        role_source=RoleSource.DECLARED,
    )
    user = User(email=email, password_hash=password_hash, access=access, profile=profile)
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User:
    """Return the account these credentials open; exactly one Argon2 check whatever the case.

    :raises AuthenticationFailed: for an unknown email or a wrong password alike.
    :raises NotConfirmed: when they match a sign-up still waiting for its email confirmation
        (only someone who knows the password learns that it is waiting); a new link is sent.
    """
    user = find_user_by_email(email)
    waiting = None if user else newest_waiting(normalise_email(email))
    stored = user.password_hash if user else waiting.password_hash if waiting else None
    matches = check_password(stored, password)
    if matches and waiting is not None:
        send_confirmation(waiting)
        keep_despite_refusal()  # the refusal stands, and so does the new link it sent
        raise NotConfirmed()
    if not matches or user is None:
        raise AuthenticationFailed()
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    db.session.flush()
    return user
