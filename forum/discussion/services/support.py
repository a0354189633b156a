"""Say where to get help now: the signposts shown at once to someone who may be in crisis.

They come from one setting, ``SAFEGUARDING_SIGNPOSTS`` (UK services by default; a JSON list in the
environment for elsewhere), so a forum in another country changes one value. Each is a service, what
to do (call, text), the number, and a few words on when; the page makes the number a ``tel:`` or
``sms:`` link.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from forum.platform.settings import setting

DEFAULT_SIGNPOSTS: list[dict[str, str]] = [
    {"name": "Samaritans", "action": "call", "number": "116 123", "note": "free, any time, day or night"},
    {
        "name": "Shout",
        "action": "text",
        "number": "85258",
        "body": "SHOUT",
        "note": "free, any time, by text",
    },
    {
        "name": "NHS 111",
        "action": "call",
        "number": "111",
        "note": "if you need urgent medical help or advice",
    },
    {
        "name": "999",
        "action": "call",
        "number": "999",
        "note": "in an emergency, or if a life is at risk now",
    },
]
_DIALLABLE = re.compile(r"[^0-9+]")


@dataclass(frozen=True)
class Signpost:
    """One place to turn: who, what to do, the number, and when."""

    name: str
    action: str  # "call" or "text"
    number: str  # as people read it: "116 123"
    note: str
    body: str | None = None  # what to text, for "text"

    @property
    def href(self) -> str:
        """The link a phone follows: tel:116123, or sms:85258?body=SHOUT."""
        digits = _DIALLABLE.sub("", self.number)
        if self.action == "text":
            return f"sms:{digits}" + (f"?body={self.body}" if self.body else "")
        return f"tel:{digits}"

    @property
    def instruction(self) -> str:
        """What to do, in words: "call 116 123", "text SHOUT to 85258"."""
        if self.action == "text":
            return f"text {self.body} to {self.number}" if self.body else f"text {self.number}"
        return f"call {self.number}"


def parse_signposts(raw: Any) -> list[Signpost]:
    """Read the setting (a list of mappings, or its JSON text).

    :raises ValueError: for a signpost without a name, a number, or a known action.
    """
    items = json.loads(raw) if isinstance(raw, str) else raw
    found = []
    for item in items:
        if not item.get("name") or not item.get("number") or item.get("action") not in ("call", "text"):
            raise ValueError(
                f"SAFEGUARDING_SIGNPOSTS: each needs a name, a number and call or text: {item!r}"
            )
        found.append(
            Signpost(item["name"], item["action"], item["number"], item.get("note", ""), item.get("body"))
        )
    return found


def signposts() -> list[Signpost]:
    """The signposts this forum shows (the app's SAFEGUARDING_SIGNPOSTS)."""
    return parse_signposts(setting("SAFEGUARDING_SIGNPOSTS") or DEFAULT_SIGNPOSTS)
