"""The five pages' structure, field by field: headings, entries, source lines, quotes, captions, details."""

from __future__ import annotations

import re
import tomllib
from html import unescape

import pytest

from forum.discussion.services.text import render_markdown_article, summarise_markdown
from forum.seeding.services.loader import _parse_entry
from forum.seeding.services.structure import escape_markdown, structure
from tests.conftest import SEEDS_DIR

MANIFEST = tomllib.loads((SEEDS_DIR / "manifest.toml").read_text())
ENTRIES = {entry["slug"]: entry for entry in MANIFEST["document"]}


def page(slug: str):
    parsed = _parse_entry(SEEDS_DIR, ENTRIES[slug])
    return parsed, render_markdown_article(parsed.body)


def headings(html: str, level: int) -> list[str]:
    return [unescape(re.sub(r"<[^>]+>", "", h)) for h in re.findall(rf"<h{level}>(.*?)</h{level}>", html)]


# slug -> (h2 headings, h3 headings, original date)
STRUCTURE = {
    "shared-decision-making": ([], [], None),
    "patient-centred-leadership": (["Key findings", "Policy implications", "Publication details"], [], None),
    "leading-from-behind": ([], [], None),
    "collaborative-leadership-reading-list": (
        [
            "Overview",
            "A picture of health? Examining the state of leadership and management in\u00a0healthcare",
            "So close to love: compassionate leadership in\u00a0healthcare",
            "Leadership Listens: inspirational\u00a0podcasts",
            "What is compassionate\u00a0leadership?",
            "An introduction to leading with kindness and compassion in health and social\u00a0care",
            "Reframing the Patient Experience: A new scorecard for healthcare\u00a0leaders",
            "Decision-making in uncertain\u00a0times",
        ],
        [
            "Abstract",
            "See also:",
            "Learn what is meant by leading with kindness and compassion",
            "Overview of the mini course",
        ],
        "18 July 2023",
    ),
    "patient-centred-care-conference": ([], [], None),
}


@pytest.mark.parametrize("slug", sorted(STRUCTURE))
def test_headings_and_dates_of_every_page(slug):
    h2, h3, date = STRUCTURE[slug]
    parsed, html = page(slug)
    assert headings(html, 2) == h2
    assert headings(html, 3) == h3
    assert parsed.original_date == date  # none invented: only the reading list gives one


def test_the_reading_list_date_line_is_its_date_not_its_summary():
    parsed, _html = page("collaborative-leadership-reading-list")
    assert "Kings Fund – 18th July 2023" not in parsed.body
    assert summarise_markdown(parsed.body).startswith("The health needs of the population are changing")


def test_each_reading_list_entry_has_its_source_line_under_its_title():
    _, html = page("collaborative-leadership-reading-list")
    for source in (
        "Social Market Foundation – July 2023",
        "NHS Leadership Academy | nd | Leadership Listens: inspirational podcasts",
        "The King’s Fund | February 2022 | What is compassionate leadership?",
        "Future Learn &amp; The King’s Fund | January 2022 | An introduction to leading with kindness and "
        "compassion in health and social care",
        "Siemens | December 2021 | Reframing the Patient Experience A new scorecard for healthcare leaders",
        "The King’s Fund | 18 May 2021 | Decision-making in uncertain times",
    ):
        assert f"</h2>\n<p><em>{source}</em></p>" in html


def test_addresses_become_links():
    _, html = page("collaborative-leadership-reading-list")
    assert '<a href="https://doi.org/10.12968/bjhc.2021.0135" rel="noopener">' in html


def test_repeated_link_texts_without_an_address_are_dropped():
    parsed, html = page("collaborative-leadership-reading-list")
    assert "Further information" not in parsed.body
    assert "Siemens Reframing" not in parsed.body
    # Each entry's title is its heading (and in its source line), not repeated after the entry.
    text = unescape(html).replace("\u00a0", " ")
    for title in (
        "What is compassionate leadership?",
        "Decision-making in uncertain times",
        "So close to love: compassionate leadership in healthcare",
    ):
        assert f"<h2>{title}</h2>" in text
        assert f"<p>{title}</p>" not in text
    # The see-also item names a course in other words: it is content, kept.
    assert "<p>The King’s Fund An introduction to leading with kindness" in html


def test_a_repeated_title_with_an_address_is_kept_as_a_link():
    blocks = [["Entry"], ["Org | 2020 | Entry"], ["Text."], ["Entry https://example.org/entry"]]
    result = structure(blocks, title="Page")
    html = render_markdown_article(result.body)
    assert '<a href="https://example.org/entry"' in html
    assert result.dropped == []


def test_quotations_are_block_quotes_with_their_wraps_joined():
    _, html = page("shared-decision-making")
    assert "I’ll leave you with her words:</p>\n<blockquote>\n<p>Our great human capacities" in html
    _, html = page("collaborative-leadership-reading-list")
    assert "<blockquote>\n<p>Perhaps its most interesting feature" in html
    assert "what goes into creating what will be perceived" in html  # a hard wrap, joined
    assert "They want to feel safe and cared for (Siemens).</p>\n</blockquote>" in html


def test_images_that_are_not_there_are_captioned_as_not_reproduced():
    _, html = page("collaborative-leadership-reading-list")
    assert html.count("<em>Image not reproduced.</em>") == 3
    assert (
        "<p><em>Image not reproduced.</em> Image shows the four behaviours of compassionate leadership. "
        "Image source: kingsfund.org.uk</p>" in html
    )
    assert "<li>What gets in the way of being compassionate?</li>\n</ul>" in html  # not in the list


def test_publication_details_are_a_list_at_the_end():
    parsed, html = page("patient-centred-leadership")
    assert html.endswith(
        "<h2>Publication details</h2>\n<ul>\n<li>Print copy: £8.50</li>\n<li>No. of pages: 52</li>\n"
        "<li>ISBN: 978 1 909029 08 8</li>\n</ul>"
    )
    assert "Buy" not in parsed.body


def test_bylines_split_into_name_and_description():
    parsed, _ = page("leading-from-behind")
    assert parsed.byline_name == "Thomas Dahlborg"
    assert parsed.byline_description.startswith(
        "chief financial officer and vice president of strategy for NICHQ"
    )
    parsed, _ = page("shared-decision-making")
    assert (parsed.byline_name, parsed.byline_description) == (
        "Marcus Powell",
        "Director of Leadership, The King's Fund",
    )


def test_the_pages_own_characters_are_never_read_as_markup():
    line = "# not a heading *or* _emphasis_ [or](a link) <b>or html</b> & 1. not a list"
    html = render_markdown_article(escape_markdown(line))
    assert "<h" not in html and "<em>" not in html and "<a " not in html and "<b>" not in html
    assert (
        "# not a heading *or* _emphasis_ [or](a link) &lt;b&gt;or html&lt;/b&gt; &amp; 1. not a list" in html
    )
    assert render_markdown_article(escape_markdown("1. starts like a list")) == "<p>1. starts like a list</p>"


def test_a_short_line_is_a_heading_only_when_content_follows():
    result = structure([["Intro"], ["Some text."], ["The end"]], title="T")
    assert result.headings == ["Intro"]  # "The end" has nothing after it: a paragraph
    result = structure([["Named"], ["Some text."]], title="T", headings=["Named"])
    assert result.headings == ["Named"]
    result = structure([["Ends with a full stop."], ["Some text."]], title="T")
    assert result.headings == []
