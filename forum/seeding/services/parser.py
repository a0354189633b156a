"""Parse one seed document (a page copied from the web) into an article and its comments.

Pure functions over text: no database, so the format rules are easy to test and a
document is known to be sound before anything of it is written. Blocks are split the way article
bodies are (``forum/discussion/services/text.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from forum.discussion.services.text import blocks_of
from forum.seeding.services.structure import structure

HEADER = re.compile(r"^#(\d+)[ \t]+(\S.*?)\s*$")
HEADER_WITHOUT_NAME = re.compile(r"^#(\d+)\s*$")
COMMENTS_MARKER = "Comments"
COMMENT_COUNT = re.compile(r"^Comments:\s*(\d+)$")
END_OF_COMMENTS = "Add new comment"
BULLET = re.compile(r"^[\s\u00a0]*•[\s\u00a0]*")
BYLINE = re.compile(r"^(?:Guest post by|By)[\s\u00a0]+(?P<byline>\S.*)$")
# Lines that belong to the website around the article, not to the article.
FURNITURE = (
    re.compile(r"^Keep up to date$"),
    re.compile(r"^Subscribe to our .*newsletters?"),
    re.compile(r"^Add new comment$"),
    COMMENT_COUNT,
)
HONORIFICS = {"dr", "mr", "mrs", "ms", "miss", "prof", "professor", "sir", "dame", "rev", "cllr"}
SALUTATION = re.compile(r"^(?P<name>[^\W\d_][\w'’.-]*)\s*(?:[-–—,:!]|$)")


class SeedFormatError(ValueError):
    """A seed document breaks the format; names the file and line."""

    def __init__(self, filename: str, line: int, message: str) -> None:
        super().__init__(f"{filename}:{line}: {message}")
        self.filename = filename
        self.line = line
        self.message = message


@dataclass(frozen=True)
class ParsedComment:
    """One comment as written on the page."""

    number: int
    name: str
    job_title: str | None
    organisation: str | None
    body: str
    line: int
    reply_to: int | None = None


@dataclass(frozen=True)
class ParsedArticle:
    """One page: its title block, body text and comments in page order."""

    title: str
    subtitle: str | None
    byline: str | None
    body: str  # Markdown, the page's own words escaped (structure.py)
    comments: list[ParsedComment] = field(default_factory=list)
    original_date: str | None = None  # as the page gives it ("18 July 2023"), or None

    @property
    def byline_name(self) -> str | None:
        """The author's name: the byline up to its first comma ("Thomas Dahlborg")."""
        return self.byline.split(",", 1)[0].strip() if self.byline else None

    @property
    def byline_description(self) -> str | None:
        """What the byline says of the author after their name, if anything."""
        if not self.byline or "," not in self.byline:
            return None
        return self.byline.split(",", 1)[1].strip() or None


@dataclass
class _Line:
    number: int
    text: str


def _is_furniture(text: str) -> bool:
    return any(pattern.search(text) for pattern in FURNITURE)


def _none_if_none(value: str | None) -> str | None:
    """Read the page's "None" (no organisation given) as no value."""
    if value is None or value.strip().casefold() == "none":
        return None
    return value


def _blocks(lines: list[_Line]) -> list[list[_Line]]:
    return blocks_of(lines, lambda line: line.text)


def _clean_body_line(text: str) -> str:
    if BULLET.match(text):
        return "• " + BULLET.sub("", text).strip()
    return text.strip()


def parse_document(
    text: str,
    *,
    filename: str,
    title: str | None = None,
    has_subtitle: bool = False,
    byline: str | None = None,
    headings: tuple[str, ...] = (),
    quotes: tuple[str, ...] = (),
) -> ParsedArticle:
    """Split a page into title, subtitle, byline, body and comments.

    ``title`` and ``byline`` come from the manifest for pages whose text lacks them; ``headings``
    and ``quotes`` (a quotation's opening words) name what the structure rules cannot see.

    :raises SeedFormatError: where a comment header is missing or malformed, a comment
        number repeats, a comment has no text, or the page's comment count disagrees.
    """
    lines = [_Line(n, t.rstrip()) for n, t in enumerate(text.splitlines(), start=1)]
    marker = next((i for i, line in enumerate(lines) if line.text.strip() == COMMENTS_MARKER), None)
    page = lines if marker is None else lines[:marker]
    declared_count = next(
        ((line, int(m.group(1))) for line in page if (m := COMMENT_COUNT.match(line.text.strip()))),
        None,
    )
    blocks = _blocks([line for line in page if not _is_furniture(line.text.strip())])

    if title is None:
        if not blocks:
            raise SeedFormatError(filename, 1, "the page has no title line and the manifest gives none")
        title_block = blocks.pop(0)
        title = title_block[0].text.strip()
        rest = title_block[1:]
        if rest:
            blocks.insert(0, rest)
    subtitle = None
    if has_subtitle and blocks:
        subtitle_block = blocks.pop(0)
        subtitle = subtitle_block[0].text.strip()
        if subtitle_block[1:]:
            blocks.insert(0, subtitle_block[1:])
    if byline is None and blocks and (m := BYLINE.match(blocks[0][0].text.strip())):
        byline = m.group("byline").strip()
        blocks[0] = blocks[0][1:]
        if not blocks[0]:
            blocks.pop(0)
    # A download box repeats "Title: Subtitle" next to the print copy; it is not content.
    repeated_title = f"{title}: {subtitle}" if subtitle else None
    blocks = [
        kept for block in blocks if (kept := [line for line in block if line.text.strip() != repeated_title])
    ]
    page_structure = structure(
        [[_clean_body_line(line.text) for line in block] for block in blocks],
        title=title,
        headings=headings,
        quotes=quotes,
    )

    comments = [] if marker is None else _parse_comments(lines[marker + 1 :], filename)
    if declared_count is not None and declared_count[1] != len(comments):
        line, count = declared_count
        raise SeedFormatError(
            filename, line.number, f"the page says {count} comments but {len(comments)} were found"
        )
    return ParsedArticle(
        title=title,
        subtitle=subtitle,
        byline=byline,
        body=page_structure.body,
        comments=comments,
        original_date=page_structure.original_date,
    )


def _parse_comments(lines: list[_Line], filename: str) -> list[ParsedComment]:
    end = next((i for i, line in enumerate(lines) if line.text.strip() == END_OF_COMMENTS), len(lines))
    blocks = _blocks(lines[:end])
    raw: list[tuple[_Line, re.Match[str], list[str], list[list[_Line]]]] = []
    for block in blocks:
        first = block[0].text.strip()
        header = HEADER.match(first)
        if header:
            meta = [line.text.strip() for line in block[1:]]
            if len(meta) > 2:
                raise SeedFormatError(
                    filename,
                    block[3].number,
                    f"comment #{header.group(1)} has more than two lines (job title, organisation) "
                    "before its text",
                )
            raw.append((block[0], header, meta, []))
            continue
        if HEADER_WITHOUT_NAME.match(first):
            raise SeedFormatError(filename, block[0].number, f"comment header {first!r} has no name")
        if not raw:
            raise SeedFormatError(
                filename,
                block[0].number,
                f"expected a '#NUMBER Name' line to start a comment, found {first[:60]!r}",
            )
        raw[-1][3].append(block)

    comments: list[ParsedComment] = []
    seen: dict[int, int] = {}
    for header_line, header, meta, body_blocks in raw:
        number = int(header.group(1))
        if number in seen:
            raise SeedFormatError(
                filename,
                header_line.number,
                f"comment #{number} repeats the number first used on line {seen[number]}",
            )
        seen[number] = header_line.number
        if not body_blocks:
            raise SeedFormatError(filename, header_line.number, f"comment #{number} has no text")
        body = "\n\n".join("\n".join(line.text.rstrip() for line in block) for block in body_blocks)
        comments.append(
            ParsedComment(
                number=number,
                name=header.group(2),
                job_title=_none_if_none(meta[0] if meta else None),
                organisation=_none_if_none(meta[1] if len(meta) > 1 else None),
                body=body,
                line=header_line.number,
            )
        )
    return _link_replies(comments)


def first_name(name: str) -> str | None:
    """Return the first name of a display name, skipping honorifics ("Dr DJ Brown" -> "DJ")."""
    words = [w for w in re.split(r"\s+", name.strip()) if w]
    while words and words[0].rstrip(".").casefold() in HONORIFICS:
        words.pop(0)
    return words[0] if words else None


def _link_replies(comments: list[ParsedComment]) -> list[ParsedComment]:
    """Make a comment that opens by addressing an earlier commenter a reply to them."""
    linked: list[ParsedComment] = []
    for index, comment in enumerate(comments):
        opening = comment.body.lstrip().split("\n", 1)[0]
        match = SALUTATION.match(opening)
        reply_to = None
        if match:
            addressed = match.group("name").casefold()
            for earlier in reversed(comments[:index]):
                earlier_first = first_name(earlier.name)
                if (
                    earlier_first
                    and earlier_first.casefold() == addressed
                    and earlier.name.casefold() != comment.name.casefold()
                ):
                    reply_to = earlier.number
                    break
        linked.append(
            ParsedComment(
                number=comment.number,
                name=comment.name,
                job_title=comment.job_title,
                organisation=comment.organisation,
                body=comment.body,
                line=comment.line,
                reply_to=reply_to,
            )
        )
    return linked
