"""Give templates their formatting helpers (dates, role badges, plurals)."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Flask, current_app

from forum import permissions
from forum.models import Comment, RoleSource
from forum.models.base import utcnow
from forum.viewer import current_viewer


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


def can_edit(comment: Comment) -> bool:
    """Tell templates whether the viewer may edit ``comment`` now."""
    window = timedelta(minutes=current_app.config["EDIT_WINDOW_MINUTES"])
    return permissions.can_edit_comment(current_viewer(), comment, utcnow(), window)


def can_delete(comment: Comment) -> bool:
    """Tell templates whether the viewer may delete ``comment``."""
    return permissions.can_delete_comment(current_viewer(), comment)


def register_helpers(app: Flask) -> None:
    """Register the helpers as Jinja filters and globals."""
    app.add_template_filter(format_date, "date")
    app.add_template_global(plural, "plural")
    app.jinja_env.globals["role_source_text"] = ROLE_SOURCE_TEXT
    app.add_template_global(can_edit)
    app.add_template_global(can_delete)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
