"""Turn user and seed text into safe HTML, once, at write time.

Comments are plain text with paragraphs and a small Markdown subset (emphasis, links,
lists, quotes). markdown-it-py renders with raw HTML disabled; nh3 (an allow-list
sanitiser) then cleans the result again so a renderer bug cannot become an XSS hole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TypeVar

import nh3
from linkify_it import LinkifyIt
from linkify_it.main import Match
from markdown_it import MarkdownIt

T = TypeVar("T")

_markdown = MarkdownIt("zero", {"html": False, "linkify": True, "breaks": True, "typographer": False}).enable(
    ["emphasis", "link", "list", "blockquote", "linkify", "newline", "escape", "backticks"]
)


class _DeclaredLinks(LinkifyIt):
    """Link only addresses that say they are links: a scheme, "www." or an email address.

    Guessing bare domains turns a missing space after a full stop ("safety.by saving") into a
    link to a foreign site. The moderation rule for links still guesses (services/rules.py),
    since a hold costs little.
    """

    def match(self, text: str) -> list[Match] | None:
        found = [m for m in super().match(text) or [] if m.schema or m.raw.lower().startswith("www.")]
        return found or None


_markdown.linkify = _DeclaredLinks()

_ALLOWED_TAGS = {"p", "br", "em", "strong", "a", "ul", "ol", "li", "blockquote", "code"}
_ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
_LINK_REL = "nofollow ugc noopener"
_BULLET = re.compile(r"^\s*[•\-\*]\s+")


def sanitise(html: str) -> str:
    """Clean HTML against the comment allow-list; links get ``rel="nofollow ugc noopener"``."""
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=_LINK_REL,
    )


def render_comment(text: str) -> str:
    """Render comment text (Markdown subset, line breaks kept) to sanitised HTML."""
    return sanitise(_markdown.render(text)).strip()


_SENTENCE_END = tuple(".?!:;\"'”’)…")
HARD_WRAP_MIN = 50


def unwrap_hard_wraps(text: str) -> str:
    """Rejoin lines that a copy-and-paste broke mid-sentence (imported pages only).

    A line of at least ``HARD_WRAP_MIN`` characters that does not end a sentence runs on
    into the next line; short lines and lines ending in punctuation keep their break, so a
    signature ("Thank you / Mark Duman") stays as written.
    """
    lines = text.split("\n")
    out: list[str] = []
    for index, line in enumerate(lines):
        previous = out[-1] if out else ""
        runs_on = len(previous.rstrip()) >= HARD_WRAP_MIN and not previous.rstrip().endswith(_SENTENCE_END)
        if line.strip() and previous.strip() and runs_on:
            out[-1] = previous.rstrip() + " " + line.lstrip()
        elif not line.strip() and previous.strip() and runs_on and _continues(lines, index):
            continue  # a blank line inside a sentence ("… Mid Staffs NHS" / "Foundation Trust") is a wrap
        else:
            out.append(line)
    return "\n".join(out)


def _continues(lines: list[str], index: int) -> bool:
    """Whether the blank line at ``index`` falls inside a sentence of a hard-wrapped passage.

    It does when the line before it, as written, is a long wrapped line cut after a word (it ends
    in a letter or digit, not in punctuation), itself continues the line above, and text follows.
    """
    before = lines[index - 1].rstrip() if index >= 1 else ""
    earlier = lines[index - 2] if index >= 2 else ""
    following = lines[index + 1] if index + 1 < len(lines) else ""
    return (
        len(before) >= HARD_WRAP_MIN
        and before[-1:].isalnum()
        and bool(earlier.strip())
        and bool(following.strip())
    )


def normalise_comment(text: str) -> str:
    """Trim the text and unify line endings, as stored and counted for validation."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def blocks_of(lines: Iterable[T], text_of: Callable[[T], str]) -> list[list[T]]:
    """Group lines into blocks: runs of non-blank lines, separated by blank ones (kept as given)."""
    blocks: list[list[T]] = []
    current: list[T] = []
    for line in lines:
        if text_of(line).strip():
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def split_blocks(text: str) -> list[list[str]]:
    """Split text into blocks of non-blank lines separated by blank lines (each line trimmed)."""
    return [[line.strip() for line in block] for block in blocks_of(text.splitlines(), str)]


def summarise(text: str, limit: int = 240) -> str:
    """Return the first paragraph, cut at a word boundary to ``limit`` characters."""
    for block in split_blocks(text):
        first = " ".join(_BULLET.sub("", line) for line in block)
        if len(first) <= limit:
            return first
        cut = first[:limit].rsplit(" ", 1)[0].rstrip(",;:–-")
        return cut + "…"
    return ""


# Articles written by editors: Markdown with headings (levels 2-4), paragraphs, lists, quotes, links
# and emphasis, through the same renderer family and the same allow-list sanitiser as comments.
_article_markdown = MarkdownIt(
    "zero", {"html": False, "linkify": True, "breaks": False, "typographer": False}
).enable(["heading", "lheading", "emphasis", "link", "list", "blockquote", "linkify", "escape", "backticks"])
_article_markdown.linkify = _DeclaredLinks()
# The image rule is on only to find images (refused: the forum serves no uploads).
_image_finder = MarkdownIt("zero", {"html": False}).enable(["image", "link"])
_ARTICLE_TAGS = _ALLOWED_TAGS | {"h2", "h3", "h4"}
_DOT_BULLET = re.compile(r"^[ \t]*•[ \t]+", re.MULTILINE)
_ARTICLE_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}


def has_images(text: str) -> bool:
    """Tell whether Markdown text asks for an image (``![alt](address)``)."""
    for token in _image_finder.parse(text):
        if any(child.type == "image" for child in token.children or []):
            return True
    return False


# Comments: every way Markdown asks for a picture, inline or by reference, with where it starts.
_comment_image_finder = MarkdownIt("zero", {"html": False}).enable(
    ["image", "link", "reference", "blockquote", "list", "backticks", "escape", "newline"]
)
_BREAKS = ("softbreak", "hardbreak")


def image_lines(text: str) -> list[int]:
    """Return the line numbers (from 1) of the pictures Markdown text asks for, in order."""
    if "![" not in text:  # every picture Markdown knows starts so: no need to parse the text
        return []
    lines: list[int] = []
    for token in _comment_image_finder.parse(text):
        if token.type != "inline" or not token.map:
            continue
        offset = 0
        for child in token.children or []:
            if child.type in _BREAKS:
                offset += 1
            elif child.type == "image" and token.map[0] + offset + 1 not in lines:
                lines.append(token.map[0] + offset + 1)
    return lines


def render_markdown_article(text: str) -> str:
    """Render an editor's Markdown article body to sanitised HTML (headings kept within levels 2-4).

    Raw HTML is shown as text; a level-1 heading becomes level 2 (the page's title is the h1) and
    levels 5-6 become level 4.
    """
    tokens = _article_markdown.parse(_DOT_BULLET.sub("- ", text))  # "•" lists (imported pages) are lists
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(max(int(token.tag[1]), 2), 4)
            token.tag = f"h{level}"
    html = _article_markdown.renderer.render(tokens, _article_markdown.options, {})
    return nh3.clean(
        html,
        tags=_ARTICLE_TAGS,
        attributes=_ARTICLE_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener",
    ).strip()


_MARKUP = re.compile(r"^>\s*|[*_`]+|\[([^\]]*)\]\([^)]*\)")


def summarise_markdown(text: str, limit: int = 240) -> str:
    """Return the first paragraph of Markdown text as plain words (headings skipped), cut to ``limit``."""
    paragraphs = [block for block in split_blocks(text) if not block[0].startswith("#")]
    plain = "\n\n".join(
        "\n".join(_MARKUP.sub(lambda m: m.group(1) or "", line) for line in block) for block in paragraphs
    )
    return summarise(plain, limit)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#!|])")


def quote_markdown(body: str, name: str, number: int, address: str) -> str:
    """Quote a comment's text as a Markdown block quote ending in a link to it, then a blank line."""
    quoted = [f"> {line}".rstrip() for line in normalise_comment(body).split("\n")]
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", name)  # a name is words, never markup
    credit = f"> — [{escaped}, #{number}]({address})"
    return "\n".join([*quoted, ">", credit]) + "\n\n"
