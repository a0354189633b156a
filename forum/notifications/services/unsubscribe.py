"""Sign and read unsubscribe links: one per member and kind of email, usable without logging in.

The token is the member's id and the category, signed with SECRET_KEY (itsdangerous, salted for this
use alone), so a changed or made-up token is refused. It does not expire: an old email's link keeps
working, and what it does (turn one kind of email off, or back on) is harmless to repeat.
"""

from __future__ import annotations

from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeSerializer

from forum.notifications.models import FollowedMode
from forum.notifications.services.preferences import Category
from forum.platform.errors import DomainError
from forum.platform.settings import setting

SALT = "forum.unsubscribe"


class InvalidLink(DomainError):
    """The unsubscribe link was changed or is not one of ours."""

    status = 400
    default_message = (
        "This unsubscribe link is not valid. Change what we send you in your notification settings."
    )


@dataclass(frozen=True)
class Subscription:
    """What an unsubscribe link is about: whose email, which kind, and (followed threads) which mode."""

    user_id: int
    category: Category
    followed: FollowedMode = FollowedMode.DIGEST


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(str(setting("SECRET_KEY")), salt=SALT)


def token(subscription: Subscription) -> str:
    """The signed token for an unsubscribe link."""
    return str(
        _signer().dumps([subscription.user_id, subscription.category.value, subscription.followed.value])
    )


def read(value: str | None) -> Subscription:
    """What a token says.

    :raises InvalidLink: for a token that was changed, forged or cut short.
    """
    try:
        user_id, category, followed = _signer().loads(value or "")
        return Subscription(int(user_id), Category(category), FollowedMode(followed))
    except (BadSignature, ValueError, TypeError):
        raise InvalidLink() from None
