"""Register accounts, check credentials, manage API tokens, access levels and profiles."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from functools import cache
from typing import Any

from flask import current_app
from sqlalchemy import Select, bindparam, select

from forum import mail
from forum.errors import DomainError, NotFound, ValidationFailed
from forum.extensions import db
from forum.models import Access, ApiToken, Profile, Registration, Role, RoleSource, User
from forum.models.base import utcnow
from forum.services import sanctions
from forum.services.passwords import check_password, hash_password, needs_rehash
from forum.transactions import keep_despite_refusal

TOKEN_PREFIX = "fm_"  # noqa: S105 - a label, not a secret


class AuthenticationFailed(DomainError):
    """The email and password do not match an account (the same answer for both cases)."""

    status = 401
    default_message = "That email and password do not match an account."


def normalise_email(email: str) -> str:
    """Compare emails case-insensitively and without stray spaces."""
    return email.strip().lower()


def _clean(value: str | None) -> str | None:
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
    """Email a fresh confirmation link for this sign-up (any earlier link for it stops working)."""
    secret = secrets.token_urlsafe(32)
    registration.token_hash = _digest(secret)
    registration.expires_at = utcnow() + timedelta(hours=current_app.config["CONFIRM_LINK_HOURS"])
    db.session.flush()
    mail.send(
        registration.email,
        "Confirm your email address",
        "confirm",
        token=secret,
        name=registration.display_name,
        hours=current_app.config["CONFIRM_LINK_HOURS"],
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
    return create_account(email, hash_password(data["password"]), data, access)


def create_account(email: str, password_hash: str, data: dict[str, Any], access: Access) -> User:
    """Insert the account and its profile; the role is as the person declares it."""
    profile = Profile(
        display_name=data["display_name"].strip(),
        job_title=_clean(data.get("job_title")),
        organisation=_clean(data.get("organisation")),
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


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """Make a personal API token; return it and its secret, which is never stored."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id, name=name.strip() or "API token", token_hash=_digest(secret), prefix=secret[:10]
    )
    db.session.add(token)
    db.session.flush()
    return token, secret


@cache
def _user_by_token() -> Select[User, ApiToken]:
    """Build the lookup every token-authenticated request makes, once (bound ``token_hash``)."""
    return (
        select(User, ApiToken)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == bindparam("token_hash"), ApiToken.revoked_at.is_(None))
    )


def user_for_token(secret: str) -> User | None:
    """Return the account a live token belongs to, noting when it was last used (hourly)."""
    row = db.session.execute(_user_by_token(), {"token_hash": _digest(secret)}).first()
    if row is None:
        return None
    user, token = row
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > timedelta(hours=1):
        token.last_used_at = now
    return user


def list_tokens(user: User) -> list[ApiToken]:
    """Return the account's live tokens, newest first."""
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def revoke_token(user: User, token_id: int) -> ApiToken:
    """Revoke one of the account's tokens.

    :raises NotFound: when the account has no such live token.
    """
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id or token.revoked_at is not None:
        raise NotFound("There is no such token.")
    token.revoked_at = utcnow()
    db.session.flush()
    return token


def set_access(email: str, access: Access) -> User:
    """Change an account's access level from the command line (logged with no actor).

    :raises NotFound: when no account has this email.
    """
    user = find_user_by_email(email)
    if user is None:
        raise NotFound(f"No account has the email {email!r}.")
    return sanctions.change_access(None, user, access)


def update_profile(user: User, data: dict[str, Any]) -> Profile:
    """Apply the person's own changes to their profile; a changed role counts as declared.

    :raises Suspended: while a suspension or ban is in force: a profile is public text too.
    """
    sanctions.ensure_can_act(user)
    profile = user.profile
    if "display_name" in data:
        profile.display_name = data["display_name"].strip()
    for name in ("job_title", "organisation", "bio"):
        if name in data:
            setattr(profile, name, _clean(data[name]))
    if "role" in data and Role(data["role"]) != profile.role:
        profile.role = Role(data["role"])
        profile.role_source = RoleSource.DECLARED
    db.session.flush()
    return profile
