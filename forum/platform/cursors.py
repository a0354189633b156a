"""Encode and read the opaque cursors that page through ordered lists (threads, the article list)."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime

from forum.platform.errors import ValidationFailed
from forum.platform.ids import MAX_ID


def encode(when: datetime, number: int) -> str:
    """Make an opaque cursor for a position in a list ordered by (time, id)."""
    raw = f"{when.isoformat()}|{number}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str, field: str = "after") -> tuple[datetime, int]:
    """Read a cursor back.

    :raises ValidationFailed: (on ``field``) when it is not one of ours.
    """
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, _, number = raw.partition("|")
        when, found = datetime.fromisoformat(stamp), int(number)
        if when.tzinfo is None or not 0 <= found <= MAX_ID:  # a forged id would overflow the database
            raise ValueError("not one of ours")
        return when, found
    except (ValueError, UnicodeDecodeError, binascii.Error) as exc:
        raise ValidationFailed(
            errors={field: ["Not a valid cursor; use the next_cursor you were given."]}
        ) from exc
