"""Render and handle registration, login and logout."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from forum.auth import safe_next
from forum.errors import ValidationFailed
from forum.extensions import limiter
from forum.models import Role
from forum.ratelimits import configured, login_account_key
from forum.schemas.account import CredentialsSchema, RegistrationSchema
from forum.services import accounts
from forum.web.forms import load_form

bp = Blueprint("auth", __name__)
ROLES = list(Role)


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(configured("RATELIMIT_REGISTER_IP"), methods=["POST"])
def register() -> Response | str | tuple[str, int]:
    """Show the registration form; create the account and log in."""
    if current_user.is_authenticated:
        return redirect(url_for("web.index"))
    if request.method == "GET":
        return render_template("auth/register.html", roles=ROLES, form={}, errors={})
    try:
        user = accounts.register(load_form(RegistrationSchema()))
    except ValidationFailed as exc:
        form = {k: v for k, v in request.form.items() if k not in ("password", "csrf_token")}
        return render_template("auth/register.html", roles=ROLES, form=form, errors=exc.errors), 422
    login_user(user)
    return redirect(safe_next(request.args.get("next")))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(configured("RATELIMIT_LOGIN_IP"), methods=["POST"])
@limiter.limit(configured("RATELIMIT_LOGIN_ACCOUNT"), key_func=login_account_key, methods=["POST"])
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
    login_user(user, remember=request.form.get("remember") == "on")
    return redirect(safe_next(next_url))


@bp.post("/logout")
@login_required
def logout() -> Response:
    """Log out (POST only, so a link on another site cannot do it)."""
    logout_user()
    return redirect(url_for("web.index"))
