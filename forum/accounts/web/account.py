"""Let people edit their own profile and manage their personal API tokens."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from forum.accounts.models import Role
from forum.accounts.schemas import TOKEN_NAME_MAX, ProfileUpdateSchema
from forum.accounts.services import profiles, tokens
from forum.accounts.services.standing import Suspended
from forum.platform import validation
from forum.platform.errors import ValidationFailed
from forum.platform.http.forms import load_form

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def edit_profile() -> Response | str | tuple[str, int]:
    """Show and save the profile form."""
    profile = current_user.profile
    if request.method == "GET":
        form = {
            "display_name": profile.display_name,
            "job_title": profile.job_title or "",
            "organisation": profile.organisation or "",
            "role": profile.role.value,
            "bio": profile.bio or "",
        }
        return render_template("account/profile.html", form=form, roles=list(Role), errors={})
    try:
        profiles.update_profile(current_user, load_form(ProfileUpdateSchema()))
    except (ValidationFailed, Suspended) as exc:
        form = {k: v for k, v in request.form.items() if k != "csrf_token"}
        errors = exc.errors or {"_form": [exc.message]}
        return render_template("account/profile.html", form=form, roles=list(Role), errors=errors), exc.status
    return redirect(url_for("web.profile", profile_id=profile.id))


@bp.post("/tokens")
@login_required
def create_token() -> str:
    """Create a personal API token and show its secret once."""
    name = validation.line(request.form.get("name"), "name", max_length=TOKEN_NAME_MAX) or "API token"
    token, secret = tokens.create_token(current_user, name)
    return render_template("account/token_created.html", token=token, secret=secret)


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int) -> Response:
    """Revoke one of your API tokens."""
    tokens.revoke_token(current_user, token_id)
    return redirect(url_for("web.profile", profile_id=current_user.profile_id, _anchor="tokens"))
