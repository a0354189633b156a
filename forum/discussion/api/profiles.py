"""Serve profiles as JSON."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from forum.accounts.http.identity import current_viewer
from forum.accounts.schemas import ProfileSchema
from forum.accounts.services import profiles
from forum.discussion.http import presenters
from forum.discussion.services import threads

blp = Blueprint("profiles_api", __name__, url_prefix="/api/v1/profiles", description="Profiles")


@blp.get("/<int:profile_id>")
@blp.response(200, ProfileSchema)
@blp.alt_response(404, description="No such profile")
def profile(profile_id: int) -> dict[str, Any]:
    """Show a profile with the number of its published comments."""
    found = profiles.get_profile(profile_id)
    return presenters.profile(found, threads.count_profile_comments(found, current_viewer()))
