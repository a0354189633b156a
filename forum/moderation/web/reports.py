"""Let members report a published comment to the moderators from its thread."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from forum.accounts.http.identity import current_viewer
from forum.discussion.services import threads
from forum.moderation.models import FlagReason
from forum.moderation.services import reports, safeguarding
from forum.platform.errors import DomainError

bp = Blueprint("reports", __name__)


@bp.post("/comments/<int:comment_id>/flags")
@login_required
def report(comment_id: int) -> Response:
    """Report a published comment to the moderators."""
    comment = threads.get_comment(comment_id, current_viewer())
    if comment is None:
        abort(404)
    try:
        row = reports.flag(current_user, comment_id, request.form.get("reason"), request.form.get("note"))
        if row.reason is FlagReason.AT_RISK:
            flash(safeguarding.REPORT_THANKS, "help")
        else:
            flash("Thank you. A moderator will look at this comment.", "success")
    except DomainError as exc:
        flash(exc.message if not exc.errors else " ".join(" ".join(v) for v in exc.errors.values()), "error")
    return redirect(url_for("web.article", slug=comment.article.slug, _anchor=f"comment-{comment.id}"))
