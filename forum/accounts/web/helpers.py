"""Give pages what they show about the person reading: role wording, and whether they may act now."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_login import current_user

from forum.accounts.http.identity import viewer_sanction_text
from forum.accounts.models import RoleSource
from forum.platform.http.templating import page_context

ROLE_SOURCE_TEXT = {
    RoleSource.DECLARED: "Role as stated by this person",
    RoleSource.SOURCE: "Role stated on the original page (the job title names it)",
    RoleSource.INFERRED: (
        "Role inferred from the job title or organisation on the original page: not stated there"
    ),
    RoleSource.VERIFIED: "Role verified by a moderator",
}
# The same, short enough for the badge beside a name.
ROLE_SOURCE_SHORT = {
    RoleSource.DECLARED: "self-declared",
    RoleSource.SOURCE: "stated on original page",
    RoleSource.INFERRED: "inferred from job title",
    RoleSource.VERIFIED: "verified",
}


def _viewer_standing() -> dict[str, Any]:
    """Read, before the page renders, whether a logged-in viewer is suspended or banned (one query)."""
    return {"sanction_text": viewer_sanction_text() if current_user.is_authenticated else None}


def init_app(app: Flask) -> None:
    """Register the role wording and the viewer's standing for every page."""
    app.jinja_env.globals["role_source_text"] = ROLE_SOURCE_TEXT
    app.jinja_env.globals["role_source_short"] = ROLE_SOURCE_SHORT
    app.context_processor(page_context(_viewer_standing))
