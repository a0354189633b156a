"""Serve single comments as JSON."""

from __future__ import annotations

from typing import Any

from flask_login import current_user, login_required
from flask_smorest import Blueprint

from forum import permissions
from forum.accounts.http.identity import current_viewer
from forum.discussion.http import presenters
from forum.discussion.schemas import CommentSchema, CommentUpdateSchema
from forum.discussion.services import comments, threads
from forum.platform.errors import NotFound

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
        found, decision=private, held_edit=held, for_author=permissions.is_author(viewer, found)
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
