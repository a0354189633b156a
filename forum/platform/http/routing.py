"""Route converters: ids within the database's range, path text without control characters.

A larger number or a NUL byte in a URL can name nothing; matching no route makes it a 404
rather than a 500 from the database driver (forum/platform/ids.py).
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter, Map, UnicodeConverter

from forum.platform.ids import MAX_ID, at_most


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
