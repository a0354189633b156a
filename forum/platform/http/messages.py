"""Flash messages placed beside what they concern (a comment) rather than at the top of the page.

A placed message is an ordinary flash whose category names its place (``"success at:comment-12"``),
so it lives in the session like any other (and so bypasses the shared anonymous cache) and is read
once. The page's top list shows only unplaced messages; the place shows its own.
"""

from __future__ import annotations

from flask import Flask, flash, get_flashed_messages

_AT = " at:"


def flash_at(place: str, message: str, category: str = "success") -> None:
    """Flash ``message`` to be shown at ``place`` (an element id such as ``comment-12``)."""
    flash(message, f"{category}{_AT}{place}")


def placed_messages() -> dict[str, list[tuple[str, str]]]:
    """Return this request's placed messages by place, each as (category, message)."""
    found: dict[str, list[tuple[str, str]]] = {}
    flashed: list[tuple[str, str]] = get_flashed_messages(with_categories=True)  # type: ignore[assignment]
    for category, message in flashed:
        kind, at, place = category.partition(_AT)
        if at:
            found.setdefault(place, []).append((kind, message))
    return found


def is_placed(category: str) -> bool:
    """Tell the page's top list to leave a message to its place."""
    return _AT in category


def init_app(app: Flask) -> None:
    """Let templates read placed messages."""
    app.add_template_global(placed_messages)
    app.add_template_test(is_placed, "placed")
