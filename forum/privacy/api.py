"""Your data, through the API: ``GET /api/v1/me/export`` and ``DELETE /api/v1/me``."""

from __future__ import annotations

from typing import Any

from flask import session
from flask_login import current_user, login_required, logout_user
from flask_smorest import Blueprint

from forum.platform.http.ratelimits import own_password_checks
from forum.privacy.schemas import ErasureSchema
from forum.privacy.services import erasure, export

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


@blp.delete("")
@login_required
@own_password_checks
@blp.arguments(ErasureSchema)
@blp.response(204)
@blp.alt_response(401, description="Not logged in")
@blp.alt_response(422, description="The password is wrong")
@blp.alt_response(429, description="Too many attempts")
def erase_me(data: dict[str, Any]) -> None:
    """Erase your account for good: email, profile, sessions, tokens, follows and settings go; each of
    your comments stays in its thread as "Comment by a former member", with no text."""
    erasure.erase_own(current_user, data["password"])
    session.clear()
    logout_user()
