"""Your data, in the browser: a readable page of everything held about you, and the same as JSON."""

from __future__ import annotations

import json

from flask import Blueprint, Response, render_template
from flask_login import current_user, login_required

from forum.platform import notices
from forum.privacy.services import export

bp = Blueprint("privacy", __name__)


@bp.get("/privacy")
def privacy_page() -> str:
    """The privacy notice, in plain words (templates/notices/privacy.md)."""
    return render_template("privacy/notice.html", notice=notices.notice("privacy"))


@bp.get("/house-rules")
def house_rules_page() -> str:
    """The house rules: what is welcome, what is moderated and why (templates/notices/house-rules.md)."""
    return render_template("privacy/notice.html", notice=notices.notice("house-rules"))


@bp.get("/account/data")
@login_required
def data_page() -> str:
    """Show everything the forum holds about you, by category, with a link to download it."""
    return render_template("privacy/data.html", data=export.gather(current_user))


@bp.get("/account/data.json")
@login_required
def data_download() -> Response:
    """Download everything the forum holds about you as one JSON file."""
    body = json.dumps(export.gather(current_user), indent=2, ensure_ascii=False)
    return Response(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": 'attachment; filename="my-forum-data.json"',
            "Cache-Control": "no-store",
        },
    )
