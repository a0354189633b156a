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
from forum.platform.http.messages import flash_at

bp = Blueprint("reports", __name__)


@bp.post("/comments/<int:comment_id>/flags")
@login_required
def report(comment_id: int) -> Response:
    """Report a published comment to the moderators; the page lands on the answer beside it."""
    comment = threads.get_comment(comment_id, current_viewer())
    if comment is None:
        abort(404)
    try:
        row = reports.flag(current_user, comment_id, request.form.get("reason"), request.form.get("note"))
        if row.reason is FlagReason.AT_RISK:
            flash(safeguarding.REPORT_THANKS, "help")
            return redirect(
                url_for("web.article", slug=comment.article.slug, _anchor=f"comment-{comment.id}")
            )
        flash_at(
            f"comment-{comment.id}",
            f"Your report about comment #{comment.id} was sent to the moderators. "
            "Thank you: one of them will look at it.",
        )
    except DomainError as exc:
        problem = exc.message if not exc.errors else " ".join(" ".join(v) for v in exc.errors.values())
        flash_at(
            f"comment-{comment.id}",
            f"Your report about comment #{comment.id} was not sent. {problem}",
            "error",
        )
    after = threads.page_cursor_for(comment, current_viewer())  # the page that shows it
    return redirect(
        url_for("web.article", slug=comment.article.slug, after=after, _anchor=f"message-{comment.id}")
    )
