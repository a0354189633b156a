"""Issue personal API tokens, find the account a token opens, list and revoke them."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import Select, bindparam, select, update

from forum.accounts.models import ApiToken, User
from forum.platform.database import db
from forum.platform.digests import digest, new_secret
from forum.platform.errors import NotFound
from forum.platform.models import utcnow

TOKEN_PREFIX = "fm_"  # noqa: S105 - a label, not a secret


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """Make a personal API token; return it and its secret, which is never stored."""
    secret = TOKEN_PREFIX + new_secret()
    token = ApiToken(
        user_id=user.id, name=name.strip() or "API token", token_hash=digest(secret), prefix=secret[:10]
    )
    db.session.add(token)
    db.session.flush()
    return token, secret


@cache
def _user_by_token() -> Select[User, int, datetime | None]:
    """Build the lookup every token-authenticated request makes, once (bound ``token_hash``).

    The token's two columns, not the token as an object: loading a second entity costs every API
    request about 0.15 ms of the ORM's time (docs/performance.md, posting)."""
    return (
        select(User, ApiToken.id, ApiToken.last_used_at)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == bindparam("token_hash"), ApiToken.revoked_at.is_(None))
    )


def user_for_token(secret: str, touch_every: timedelta) -> tuple[User, int | None] | None:
    """Return the account a live token belongs to, and the token's id when its use is due to be
    recorded (last recorded more than ``touch_every`` ago), else None in its place.

    Nothing is written here: a read must not write (the caller records the use in its own small
    transaction after the response is built, at most every ``touch_every``; see :func:`touch`).
    """
    row = db.session.execute(_user_by_token(), {"token_hash": digest(secret)}).first()
    if row is None:
        return None
    user, token_id, last_used_at = row
    due = last_used_at is None or utcnow() - last_used_at > touch_every
    return user, (token_id if due else None)


def touch(token_id: int, when: datetime) -> None:
    """Record that a token was used (callers do it at most every few minutes)."""
    db.session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=when))


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
