"""Give templates their formatting helpers (dates, role badges, plurals)."""

from __future__ import annotations

from datetime import datetime

from flask import Flask

from forum.models import RoleSource


def format_date(value: datetime) -> str:
    """Format a date the British way: 21 November 2026."""
    return f"{value.day} {value:%B %Y}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """Return "1 comment" / "2 comments"."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"


ROLE_SOURCE_TEXT = {
    RoleSource.DECLARED: "Role as stated by this person",
    RoleSource.SOURCE: "Role taken from the original page",
    RoleSource.VERIFIED: "Role verified by a moderator",
}


def register_helpers(app: Flask) -> None:
    """Register the helpers as Jinja filters and globals."""
    app.add_template_filter(format_date, "date")
    app.add_template_global(plural, "plural")
    app.jinja_env.globals["role_source_text"] = ROLE_SOURCE_TEXT
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
