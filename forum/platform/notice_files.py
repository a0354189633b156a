"""Read the forum's notices as files: ``templates/notices/<name>.md``, each with a ``title`` and a
``version`` at its top, then Markdown (rendered by forum/platform/notices.py).

    ---
    title: Privacy notice
    version: 2026-12-02
    ---
    Text in Markdown.

The version is what members agree to; a new version is a material change (docs/privacy.md). This
module reads no HTML, so the domain can ask which version stands (forum/accounts/services/consent.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from forum.platform.config import PROJECT_ROOT

FOLDER = PROJECT_ROOT / "templates" / "notices"


@dataclass(frozen=True)
class NoticeFile:
    """One notice as written: its name, title, version and Markdown text."""

    name: str
    title: str
    version: str
    markdown: str


def split(name: str, text: str) -> NoticeFile:
    """Read a notice's front matter.

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
    return NoticeFile(name, meta["title"], meta["version"], body)


@cache
def _load(path: Path, mtime: float) -> NoticeFile:
    return split(path.stem, path.read_text(encoding="utf-8"))


def read(name: str, folder: Path = FOLDER) -> NoticeFile:
    """The notice called ``name`` (re-read when its file changes).

    :raises FileNotFoundError: when there is no such notice.
    """
    path = folder / f"{name}.md"
    return _load(path, path.stat().st_mtime)
