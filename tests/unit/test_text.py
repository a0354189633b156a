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


def test_article_markdown_keeps_headings_two_to_four_and_escapes_html():
    from forum.discussion.services.text import render_markdown_article

    html = render_markdown_article(
        "# Top\n\n## Two\n\n##### Five\n\n<script>alert(1)</script> and <img src=x onerror=alert(1)>\n\n"
        "[bad](javascript:alert(1)) [good](https://example.org)\n\n> quoted\n\n1. first\n2. second"
    )
    assert "<h2>Top</h2>" in html and "<h2>Two</h2>" in html and "<h4>Five</h4>" in html
    assert "<h1>" not in html and "<h5>" not in html
    assert "&lt;script&gt;" in html and "<script" not in html and "<img" not in html
    assert 'href="javascript' not in html and '<a href="https://example.org" rel="noopener">good</a>' in html
    assert "<blockquote>" in html and "<ol>" in html


def test_article_images_are_found_and_summaries_are_plain():
    from forum.discussion.services.text import has_images, summarise_markdown

    assert has_images("See ![a chart](https://example.org/c.png)")
    assert not has_images("Not an image: ! [x](https://example.org) or [x](https://example.org)")
    assert (
        summarise_markdown("## Heading\n\nSome *words* and [a link](https://e.org).")
        == "Some words and a link."
    )
