"""Your data, through the API: ``GET /api/v1/me/export``."""

from __future__ import annotations

from typing import Any

from flask_login import current_user, login_required
from flask_smorest import Blueprint

from forum.privacy.services import export

blp = Blueprint("privacy_api", __name__, url_prefix="/api/v1/me", description="Your data")


@blp.get("/export")
@login_required
@blp.response(200)
@blp.alt_response(401, description="Not logged in")
def export_data() -> dict[str, Any]:
    """Everything the forum holds about you: account, profile, every comment you wrote in every status
    with its earlier texts, reports, notifications, emails, follows, settings, sessions and tokens
    (without secrets), sanctions and moderation decisions about you, safeguarding outcomes; what is
    withheld and why is under ``withheld``."""
    return export.gather(current_user)
