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


def stamp_fits(comment: ThreadComment, form: dict[str, Any] | None) -> bool:
    """True when ``comment``'s actions are the stand-in's: published, someone else's, not thanked by
    the reader, no form open under it (in a frame: published, whoever wrote or thanked it)."""
    if not (comment.status == CommentStatus.APPROVED and comment.deleted_at is None):
        return False
    if in_frame():
        return True
    return (
        not comment.thanked
        and comment.author_id != current_viewer().profile_id
        and not (form and form.get("parent_id") == comment.id)
        and bool(current_app.config["THREAD_STAMPS"])
    )


def stamped(html: str, comment: ThreadComment) -> Markup:
    """The stand-in's actions with ``comment``'s number and author's name put in (in a frame, marked
    as that comment's, for a member whose own or thanked comment it is)."""
    name = escape(comment.author.display_name)
    actions = html.replace(str(STAMP_ID), str(comment.id)).replace(_STAMP_NAME, name)
    if in_frame():
        actions = f"{SLOT}A{comment.id}{SLOT}{actions}{SLOT}Z{SLOT}"
    return Markup(actions)  # noqa: S704  # nosec B704 - rendered and escaped by the template, the name here


def new_mark(node: ThreadNode) -> Markup:
    """The "New" badge of a comment published since the member's last visit (a slot in a frame)."""
    if in_frame():
        return Markup(f"{SLOT}N{node.comment.id}{SLOT}")  # noqa: S704  # nosec B704 - digits
    badge = NEW_BADGE.format(node.comment.id) if node.new else ""
    return Markup(badge)  # noqa: S704  # nosec B704 - digits


def news_mark() -> Markup:
    """Where the line "N new since your last visit" goes in a frame's thread tools."""
    return Markup(f"{SLOT}W0{SLOT}")  # noqa: S704  # nosec B704 - a constant


def fold_mark(node: ThreadNode) -> Markup:
    """A fold's ``open`` attribute unless its replies start folded (a slot in a frame)."""
    if in_frame():
        return Markup(f"{SLOT}F{node.comment.id}{SLOT}")  # noqa: S704  # nosec B704 - digits
    return Markup("") if node.folded else Markup(" open")


def init_app(app: Flask) -> None:
    """Give the thread template the stand-in and the two helpers."""
    app.config.setdefault("THREAD_STAMPS", True)
    app.add_template_global(stamp_fits)
    app.add_template_global(stamped)
    app.add_template_global(new_mark)
    app.add_template_global(fold_mark)
    app.add_template_global(news_mark)
    app.add_template_global(in_frame)
    app.jinja_env.globals["stamp_comment"] = STAND_IN
