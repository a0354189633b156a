"""Rendering helpers: hard-wrap repair for imported text."""

from __future__ import annotations

import pytest

from forum.discussion.services.text import HARD_WRAP_MIN, unwrap_hard_wraps

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


def test_only_declared_links_become_links():
    from forum.discussion.services.text import render_comment

    html = render_comment("safety.by saving. www.nhs.uk, https://x.org/a and kingsfund.org.uk; a@b.org")
    assert "safety.by saving" in html and 'href="http://safety.by"' not in html
    assert 'href="http://www.nhs.uk"' in html and 'href="https://x.org/a"' in html
    assert 'href="http://kingsfund.org.uk"' not in html and 'href="mailto:a@b.org"' in html
