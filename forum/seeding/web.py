"""Moderators' page of personal data taken out of imported comments, and putting one piece back."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from forum.moderation.http.guards import moderator_required
from forum.moderation.web import problem
from forum.platform.errors import DomainError
from forum.seeding.services import loader, restore

bp = Blueprint("seeding", __name__, url_prefix="/moderation/imported")


@bp.get("")
@moderator_required
def imported_page() -> str:
    """List every piece of personal data the importer took out, with a way to put each back."""
    return render_template("seeding/imported.html", redactions=restore.redactions())


@bp.post("/<int:redaction_id>/restore")
@moderator_required
def restore_redaction(redaction_id: int) -> Response:
    """Put one piece back, from the seed file, after checking the original page (with a reason)."""
    seeds = Path(current_app.config["SEEDS_DIR"])
    try:
        found = restore.restore(
            current_user, redaction_id, request.form.get("reason"), lambda cid: loader.source_text(seeds, cid)
        )
    except DomainError as exc:
        flash(problem(exc), "error")
    else:
        flash(f"Comment #{found.comment_id}: the original text is back, and the log says why.", "success")
    return redirect(url_for("seeding.imported_page"))
