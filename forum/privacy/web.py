"""Your data, in the browser: a readable page of everything held about you, the same as JSON, and
deleting your account."""

from __future__ import annotations

import json

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from forum.accounts.http.identity import log_out
from forum.moderation.http.guards import moderator_required
from forum.moderation.services import members
from forum.moderation.web import problem
from forum.platform import notices
from forum.platform.errors import DomainError, ValidationFailed
from forum.platform.http.forms import load_form
from forum.platform.http.ratelimits import own_password_checks
from forum.privacy.schemas import ErasureSchema
from forum.privacy.services import erasure, export

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


@bp.get("/account/delete")
@login_required
def delete_page() -> str:
    """Say what deleting your account does, and ask for your password."""
    return render_template("privacy/delete.html", errors={})


@bp.post("/account/delete")
@login_required
@own_password_checks
def delete_account() -> WerkzeugResponse | tuple[str, int]:
    """Delete your account for good once your password is confirmed, and log you out."""
    try:
        data = load_form(ErasureSchema())
        erasure.erase_own(current_user, data["password"])
    except ValidationFailed as exc:
        return render_template("privacy/delete.html", errors=exc.errors), 422
    log_out()
    flash("Your account is deleted. Thank you for being part of the forum.", "success")
    return redirect(url_for("privacy.privacy_page"))


@bp.post("/moderation/members/<int:user_id>/erase")
@moderator_required
def erase_member(user_id: int) -> WerkzeugResponse:
    """Erase a member's account on their written request, with a reason (kept in the audit log).

    :raises NotFound: for an unknown member.
    """
    member = members.get_member(user_id)
    try:
        erasure.erase_on_request(current_user, member, request.form.get("reason", ""))
    except DomainError as exc:
        flash(problem(exc), "error")
        return redirect(url_for("moderation.member_page", user_id=user_id))
    flash(f'Account #{user_id} is erased; its comments now read "Comment by a former member".', "success")
    return redirect(url_for("moderation.members_page"))
