"""Serve single comments as JSON."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from forum.api import presenters
from forum.errors import NotFound
from forum.schemas.comment import CommentSchema
from forum.services import threads
from forum.viewer import current_viewer

blp = Blueprint("comments_api", __name__, url_prefix="/api/v1/comments", description="Comments")


@blp.get("/<int:comment_id>")
@blp.response(200, CommentSchema)
@blp.alt_response(404, description="No such comment, or not visible to you")
def comment(comment_id: int) -> dict[str, Any]:
    """Show one comment.

    :raises NotFound: when it does not exist or the viewer may not see it.
    """
    found = threads.get_comment(comment_id, current_viewer())
    if found is None:
        raise NotFound("There is no such comment.")
    return presenters.comment(found)
