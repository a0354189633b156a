"""Shape accounts and tokens for the API schemas."""

from __future__ import annotations

from typing import Any

from forum.accounts.models import ApiToken, User


def token(token: ApiToken) -> dict[str, Any]:
    """Present an API token without its secret."""
    return {
        "id": token.id,
        "name": token.name,
        "prefix": token.prefix,
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
    }


def me(user: User) -> dict[str, Any]:
    """Present the calling account."""
    return {
        "id": user.id,
        "email": user.email,
        "access": user.access.value,
        "profile": user.profile,
        "time_zone": user.time_zone,
    }
