"""Hash and check passwords with Argon2id (memory-hard); never log them.

Production always uses argon2-cffi's RFC 9106 low-memory profile (64 MiB, 3 passes, 4 lanes). The
test suite asks for ``PASSWORD_HASHING=fast`` (1 pass over 8 KiB), which only a non-production app
honours: hashing at full cost spent about a third of the functional suite's time.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from forum.platform.errors import ValidationFailed
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


# zxcvbn scores 0-4; 3 means about 10^8 guesses or more ("safely unguessable" against online attacks
# and a slow hash offline). It reads at most 72 characters; longer passwords are judged on those.
STRONG_ENOUGH = 3
_SCORED = 72


def weakness(password: str, hints: Iterable[str | None] = ()) -> str | None:
    """Say why ``password`` is too easy to guess (common, a keyboard walk, a repeat, a date, the
    person's own name or address...), or None when it is strong enough. NIST SP 800-63B asks
    services to refuse "commonly-used, expected, or compromised" passwords, not to demand symbols;
    zxcvbn's dictionaries (common passwords, names, English words) and patterns are that check."""
    words = [h for hint in hints if hint for h in (hint, *hint.replace("@", " ").replace(".", " ").split())]
    result = zxcvbn(password[:_SCORED], user_inputs=words)
    if result["score"] >= STRONG_ENOUGH:
        return None
    feedback = result.get("feedback") or {}
    parts = [feedback.get("warning") or "", *(feedback.get("suggestions") or [])]
    reason = " ".join(p.strip() for p in parts if p and p.strip())
    return (
        "This password would be too easy to guess. "
        + (reason + " " if reason else "")
        + "A few unrelated words together (like a line only you would think of) make a strong one "
        "that is easy to remember; symbols and capitals matter far less than length."
    )


def ensure_strong(password: str, field: str, hints: Iterable[str | None] = ()) -> None:
    """Refuse a password that is easy to guess (see :func:`weakness`).

    :raises ValidationFailed: under ``field``, saying why and what would do.
    """
    problem = weakness(password, hints)
    if problem:
        raise ValidationFailed(errors={field: [problem]})
