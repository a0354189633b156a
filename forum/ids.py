"""Bound what URLs and request fields may carry: ids the database can hold, path text it can store.

Ids are 32-bit integers in PostgreSQL (``SERIAL``) and 64-bit in SQLite; a larger number in
a URL or a field can name nothing, and handing it to the database driver fails (SQLite's
``OverflowError``, PostgreSQL's "out of range") as a 500. Likewise PostgreSQL refuses text
holding a NUL byte. Refusing such values at the edge makes them an ordinary 404 (URL) or 422
(field), and the OpenAPI document states the range.
"""

from __future__ import annotations

import re
from typing import Any

from marshmallow import fields, validate
from werkzeug.routing import IntegerConverter, Map, UnicodeConverter

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


class IdConverter(IntegerConverter):
    """``<int:...>`` in routes: 0 to ``MAX_ID``; anything larger matches no route (404).

    The bound is in the regular expression, not only in ``max``: werkzeug counts a path that
    matches another method's rule before it converts, so a number that fails conversion would
    answer 405 for some methods and 404 for others.
    """

    regex = at_most(MAX_ID)

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = MAX_ID,
        signed: bool = False,
    ) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class PathTextConverter(UnicodeConverter):
    """``<slug>`` and other text in routes: no control characters (PostgreSQL cannot compare a NUL)."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        super().__init__(map, *args, **kwargs)
        self.regex = r"[^/\x00-\x1f\x7f]{1,500}"  # UnicodeConverter sets its own in __init__


def Id(**kwargs: Any) -> fields.Integer:
    """A field holding a record id: a whole number from 1 to ``MAX_ID``."""
    return fields.Integer(
        strict=kwargs.pop("strict", False), validate=validate.Range(min=1, max=MAX_ID), **kwargs
    )


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
