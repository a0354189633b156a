"""Hash and check passwords with Argon2id (memory-hard); never log them.

Production always uses argon2-cffi's RFC 9106 low-memory profile (64 MiB, 3 passes, 4 lanes). The
test suite asks for ``PASSWORD_HASHING=fast`` (1 pass over 8 KiB), which only a non-production app
honours: hashing at full cost spent about a third of the functional suite's time.
"""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from forum.platform.settings import setting

STANDARD = "standard"
FAST = "fast"  # tests only: refused in production (forum/platform/config.py)


@cache
def _hasher(profile: str) -> tuple[PasswordHasher, str]:
    """The hasher for a profile and a hash of a decoy checked when the email is unknown (so both
    failures take the same time); made once per process and profile."""
    if profile == FAST:
        hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    else:
        hasher = PasswordHasher.from_parameters(profiles.RFC_9106_LOW_MEMORY)
    return hasher, hasher.hash("not a real password, only a timing decoy")


def _current() -> tuple[PasswordHasher, str]:
    return _hasher(setting("PASSWORD_HASHING"))


def hash_password(password: str) -> str:
    """Return an Argon2id hash of ``password``."""
    return _current()[0].hash(password)


def check_password(password_hash: str | None, password: str) -> bool:
    """Tell whether ``password`` matches; with no hash, spend the same time and say no."""
    hasher, decoy = _current()
    try:
        return hasher.verify(password_hash or decoy, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Tell whether the hash was made with other parameters than today's."""
    return _current()[0].check_needs_rehash(password_hash)
