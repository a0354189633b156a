"""Let people join: a sign-up waits for its email address to be confirmed, then becomes an account.

Every path answers the same way and does the same work (one password hash on sign-up, one email
to the address given), so neither the answer nor its timing says whether an address has an account.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from forum.accounts.models import Access, Registration, Role, User
from forum.accounts.services import accounts, consent, names
from forum.accounts.services.passwords import check_password, ensure_strong, hash_password
from forum.platform import mail
from forum.platform.database import db
from forum.platform.digests import digest
from forum.platform.errors import DomainError
from forum.platform.models import utcnow

KEEP_WAITING = 3  # sign-ups kept per address; older ones are dropped


class InvalidLink(DomainError):
    """A confirmation or reset link that is unknown, expired or already used."""

    status = 400
    default_message = "This link has expired or has already been used. Ask for a new one below."


def sign_up(data: dict[str, Any], next_path: str | None = None) -> None:
    """Start joining: a new address gets a confirmation link, a known one a note on how to log in.

    ``next_path`` (a local path, checked by the caller) is where the person lands once confirmed.
    """
    email = accounts.normalise_email(data["email"])
    consented = consent.given(data)
    names.ensure_name_free(data["display_name"].strip())  # names are public: this reveals no address
    ensure_strong(data["password"], "password", [email, data["display_name"]])
    password_hash = hash_password(data["password"])  # on both paths, so they take the same time
    if accounts.find_user_by_email(email) is not None:
        mail.send(email, "Someone tried to join with your address", "already_registered")
        return
    _forget_old(email)
    registration = Registration(
        email=email,
        password_hash=password_hash,
        display_name=data["display_name"],
        job_title=data.get("job_title"),
        organisation=data.get("organisation"),
        role=str(data.get("role") or Role.OTHER.value),
        next_path=next_path[:500] if next_path else None,
        consented=consented,
        token_hash="",
        expires_at=utcnow(),
    )
    db.session.add(registration)
    accounts.send_confirmation(registration)


def resend(email: str) -> None:
    """Send a new confirmation link if a sign-up is waiting; otherwise say what this address can do."""
    email = accounts.normalise_email(email)
    if accounts.find_user_by_email(email) is not None:
        mail.send(email, "You already have an account", "already_registered")
        return
    waiting = accounts.newest_waiting(email)
    if waiting is None:
        mail.send(email, "Nothing to confirm", "nothing_waiting")
        return
    accounts.send_confirmation(waiting)


def registration_for(token: str) -> Registration:
    """Return the sign-up a confirmation link belongs to.

    :raises InvalidLink: for an unknown or expired link.
    """
    registration = db.session.scalar(
        select(Registration).where(
            Registration.token_hash == digest(token or ""), Registration.expires_at > utcnow()
        )
    )
    if registration is None:
        raise InvalidLink()
    return registration


def confirm(token: str, password: str) -> User:
    """Turn the sign-up into an account, given the link (the mailbox) and the password (the person).

    The password is checked against the address's waiting sign-ups, newest first, so a stranger's
    sign-up with the same address can never become the account: they cannot read the link, and the
    owner does not know their password.

    :raises InvalidLink: for an unknown or expired link, or when the address already has an account.
    :raises accounts.AuthenticationFailed: when the password matches none of them.
    """
    registration = registration_for(token)
    email = registration.email
    if accounts.find_user_by_email(email) is not None:
        _forget_all(email)
        raise InvalidLink("This address already has an account: log in, or reset your password.")
    candidates = db.session.scalars(
        select(Registration)
        .where(Registration.email == email, Registration.expires_at > utcnow())
        .order_by(Registration.created_at.desc(), Registration.id.desc())
        .limit(KEEP_WAITING)
    ).all()
    chosen = next((c for c in candidates if check_password(c.password_hash, password)), None)
    if chosen is None:
        raise accounts.AuthenticationFailed("That is not the password you chose when you joined.")
    data = {
        "display_name": chosen.display_name,
        "job_title": chosen.job_title,
        "organisation": chosen.organisation,
        "role": chosen.role,
    }
    try:
        with db.session.begin_nested():
            user = accounts.create_account(email, chosen.password_hash, data, Access.MEMBER)
    except IntegrityError as exc:  # the same address confirmed by a simultaneous request
        raise InvalidLink("This address already has an account: log in, or reset your password.") from exc
    consent.record(user.id, chosen.consented)
    _forget_all(email)
    user.last_login_at = utcnow()
    db.session.flush()
    return user


def _forget_old(email: str) -> None:
    """Drop expired sign-ups for the address and all but the newest few still waiting."""
    keep = db.session.scalars(
        select(Registration.id)
        .where(Registration.email == email, Registration.expires_at > utcnow())
        .order_by(Registration.created_at.desc(), Registration.id.desc())
        .limit(KEEP_WAITING - 1)
    ).all()
    db.session.execute(
        delete(Registration)
        .where(Registration.email == email, Registration.id.not_in(keep))
        .execution_options(synchronize_session=False)
    )


def _forget_all(email: str) -> None:
    db.session.execute(
        delete(Registration).where(Registration.email == email).execution_options(synchronize_session=False)
    )
