"""Render the forum's notices (the privacy notice, the house rules) from their Markdown files
(read by forum/platform/notice_files.py, which says their format); raw HTML in a file is shown as text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from markdown_it import MarkdownIt
from markupsafe import Markup

from forum.platform import notice_files
from forum.platform.notice_files import FOLDER

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
    return _render(notice_files.split(name, text))


def _render(found: notice_files.NoticeFile) -> Notice:
    html = _markdown.render(found.markdown)  # html=False: raw HTML in the file is shown as text
    return Notice(found.name, found.title, found.version, Markup(html))  # noqa: S704  # nosec B704 - rendered with html off


@cache
def _rendered(found: notice_files.NoticeFile) -> Notice:
    return _render(found)


def notice(name: str, folder: Path = FOLDER) -> Notice:
    """The notice called ``name`` (re-read when its file changes).

    :raises FileNotFoundError: when there is no such notice.
    """
    return _rendered(notice_files.read(name, folder))
