"""Render the queue and a page for any comment, and apply moderators' decisions from them."""

from __future__ import annotations

import re

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from forum.discussion.models import RejectReason
from forum.moderation.http.guards import moderator_required
from forum.moderation.http.highlight import highlight
from forum.moderation.models import FlagReason
from forum.moderation.services import decisions, edit_review, review_queue
from forum.moderation.web import bp, problem
from forum.platform.errors import DomainError, ValidationFailed
from forum.platform.ids import parse_id

QUEUE_PER_PAGE = 25


_BACK = re.compile(r"/moderation(\?[^#\\]*|/comments/\d+|/safeguarding)?")


def back_to_queue(anchor: str | None = None) -> Response:
    """Return to the queue page (filter and page) or the comment page the moderator came from."""
    back = request.form.get("back", "")
    if not _BACK.fullmatch(back):
        back = url_for("moderation.queue_page")
    return redirect(back + (f"#{anchor}" if anchor else ""))


@bp.get("")
@moderator_required
def queue_page() -> str | tuple[str, int]:
    """Show a page of what waits for a decision, oldest first, filtered by kind and reason.

    A kind or reason not on the lists shows the whole queue under a 422 saying what was wrong.
    """
    errors: dict[str, list[str]] = {}
    try:
        wanted = review_queue.QueueFilter.parse(
            request.args.get("kind"), request.args.get("reason"), request.args.get("member")
        )
    except ValidationFailed as exc:
        wanted, errors = review_queue.QueueFilter(), exc.errors
    found = review_queue.load_queue_page(wanted, request.args.get("page", 1, type=int) or 1, QUEUE_PER_PAGE)
    page = render_template(
        "moderation/queue.html",
        queue_page=found,
        items=found.items,
        errors=errors,
        wanted=wanted,
        kinds=review_queue.KINDS,
        held_reasons=review_queue.HELD_REASONS,
        report_reasons=review_queue.REPORT_REASONS,
        reasons=list(RejectReason),
        flag_reasons={r.value: r.label for r in FlagReason},
        highlight=highlight,
        compare=edit_review.compare,
    )
    return (page, 422) if errors else page


@bp.get("/comments/<int:comment_id>")
@moderator_required
def comment_page(comment_id: int) -> str:
    """Show one comment in any state with its context, history and the decisions that fit it.

    :raises NotFound: when there is no such comment.
    """
    return render_template(
        "moderation/comment.html",
        item=review_queue.comment_item(comment_id),
        revisions=review_queue.revisions(comment_id),
        reasons=list(RejectReason),
        flag_reasons={r.value: r.label for r in FlagReason},
        highlight=highlight,
        compare=edit_review.compare,
    )


@bp.post("/comments/<int:comment_id>/decision")
@moderator_required
def decide(comment_id: int) -> Response:
    """Apply a decision from the queue and come back to the same place in it."""
    try:
        decision = decisions.parse_decision(request.form.to_dict())
        comment, outcome = decisions.decide_with_outcome(current_user, comment_id, decision)
    except DomainError as exc:
        flash(f"Comment #{comment_id}: {problem(exc)}", "error")
        return back_to_queue(f"item-{comment_id}")
    flash(f"Comment #{comment.id}: {outcome}.", "success")
    return back_to_queue()


@bp.post("/decisions")
@moderator_required
def decide_many() -> Response:
    """Approve or reject the selected comments, all or none."""
    ids = [i for i in map(parse_id, request.form.getlist("comment_ids")) if i is not None]
    try:
        decision = decisions.parse_decision(request.form.to_dict())
        decided = decisions.decide_many_with_outcomes(current_user, ids, decision)
    except DomainError as exc:
        flash(f"Nothing was changed. {problem(exc)}", "error")
        return back_to_queue()
    flash(f"{len(decided)} comments decided: {decisions.outcome_counts([o for _, o in decided])}.", "success")
    return back_to_queue()
