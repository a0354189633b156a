"""Give an imported page back the structure its copy lost: headings, entries, quotes, captions, details.

A copied web page arrives as blocks of plain lines. Pure functions here read which block was a
heading, a reading-list entry's title and source line, a quotation, a caption of an image the copy
does not have, a publication detail or a repeated link text, and write the body as the Markdown an
editor would have written (every character of the page's own text escaped, so nothing in it is read
as markup). The rules are listed in docs/seeds.md; the manifest can name headings and quotations the
rules cannot see.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
# "Kings Fund – 18th July 2023", "Social Market Foundation – July 2023": a source and a date.
SOURCE_AND_DATE = re.compile(
    rf"^(?P<source>\S.*?)\s+[–—-]\s+(?P<date>(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?(?:{MONTHS})\s+\d{{4}})$"
)
# "The King's Fund | February 2022 | What is compassionate leadership?"
PIPED_SOURCE = re.compile(r"^[^|]+\|[^|]+\|[^|]+$")
# "Evans, D. (2022). So close to love: …": a reference in the author-date style.
CITATION = re.compile(r"^[A-Z][\w'’-]+,\s+(?:[A-Z]\.\s?)+\(\d{4}\)\.")
CAPTION = re.compile(r"^(?:Image shows|Image source:)", re.I)
PRICE = re.compile(r"^(?P<label>Print copy):\s*(?P<price>.+?)\s*\|\s*Buy$")
DETAIL = re.compile(r"^(?:No\. of pages|ISBN|Price|Published|Publisher):\s*\S")
FURTHER_INFORMATION = re.compile(r"^Further information\s*[–—-]\s*(?P<title>.+)$", re.I)
ADDRESS = re.compile(r"(?:https?://|www\.)\S+", re.I)
BULLET = re.compile(r"^[\s\u00a0]*•[\s\u00a0]*")
HEADING_MAX = 80
# A heading ends without a sentence's punctuation; a colon is allowed ("See also:").
_CLOSING = tuple(".!?,;\"'”’)…]")
_ESCAPE = re.compile(r"([\\`*_\[\]<>&#|~])")
_LINE_START = re.compile(r"^(\s*)(\d*)([-+=>.)])(?=\s|$)")


@dataclass(frozen=True)
class Structured:
    """A page's body as Markdown, with what was read out of it."""

    body: str
    original_date: str | None = None  # as the page writes it, ordinal dropped: "18 July 2023"
    headings: list[str] = field(default_factory=list)
    entries: list[str] = field(default_factory=list)  # reading-list entries' titles
    dropped: list[str] = field(default_factory=list)  # repeated link texts taken out


def fold(text: str) -> str:
    """Compare lines loosely: non-breaking spaces, runs of spaces, case, curly apostrophes."""
    return " ".join(text.replace("\u00a0", " ").replace("’", "'").split()).casefold()


def escape_markdown(text: str) -> str:
    """Escape a line of the page's own text so Markdown reads it as words (addresses left whole)."""
    out: list[str] = []
    position = 0
    for match in ADDRESS.finditer(text):
        out.append(_ESCAPE.sub(r"\\\1", text[position : match.start()]))
        out.append(match.group(0))
        position = match.end()
    out.append(_ESCAPE.sub(r"\\\1", text[position:]))
    escaped = "".join(out)
    return _LINE_START.sub(lambda m: m.group(1) + m.group(2) + "\\" + m.group(3), escaped)


def _is_source_line(line: str) -> bool:
    return bool(PIPED_SOURCE.match(line) or SOURCE_AND_DATE.match(line) or CITATION.match(line))


def _split_runs(block: list[str], quote_openings: tuple[str, ...]) -> list[list[str]]:
    """Split a block where its kind changes: bullets, captions and quotations start their own."""
    runs: list[list[str]] = []
    kind = None
    for line in block:
        line_kind = (
            "bullet"
            if BULLET.match(line)
            else "caption"
            if CAPTION.match(line)
            else "quote"
            if any(fold(line).startswith(fold(q)) for q in quote_openings)
            else "text"
        )
        if runs and (line_kind == kind or (kind == "quote" and line_kind == "text")):
            runs[-1].append(line)
            continue
        runs.append([line])
        kind = line_kind
    return runs


def _date_of(source_line: str) -> str | None:
    match = SOURCE_AND_DATE.match(source_line)
    if not match:
        return None
    return re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", match.group("date"))


def structure(
    blocks: Iterable[list[str]],
    *,
    title: str,
    headings: Iterable[str] = (),
    quotes: Iterable[str] = (),
) -> Structured:
    """Read the structure of a page's body blocks (lines already stripped) and write it as Markdown."""
    quote_openings = tuple(quotes)
    named_headings = {fold(h) for h in headings}
    runs = [run for block in blocks for run in _split_runs(block, quote_openings)]

    original_date = None
    if runs and len(runs[0]) == 1 and (date := _date_of(runs[0][0])):
        original_date = date  # the page's own date line, under its title
        runs = runs[1:]

    details: list[str] = []
    kept: list[list[str]] = []
    for run in runs:
        if len(run) == 1 and (price := PRICE.match(run[0])):
            details.append(f"{price.group('label')}: {price.group('price')}")
        elif len(run) == 1 and DETAIL.match(run[0]):
            details.append(run[0])
        else:
            kept.append(run)
    runs = kept

    entry_at = {
        i
        for i in range(len(runs) - 1)
        if len(runs[i]) == 1
        and len(runs[i + 1]) == 1
        and _is_source_line(runs[i + 1][0])
        and not _is_source_line(runs[i][0])
    }
    titles = {fold(title), *(fold(runs[i][0]) for i in entry_at)}

    def repeats_a_title(line: str) -> bool:
        if ADDRESS.search(line):
            return False  # a link text with its address is a link: kept
        folded = fold(line)
        if further := FURTHER_INFORMATION.match(line):
            return fold(further.group("title")) in titles
        return folded in titles or any(
            folded.endswith(" " + t) and len(folded[: -len(t)].split()) <= 4 for t in titles
        )

    def is_heading(i: int) -> bool:
        run = runs[i]
        if len(run) != 1 or i in entry_at or BULLET.match(run[0]) or CAPTION.match(run[0]):
            return False
        line = run[0]
        if fold(line) in named_headings:
            return True
        if len(line) > HEADING_MAX or line.endswith(_CLOSING) or _is_source_line(line):
            return False
        following = runs[i + 1] if i + 1 < len(runs) else None
        return following is not None and i + 1 not in entry_at and not repeats_a_title(following[0])

    parts: list[str] = []
    found_headings: list[str] = []
    entries: list[str] = []
    dropped: list[str] = []
    in_entry = False
    i = 0
    while i < len(runs):
        run = runs[i]
        first = run[0]
        if i in entry_at:
            in_entry = True
            entries.append(first)
            parts.append("## " + escape_markdown(first))
            parts.append("*" + escape_markdown(runs[i + 1][0]) + "*")  # its source line
            i += 2
            continue
        if len(run) == 1 and repeats_a_title(first):
            dropped.append(first)
        elif BULLET.match(first):
            parts.append("\n".join("- " + escape_markdown(BULLET.sub("", line).strip()) for line in run))
        elif CAPTION.match(first):
            text = " ".join(line.strip() for line in run)
            parts.append("*Image not reproduced.* " + escape_markdown(text))
        elif any(fold(first).startswith(fold(q)) for q in quote_openings):
            parts.append("> " + escape_markdown(" ".join(line.strip() for line in run)))
        elif is_heading(i):
            found_headings.append(first)
            parts.append(("### " if in_entry else "## ") + escape_markdown(first))
        else:
            parts.append(escape_markdown(" ".join(line.strip() for line in run)))
        i += 1
    if details:
        parts.append("## Publication details")
        parts.append("\n".join("- " + escape_markdown(d) for d in details))
    return Structured(
        body="\n\n".join(parts),
        original_date=original_date,
        headings=found_headings,
        entries=entries,
        dropped=dropped,
    )
