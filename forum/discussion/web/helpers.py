"""Give thread templates what they ask per comment: the viewer's actions on it, each author's line once."""

from __future__ import annotations

from flask import Flask

from forum import permissions
from forum.accounts.http.identity import current_viewer, viewer_sanction_text
from forum.accounts.models import Role
from forum.discussion.http.snippets import marked
from forum.discussion.models import Comment
from forum.discussion.services import support
from forum.discussion.services.comments import edit_window
from forum.discussion.services.thread_options import VOICE_CHOICES, Sort, voice_label
from forum.discussion.services.threads import Thread, ThreadComment
from forum.discussion.thanks_models import official_responses
from forum.platform.http.messages import placed_messages
from forum.platform.models import utcnow


def can_edit(comment: Comment) -> bool:
    """Tell templates whether the viewer may edit ``comment`` now (not while suspended or banned)."""
    allowed = permissions.can_edit_comment(current_viewer(), comment, utcnow(), edit_window())
    return allowed and viewer_sanction_text() is None


def can_delete(comment: Comment) -> bool:
    """Tell templates whether the viewer may delete ``comment``."""
    return permissions.can_delete_comment(current_viewer(), comment)


def can_report(comment: Comment) -> bool:
    """Tell templates whether the viewer may report ``comment`` now (not while suspended or banned)."""
    return permissions.can_flag(current_viewer(), comment) and viewer_sanction_text() is None


def can_thank(comment: Comment | ThreadComment) -> bool:
    """Tell templates whether to offer "This helped me" on ``comment`` (not while suspended or banned)."""
    return permissions.can_thank(current_viewer(), comment) and viewer_sanction_text() is None


def can_mark_official(comment: Comment | ThreadComment) -> bool:
    """Tell templates whether the viewer may mark ``comment`` as the publisher's official response."""
    return permissions.can_mark_official(current_viewer(), comment, comment.author)


def is_own(comment: Comment) -> bool:
    """Tell templates whether the viewer wrote ``comment``."""
    return permissions.is_author(current_viewer(), comment)


def voices_named(roles: frozenset[Role]) -> str:
    """How a choice of voices reads in a sentence: its name above the thread, else the roles' names."""
    for label, choice in VOICE_CHOICES:
        if choice == roles:
            return label.lower().replace("neds", "NEDs")
    return ", ".join(sorted(role.label.lower() for role in roles))


def thread_messages(thread: Thread) -> list[tuple[str, str, str]]:
    """Return the placed messages about comments this page of ``thread`` does not show (a deleted
    comment nothing is left of, one on another page), as (place, category, message), for its top."""
    placed = placed_messages()
    if not placed:
        return []
    shown = {f"comment-{node.comment.id}" for node, _ in thread.walk()}
    return [
        (place, kind, message)
        for place, found in placed.items()
        if place.startswith("comment-") and place not in shown
        for kind, message in found
    ]


def init_app(app: Flask) -> None:
    """Register the helpers as template globals."""
    for helper in (
        can_edit,
        can_delete,
        can_report,
        can_thank,
        can_mark_official,
        is_own,
        thread_messages,
        voice_label,
        voices_named,
    ):
        app.add_template_global(helper)
    app.jinja_env.globals.update(sorts=list(Sort), voice_choices=VOICE_CHOICES)
    app.add_template_global(official_responses)
    app.add_template_global(permissions.publisher_name)
    app.add_template_global(support.signposts, "safeguarding_signposts")
    app.add_template_filter(marked, "marked")
