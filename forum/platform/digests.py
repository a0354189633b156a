"""Make one-time secrets and keep only their digests (tokens, session keys, emailed links)."""

from __future__ import annotations

import hashlib
import secrets


def digest(secret: str) -> str:
    """The SHA-256 of a secret, as stored: a stolen table opens nothing."""
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret() -> str:
    """A fresh URL-safe secret of 32 random bytes."""
    return secrets.token_urlsafe(32)
