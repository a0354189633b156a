"""Bound the ids the database can hold: in URLs (forum/platform/http/routing.py), fields and forms.

Ids are 32-bit integers in PostgreSQL (``SERIAL``) and 64-bit in SQLite; a larger number in
a URL or a field can name nothing, and handing it to the database driver fails (SQLite's
``OverflowError``, PostgreSQL's "out of range") as a 500. Likewise PostgreSQL refuses text
holding a NUL byte. Refusing such values at the edge makes them an ordinary 404 (URL) or 422
(field), and the OpenAPI document states the range.
"""

from __future__ import annotations

import re

MAX_ID = 2**31 - 1


def at_most(limit: int) -> str:
    """Return a regular expression for the decimal numbers 0 to ``limit`` (leading zeros allowed)."""
    digits = str(limit)
    options = [r"\d"] + [rf"[1-9]\d{{{n - 1}}}" for n in range(2, len(digits))]
    for i, d in enumerate(digits):
        low = 1 if i == 0 else 0
        if int(d) > low:
            rest = len(digits) - i - 1
            options.append(f"{digits[:i]}[{low}-{int(d) - 1}]" + (rf"\d{{{rest}}}" if rest else ""))
    options.append(digits)
    return "0*(?:" + "|".join(options) + ")"


_ID_TEXT = re.compile(r"[0-9]{1,10}")


def parse_id(value: str | None) -> int | None:
    """Read an id typed into a form or query string: ASCII digits up to ``MAX_ID``, else None.

    ``str.isdigit`` is not enough: it accepts "²" (which ``int`` refuses) and numbers of any size.
    """
    text = (value or "").strip()
    if not _ID_TEXT.fullmatch(text):
        return None
    number = int(text)
    return number if number <= MAX_ID else None
