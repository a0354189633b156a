"""Rendering helpers: hard-wrap repair for imported text."""

from __future__ import annotations

import pytest

from forum.services.text import HARD_WRAP_MIN, unwrap_hard_wraps

LONG = "x" * HARD_WRAP_MIN


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"{LONG} and the\ncontinuation", f"{LONG} and the continuation"),
        (f"{LONG} ends here.\nNew line", f"{LONG} ends here.\nNew line"),
        (f"{LONG} asks?\nNew line", f"{LONG} asks?\nNew line"),
        ("Thank you\nMark Duman", "Thank you\nMark Duman"),
        (f"{LONG} word\n\nnext paragraph", f"{LONG} word\n\nnext paragraph"),
        (f"{LONG} a\n{LONG} b\nc.", f"{LONG} a {LONG} b c."),
    ],
)
def test_unwrap_joins_only_long_lines_that_stop_mid_sentence(text, expected):
    assert unwrap_hard_wraps(text) == expected
