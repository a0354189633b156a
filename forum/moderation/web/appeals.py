"""Let the author of a rejected or taken-down comment appeal once, from a page; and show the house rules."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from forum import permissions
from forum.accounts.http.identity import current_viewer
from forum.discussion.models import RejectReason
from forum.discussion.services import threads
from forum.moderation.services import appeals
from forum.platform.errors import DomainError

bp = Blueprint("appeals", __name__)


@bp.route("/comments/<int:comment_id>/appeal", methods=["GET", "POST"])
@login_required
def appeal_page(comment_id: int) -> Response | str | tuple[str, int]:
    """Show the appeal form for one's own refused comment, and send the appeal."""
    viewer = current_viewer()
    comment = threads.get_comment(comment_id, viewer)
    if comment is None:
        abort(404)
    existing = appeals.appeal_of(comment.id)
    permissions.ensure_can_appeal(viewer, comment, existing is not None)
    if request.method == "GET":
        return render_template("comments/appeal.html", comment=comment, note="", errors={})
    try:
        appeals.appeal(current_user, comment.id, request.form.get("note"))
    except DomainError as exc:
        page = render_template(
            "comments/appeal.html", comment=comment, note=request.form.get("note", ""), errors=exc.errors
        )
        return page, exc.status
    flash("Your appeal is sent. Another moderator will look at the decision again and tell you.", "success")
    return redirect(url_for("web.article", slug=comment.article.slug, _anchor=f"comment-{comment.id}"))


@bp.get("/moderation/policy")
def policy_page() -> str:
    """Say in plain words what is moderated and why: the house rules, the reasons, appeals, the counts."""
    return render_template("moderation/policy.html", reasons=list(RejectReason))
