"""Give templates their formatting helpers (dates, role badges, plurals)."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Flask, current_app, g
from flask_login import current_user
from markupsafe import Markup

from forum import permissions
from forum.models import Comment, FlagReason, Profile, RoleSource
from forum.models.base import utcnow
from forum.services import notifications, queue, sanctions
from forum.services.threads import ThreadAuthor
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
# The same, short enough for the badge beside a name.
ROLE_SOURCE_SHORT = {
    RoleSource.DECLARED: "self-declared",
    RoleSource.SOURCE: "from original page",
    RoleSource.VERIFIED: "verified",
}


def can_edit(comment: Comment) -> bool:
    """Tell templates whether the viewer may edit ``comment`` now (not while suspended or banned)."""
    window = timedelta(minutes=current_app.config["EDIT_WINDOW_MINUTES"])
    allowed = permissions.can_edit_comment(current_viewer(), comment, utcnow(), window)
    return allowed and current_sanction() is None


def can_delete(comment: Comment) -> bool:
    """Tell templates whether the viewer may delete ``comment``."""
    return permissions.can_delete_comment(current_viewer(), comment)


def can_report(comment: Comment) -> bool:
    """Tell templates whether the viewer may report ``comment`` now (not while suspended or banned)."""
    return permissions.can_flag(current_viewer(), comment) and current_sanction() is None


def is_own(comment: Comment) -> bool:
    """Tell templates whether the viewer wrote ``comment``."""
    return permissions.is_author(current_viewer(), comment)


def author_line_once(profile: Profile | ThreadAuthor) -> Markup:
    """Render a person's author line (the ``author_line`` macro) once per request: a thread page
    shows the same few dozen people beside hundreds of comments."""
    try:
        lines: dict[int, Markup] = g.author_lines
    except AttributeError:
        lines = g.author_lines = {}
    line = lines.get(profile.id)
    if line is None:
        macro = current_app.jinja_env.get_template("_macros.html").module.author_line  # type: ignore[attr-defined]
        line = lines[profile.id] = macro(profile)  # a macro's output is already Markup
    return line


def current_sanction() -> str | None:
    """Say what the viewer may not do and why, once per request (None when free to post)."""
    if "sanction_text" not in g:
        sanction = sanctions.active_sanction(current_user.id) if current_user.is_authenticated else None
        g.sanction_text = sanctions.describe(sanction) if sanction else None
    return g.sanction_text


def header_counts() -> dict[str, int]:
    """Count unread notifications (and, for moderators, the queue) for the page header."""
    if not current_user.is_authenticated:
        return {}
    counts = {"notifications": notifications.unread_count(current_user)}
    if current_user.is_moderator:
        counts["queue"] = queue.queue_size()
    return counts


def register_helpers(app: Flask) -> None:
    """Register the helpers as Jinja filters and globals."""
    app.add_template_filter(format_date, "date")
    app.add_template_global(plural, "plural")
    app.jinja_env.globals["role_source_text"] = ROLE_SOURCE_TEXT
    app.jinja_env.globals["role_source_short"] = ROLE_SOURCE_SHORT
    app.add_template_global(can_edit)
    app.add_template_global(can_delete)
    app.add_template_global(can_report)
    app.add_template_global(is_own)
    app.add_template_global(current_sanction)
    app.add_template_global(author_line_once)
    app.add_template_global(header_counts)
    app.jinja_env.globals["flag_reasons"] = list(FlagReason)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
