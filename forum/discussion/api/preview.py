"""Render comment text as it would be published, saving nothing (the forms' Preview button)."""

from __future__ import annotations

from typing import Any

from flask_login import login_required
from flask_smorest import Blueprint

from forum.discussion.schemas import PreviewedSchema, PreviewSchema
from forum.discussion.services import comments
from forum.platform.http.ratelimits import limit_previews

blp = Blueprint("preview_api", __name__, url_prefix="/api/v1", description="Comments")


@blp.post("/preview")
@login_required
@limit_previews
@blp.arguments(PreviewSchema)
@blp.response(200, PreviewedSchema)
@blp.alt_response(401, description="Not logged in")
@blp.alt_response(422, description="Empty or too long, or asks for a picture (the line is named)")
@blp.alt_response(429, description="Previewing too fast (RATELIMIT_PREVIEW_ACCOUNT), with Retry-After")
def preview(data: dict[str, Any]) -> dict[str, str]:
    """Render the text with the renderer and sanitiser posting uses; no rule, limit or row is touched."""
    return {"html": comments.preview(data["body"])}
