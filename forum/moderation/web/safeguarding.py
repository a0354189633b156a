"""The safeguarding pages: open items and outcomes, who is on call, and the moderators' dashboard."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from forum.accounts.models import Access, User
from forum.moderation.http.guards import moderator_required
from forum.moderation.services import dashboard as dashboard_service
from forum.moderation.services import safeguarding as service
from forum.moderation.web import bp, problem
from forum.moderation.web.queue import back_to_queue
from forum.platform.database import db
from forum.platform.errors import DomainError
from forum.platform.ids import parse_id
from forum.platform.models import utcnow


@bp.get("/safeguarding")
@moderator_required
def safeguarding() -> str:
    """Open safeguarding items (oldest first), the latest outcomes, and who is on call."""
    moderators = list(
        db.session.scalars(
            db.select(User).where(User.access.in_([Access.MODERATOR, Access.ADMIN])).order_by(User.email)
        )
    )
    return render_template(
        "moderation/safeguarding.html",
        open_rows=service.list_cases(open_only=True),
        decided_rows=service.list_cases(open_only=False, limit=30),
        on_call={u.id for u in service.on_call()},
        moderators=moderators,
        now=utcnow(),
    )


@bp.post("/safeguarding/<int:comment_id>/read")
@moderator_required
def safeguarding_read(comment_id: int) -> Response:
    """Say "I'm reading this now": the first human read, which the others then see."""
    service.mark_read(current_user, [comment_id])
    flash(f"Comment #{comment_id}: the other moderators can see you are reading it.", "success")
    return back_to_queue(f"item-{comment_id}")


@bp.post("/safeguarding/<int:comment_id>/outcome")
@moderator_required
def safeguarding_outcome(comment_id: int) -> Response:
    """Record what was found and done; optionally send the author a private supportive message."""
    form = request.form
    try:
        case = service.record_outcome(
            current_user,
            comment_id,
            service.Outcome(
                outcome=form.get("outcome", ""),
                referred_to=form.get("referred_to"),
                note=form.get("note"),
                send_support=form.get("send_support") == "1",
                message=form.get("message"),
            ),
        )
    except DomainError as exc:
        flash(f"Comment #{comment_id}: {problem(exc)}", "error")
        return back_to_queue(f"item-{comment_id}")
    sent = " The author has your message." if case.support_sent_at else ""
    found = case.outcome.label.lower() if case.outcome else "recorded"
    flash(f"Comment #{comment_id}: outcome recorded ({found}).{sent}", "success")
    return back_to_queue(f"item-{comment_id}")


@bp.post("/safeguarding/on-call")
@moderator_required
def safeguarding_on_call() -> Response:
    """Go on call or off it (yourself; an admin for anyone)."""
    user_id = parse_id(request.form.get("user_id")) or current_user.id
    on = request.form.get("on") == "1"
    try:
        service.set_on_call(current_user, user_id, on)
    except DomainError as exc:
        flash(problem(exc), "error")
    else:
        who = "You are" if user_id == current_user.id else "They are"
        flash(
            f"{who} {'now on call: alerted at once' if on else 'no longer on call'} for safeguarding items.",
            "success",
        )
    return redirect(url_for("moderation.safeguarding", _anchor="on-call"))


@bp.get("/dashboard")
@moderator_required
def dashboard() -> str:
    """What waits by kind and for how long, safeguarding times, decisions a day."""
    return render_template("moderation/dashboard.html", board=dashboard_service.build())
