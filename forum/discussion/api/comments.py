"""Serve single comments as JSON."""

from __future__ import annotations

from typing import Any

from flask_login import current_user, login_required
from flask_smorest import Blueprint

from forum import permissions
from forum.accounts.http.identity import current_viewer
from forum.discussion.http import presenters
from forum.discussion.schemas import CommentSchema, CommentUpdateSchema, ThanksStateSchema
from forum.discussion.services import comments, official, thanks, threads
from forum.platform.errors import NotFound
from forum.platform.http.ratelimits import taking_part

blp = Blueprint("comments_api", __name__, url_prefix="/api/v1/comments", description="Comments")


@blp.get("/<int:comment_id>")
@blp.response(200, CommentSchema)
@blp.alt_response(404, description="No such comment, or not visible to you")
def comment(comment_id: int) -> dict[str, Any]:
    """Show one comment.

    :raises NotFound: when it does not exist or the viewer may not see it.
    """
    viewer = current_viewer()
    found = threads.get_comment(comment_id, viewer)
    if found is None:
        raise NotFound("There is no such comment.")
    return _present(found, viewer)


def _present(found: Any, viewer: Any) -> dict[str, Any]:
    """The comment; for its author and moderators also why it was decided so, and its held edit."""
    private = permissions.is_author(viewer, found) or permissions.can_moderate(viewer)
    held = comments.latest_held_edit(found.id) if private else None
    return presenters.comment(
        found,
        decision=private,
        held_edit=held,
        for_author=permissions.is_author(viewer, found),
        thanked=None if viewer.user_id is None else thanks.has_thanked(viewer, found.id),
    )


@blp.patch("/<int:comment_id>")
@login_required
@blp.arguments(CommentUpdateSchema)
@blp.response(200, CommentSchema)
@blp.alt_response(401, description="Not logged in")
@blp.alt_response(403, description="Not your comment, or the edit window has passed")
@blp.alt_response(404, description="No such comment")
@blp.alt_response(422, description="Empty or too long")
def edit_comment(data: dict[str, Any], comment_id: int) -> dict[str, Any]:
    """Change the text of your comment within the edit window; the old text is kept as a revision."""
    viewer = current_viewer()
    comment = comments.load_own_comment(comment_id, viewer)
    return _present(comments.edit_comment(current_user, viewer, comment, data["body"]), viewer)


@blp.delete("/<int:comment_id>")
@login_required
@blp.response(204)
@blp.alt_response(401, description="Not logged in")
@blp.alt_response(403, description="Not your comment")
@blp.alt_response(404, description="No such comment")
def delete_comment(comment_id: int) -> None:
    """Delete your comment: the text goes, replies stay under a placeholder."""
    viewer = current_viewer()
    comments.delete_comment(viewer, comments.load_own_comment(comment_id, viewer))


def _thanks_state(state: thanks.ThanksState) -> dict[str, Any]:
    return {"comment_id": state.comment.id, "thanks_count": state.thanks_count, "thanked": state.thanked}


@blp.post("/<int:comment_id>/thanks")
@login_required
@taking_part
@blp.response(200, ThanksStateSchema)
@blp.alt_response(401, description="Not logged in")
@blp.alt_response(403, description="Your own comment, or you are suspended")
@blp.alt_response(404, description="No such published comment")
@blp.alt_response(429, description="Too many in a short time (RATELIMIT_THANKS_ACCOUNT), with Retry-After")
def thank(comment_id: int) -> dict[str, Any]:
    """Say "This helped me" about someone else's published comment; saying it again changes nothing."""
    return _thanks_state(thanks.thank(current_user, comment_id))


@blp.delete("/<int:comment_id>/thanks")
@login_required
@taking_part
@blp.response(200, ThanksStateSchema)
@blp.alt_response(401, description="Not logged in")
@blp.alt_response(403, description="Your own comment")
@blp.alt_response(404, description="No such published comment")
@blp.alt_response(429, description="Too many in a short time (RATELIMIT_THANKS_ACCOUNT), with Retry-After")
def unthank(comment_id: int) -> dict[str, Any]:
    """Take back your "This helped me"; taking back what you never said changes nothing."""
    return _thanks_state(thanks.unthank(current_user, comment_id))


def _official(comment_id: int, mark: bool) -> dict[str, Any]:
    found = official.mark(current_user, comment_id, mark)
    return _present(found, current_viewer())


@blp.put("/<int:comment_id>/official")
@login_required
@taking_part
@blp.response(200, CommentSchema)
@blp.alt_response(401, description="Not logged in")
@blp.alt_response(403, description="Not your comment, or you are not verified staff of the publisher")
@blp.alt_response(404, description="No such comment")
@blp.alt_response(429, description="Too many in a short time (RATELIMIT_THANKS_ACCOUNT), with Retry-After")
def mark_official(comment_id: int) -> dict[str, Any]:
    """Mark your comment as the publisher's official response (verified staff of PUBLISHER_NAME only)."""
    return _official(comment_id, True)


@blp.delete("/<int:comment_id>/official")
@login_required
@taking_part
@blp.response(200, CommentSchema)
@blp.alt_response(401, description="Not logged in")
@blp.alt_response(403, description="Not your comment, or you are not verified staff of the publisher")
@blp.alt_response(404, description="No such comment")
@blp.alt_response(429, description="Too many in a short time (RATELIMIT_THANKS_ACCOUNT), with Retry-After")
def unmark_official(comment_id: int) -> dict[str, Any]:
    """Stop your comment being an official response; it stays as an ordinary comment."""
    return _official(comment_id, False)
