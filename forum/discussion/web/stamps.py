"""Stamp one rendering of a comment's actions for every comment on a page they fit.

A logged-in reader's thread page gives each comment the same actions (thanks, reply, quote, report
and, for moderators, moderate), differing only in the comment's number and its author's name,
except on the reader's own comments, those they thanked and the one a form is open under. The
thread template renders the actions once for a stand-in comment and copies them for each comment
that fits, with its number and name put in (a member's 1,000-comment page built 2 × faster, in
docs/performance.md). ``tests/functional/test_thread_overlay.py`` renders every page both ways.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app, request
from markupsafe import Markup, escape

from forum.accounts.http.identity import current_viewer
from forum.accounts.models import Role, RoleSource
from forum.discussion.models import CommentStatus
from forum.discussion.services.thread_rows import ThreadAuthor, ThreadComment, ThreadNode

# What stands for the number and the name while the copy is made: digits and characters no comment's
# number, no name (escaped) and no CSRF token contains.
STAMP_ID = 9_870_123_456_789
_STAMP_NAME = "\x1estamp-name\x1e"


def _stand_in() -> ThreadComment:
    comment = ThreadComment(
        STAMP_ID, 0, None, None, -1, "", "", CommentStatus.APPROVED,
        datetime(2000, 1, 1, tzinfo=UTC), None, None, None, None, None, None, False,
    )  # fmt: skip
    comment.author = ThreadAuthor(-1, _STAMP_NAME, None, None, Role.OTHER, RoleSource.DECLARED)
    return comment


STAND_IN = _stand_in()


# Slots of a frame (overlay.py): a thread list rendered once for every member of a kind, with marks
# where each member's page differs: "New" (N), the folds (F), the actions of a comment (A ... Z).
SLOT = "\x1e"
NEW_BADGE = ' <strong class="badge badge--new" id="new-{}">New</strong>'


def in_frame() -> bool:
    """True while the thread list is being rendered as a frame (overlay.py)."""
    return bool(getattr(request, "thread_frame", False))


def stamp_reader() -> int | None:
    """Whose comments do not fit the stamp on this page (asked once per page): the reader's profile;
    in a frame nobody's (-1: every published comment fits); None when stamps are off."""
    if not current_app.config["THREAD_STAMPS"]:
        return None
    if in_frame():
        return -1
    return current_viewer().profile_id or -1


def stamp_fits(comment: ThreadComment, form: dict[str, Any] | None, reader: int | None) -> bool:
    """True when ``comment``'s actions are the stand-in's: published, not the ``reader``'s
    (``stamp_reader``), not thanked by them, no form open under it."""
    return (
        reader is not None
        and comment.status == CommentStatus.APPROVED
        and comment.deleted_at is None
        and not comment.thanked
        and comment.author_id != reader
        and not (form and form.get("parent_id") == comment.id)
    )


def stamp_form(html: str, framed: bool) -> str:
    """Make the stand-in's rendered actions a format string: the number is {0}, the name {1} (in a
    frame, wrapped in the marks of that comment's actions). Once per page."""
    # Plain text: Markup's own format() escapes through a formatter written in Python (0.2 ms a comment).
    actions = str(html).replace("{", "{{").replace("}", "}}")
    actions = actions.replace(str(STAMP_ID), "{0}").replace(_STAMP_NAME, "{1}")
    return f"{SLOT}A{{0}}{SLOT}{actions}{SLOT}Z{SLOT}" if framed else actions


def stamped(form: str, comment: ThreadComment) -> Markup:
    """The stamp (``stamp_form``) with ``comment``'s number and author's name (escaped) put in."""
    actions = form.format(comment.id, str(escape(comment.author.display_name)))
    return Markup(actions)  # noqa: S704  # nosec B704 - rendered and escaped by the template, the name here


def new_mark(node: ThreadNode, framed: bool) -> Markup:
    """The "New" badge of a comment published since the member's last visit (a slot in a frame)."""
    if framed:
        return Markup(f"{SLOT}N{node.comment.id}{SLOT}")  # noqa: S704  # nosec B704 - digits
    badge = NEW_BADGE.format(node.comment.id) if node.new else ""
    return Markup(badge)  # noqa: S704  # nosec B704 - digits


def news_mark() -> Markup:
    """Where the line "N new since your last visit" goes in a frame's thread tools."""
    return Markup(f"{SLOT}W0{SLOT}")  # noqa: S704  # nosec B704 - a constant


def fold_mark(node: ThreadNode, framed: bool) -> Markup:
    """A fold's ``open`` attribute unless its replies start folded (a slot in a frame)."""
    if framed:
        return Markup(f"{SLOT}F{node.comment.id}{SLOT}")  # noqa: S704  # nosec B704 - digits
    return _CLOSED if node.folded else _OPEN


_OPEN, _CLOSED = Markup(" open"), Markup("")


def init_app(app: Flask) -> None:
    """Give the thread template the stand-in and the two helpers."""
    app.config.setdefault("THREAD_STAMPS", True)
    app.add_template_global(stamp_fits)
    app.add_template_global(stamp_reader)
    app.add_template_global(stamped)
    app.add_template_global(stamp_form)
    app.add_template_global(new_mark)
    app.add_template_global(fold_mark)
    app.add_template_global(news_mark)
    app.add_template_global(in_frame)
    app.jinja_env.globals["stamp_comment"] = STAND_IN
