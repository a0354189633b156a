"""Change and reset passwords, ending the sessions (and, on a reset, the tokens) they should end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, or_, select, update

from forum.accounts.models import ApiToken, PasswordReset, User
from forum.accounts.services import accounts, sessions
from forum.accounts.services.passwords import check_password, ensure_strong, hash_password
from forum.accounts.services.signup import InvalidLink
from forum.platform import jobs, mail
from forum.platform.database import db
from forum.platform.digests import digest, new_secret
from forum.platform.errors import ValidationFailed
from forum.platform.models import utcnow
from forum.platform.settings import setting


@dataclass(frozen=True)
class PasswordChanged:
    """What a password change or reset ended and what it left running."""

    sessions_ended: int
    tokens_kept: int = 0
    tokens_revoked: int = 0


def _live_tokens(user: User) -> int:
    return int(
        db.session.scalar(
            select(func.count(ApiToken.id)).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        )
        or 0
    )


def change_password(user: User, current: str, new: str, keep_session: int | None) -> PasswordChanged:
    """Set a new password given the current one; end every other session; keep API tokens; void
    every reset link sent before.

    Tokens stay because the person chose to create each one for a program and can see and revoke
    them; the answer says how many are live so they can review them.

    :raises ValidationFailed: when ``current`` is not the account's password.
    """
    if not check_password(user.password_hash, current):
        raise ValidationFailed(errors={"current_password": ["That is not your current password."]})
    ensure_strong(new, "new_password", [user.email, user.profile.display_name])
    user.password_hash = hash_password(new)
    _void_reset_links(user)  # a link asked for before the change must not undo it
    ended = sessions.end_all(user, keep=keep_session)
    db.session.flush()
    mail.send(user.email, "Your password was changed", "password_changed", reset=False)
    return PasswordChanged(sessions_ended=ended, tokens_kept=_live_tokens(user))


def _void_reset_links(user: User) -> None:
    db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )


RESET_REQUESTED = "accounts.reset_requested"


def request_reset(email: str) -> None:
    """Ask for a reset link to be sent to ``email``: the same work whether or not it has an account.

    Looking the address up, writing the link and the email all happen after the commit, in a job
    (``JOB_RUNNER=worker``: a row in the queue, in this transaction), so the request does the same
    thing for every address and its timing cannot say which ones have accounts (it did: 16.7 ms
    against 11.8 ms; bench/reset_timing.py measures it now).
    """
    jobs.later(RESET_REQUESTED, email=accounts.normalise_email(email))


def send_reset(email: str) -> None:
    """The job: email a reset link to an account's address, or a note saying it has none (one email
    either way)."""
    user = accounts.find_user_by_email(email)
    if user is None:
        mail.send(accounts.normalise_email(email), "No account for this address", "no_account")
        return
    secret = new_secret()
    minutes = int(setting("RESET_LINK_MINUTES"))
    db.session.execute(  # links already used or expired are of no more use to anyone
        delete(PasswordReset)
        .where(
            PasswordReset.user_id == user.id,
            or_(PasswordReset.used_at.is_not(None), PasswordReset.expires_at <= utcnow()),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.add(
        PasswordReset(
            user_id=user.id, token_hash=digest(secret), expires_at=utcnow() + timedelta(minutes=minutes)
        )
    )
    db.session.flush()
    mail.send(user.email, "Reset your password", "reset", token=secret, minutes=minutes)


def reset_for(token: str) -> PasswordReset:
    """Return the live reset a link belongs to.

    :raises InvalidLink: for an unknown, expired or used link.
    """
    reset = db.session.scalar(
        select(PasswordReset).where(
            PasswordReset.token_hash == digest(token or ""),
            PasswordReset.used_at.is_(None),
            PasswordReset.expires_at > utcnow(),
        )
    )
    if reset is None:
        raise InvalidLink()
    return reset


def reset_password(token: str, new: str) -> tuple[User, PasswordChanged]:
    """Set a new password through a reset link: the link is used up, every session and API token ends.

    A reset is how people get back into an account someone else may have entered, so nothing that
    the old password could have opened survives it.

    :raises InvalidLink: for an unknown, expired or used link (also when two requests race for it).
    """
    reset = reset_for(token)
    owner = db.session.get(User, reset.user_id)
    ensure_strong(new, "password", [owner.email, owner.profile.display_name] if owner else [])
    now = utcnow()
    claimed = db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.id == reset.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if not claimed.rowcount:  # type: ignore[attr-defined]
        raise InvalidLink()
    user = db.session.get(User, reset.user_id)
    if user is None:
        raise InvalidLink()
    # Every other link sent to this account stops working too.
    db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    user.password_hash = hash_password(new)
    ended = sessions.end_all(user)
    revoked = db.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    db.session.flush()
    mail.send(user.email, "Your password was changed", "password_changed", reset=True)
    return user, PasswordChanged(sessions_ended=ended, tokens_revoked=int(revoked))
