"""Render and handle joining, logging in and logging out."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from forum.accounts.http.identity import is_safe_next, log_in, log_out, safe_next
from forum.accounts.models import Role
from forum.accounts.schemas import CredentialsSchema, RegistrationSchema
from forum.accounts.services import accounts, consent, signup
from forum.platform.errors import ValidationFailed
from forum.platform.http.forms import load_form
from forum.platform.http.ratelimits import configured, limiter, login_per_account, mail_per_address

bp = Blueprint("auth", __name__)
ROLES = list(Role)


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(configured("RATELIMIT_REGISTER_IP"), methods=["POST"])
@mail_per_address
def register() -> Response | str | tuple[str, int]:
    """Show the registration form; start joining and say to check the inbox (whether or not it is new)."""
    if current_user.is_authenticated:
        return redirect(url_for("web.index"))
    if request.method == "GET":
        return render_template("auth/register.html", roles=ROLES, form={}, errors={})
    next_url = request.args.get("next")
    try:  # the form's rules, then the service's (a look-alike name, an easily guessed password)
        data = load_form(RegistrationSchema())
        signup.sign_up(data, next_url if is_safe_next(next_url) else None)
    except ValidationFailed as exc:
        form = {k: v for k, v in request.form.items() if k not in ("password", "csrf_token")}
        return render_template("auth/register.html", roles=ROLES, form=form, errors=exc.errors), 422
    return render_template("auth/check_email.html", email=accounts.normalise_email(data["email"]))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(configured("RATELIMIT_LOGIN_IP"), methods=["POST"])
@login_per_account
def login() -> Response | str | tuple[str, int]:
    """Show the login form; log in and go back where the person was."""
    next_url = request.values.get("next")
    if request.method == "GET":
        return render_template("auth/login.html", next=next_url, email="", errors={})
    email = request.form.get("email", "")
    try:
        data = load_form(CredentialsSchema())
        user = accounts.authenticate(data["email"], data["password"])
    except (ValidationFailed, accounts.AuthenticationFailed):
        errors = {"_form": ["That email and password do not match an account."]}
        return render_template("auth/login.html", next=next_url, email=email, errors=errors), 401
    except accounts.NotConfirmed as exc:
        errors = {"_form": [exc.message]}
        return render_template("auth/login.html", next=next_url, email=email, errors=errors), 403
    log_in(user, remember=request.form.get("remember") == "on")
    if consent.outstanding(user):  # a notice changed since they agreed: ask again before going on
        return redirect(url_for("auth.agree_again", next=safe_next(next_url)))
    return redirect(safe_next(next_url))


@bp.route("/account/agree", methods=["GET", "POST"])
@login_required
def agree_again() -> Response | str | tuple[str, int]:
    """Ask a member to agree again to the notices that changed since they last did."""
    next_url = request.values.get("next")
    changed = consent.outstanding(current_user)
    if not changed:
        return redirect(safe_next(next_url))
    if request.method == "POST":
        if request.form.get("consent") == "yes":
            consent.accept_current(current_user)
            return redirect(safe_next(next_url))
        errors = {"consent": [consent.REQUIRED]}
        return render_template("auth/agree.html", changed=changed, next=next_url, errors=errors), 422
    return render_template("auth/agree.html", changed=changed, next=next_url, errors={})


@bp.post("/logout")
@login_required
def logout() -> Response:
    """Log out (POST only, so a link on another site cannot do it); this session ends for good."""
    log_out()
    return redirect(url_for("web.index"))
