"""Read the forum's notices (the privacy notice, the house rules): Markdown files under
``templates/notices/`` that the operator edits, each with a ``title`` and a ``version`` at its top.

    ---
    title: Privacy notice
    version: 2026-12-02
    ---
    Text in Markdown (headings, lists, tables, links; raw HTML is shown as text).

The version is what members agree to; a new version is a material change (docs/privacy.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from markdown_it import MarkdownIt
from markupsafe import Markup

from forum.platform.config import PROJECT_ROOT

FOLDER = PROJECT_ROOT / "templates" / "notices"
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


@dataclass(frozen=True)
class Notice:
    """One notice: its name, title, version and text rendered to HTML."""

    name: str
    title: str
    version: str
    html: Markup


def parse(name: str, text: str) -> Notice:
    """Read a notice's front matter and render its Markdown.

    :raises ValueError: when the title or the version is missing.
    """
    meta: dict[str, str] = {}
    body = text
    if text.startswith("---\n"):
        head, _, body = text[4:].partition("\n---\n")
        for line in head.splitlines():
            key, _, value = line.partition(":")
            meta[key.strip()] = value.strip()
    if not meta.get("title") or not meta.get("version"):
        raise ValueError(f"notice {name!r} needs a title and a version at its top")
    html = _markdown.render(body)  # html=False: raw HTML in the file is shown as text
    return Notice(name, meta["title"], meta["version"], Markup(html))  # noqa: S704  # nosec B704 - rendered with html off


@cache
def _load(path: Path, mtime: float) -> Notice:
    return parse(path.stem, path.read_text(encoding="utf-8"))


def notice(name: str, folder: Path = FOLDER) -> Notice:
    """The notice called ``name`` (re-read when its file changes).

    :raises FileNotFoundError: when there is no such notice.
    """
    path = folder / f"{name}.md"
    return _load(path, path.stat().st_mtime)
