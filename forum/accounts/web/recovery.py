"""Follow the links sent by email: confirm a new account, ask for another link, reset a forgotten password."""

from __future__ import annotations

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from forum.accounts.http.identity import log_in, safe_next
from forum.accounts.schemas import EmailSchema, PasswordResetSchema
from forum.accounts.services import accounts, credentials, signup
from forum.platform.errors import ValidationFailed
from forum.platform.http.forms import load_form
from forum.platform.http.ratelimits import configured, limiter, mail_per_address

bp = Blueprint("recovery", __name__)


def _private(body: str, status: int = 200) -> Response:
    """A page whose URL holds a one-time secret: never sent on as a referrer, never stored by caches."""
    response = make_response(body, status)
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


def _token() -> str:
    return request.values.get("token", "")


def _confirming_account_key() -> str:
    """Count the password guesses made through a confirmation link against the address it confirms:
    the same budget as logging in with that address (the link alone must not allow endless tries)."""
    try:
        email = signup.registration_for(_token()).email
    except signup.InvalidLink:
        email = "unknown-link"
    return "login:" + accounts.normalise_email(email)


confirm_per_account = limiter.shared_limit(
    configured("RATELIMIT_LOGIN_ACCOUNT"),
    scope="login-account",
    key_func=_confirming_account_key,
    methods=["POST"],
)


def _link_invalid(message: str, kind: str) -> Response:
    return _private(render_template("auth/link_invalid.html", message=message, kind=kind), 400)


@bp.route("/register/confirm", methods=["GET", "POST"])
@limiter.limit(configured("RATELIMIT_LOGIN_IP"), methods=["POST"])
@confirm_per_account
def confirm() -> Response:
    """Show the confirmation form for a sign-up link; with the password, create the account and log in."""
    try:
        registration = signup.registration_for(_token())
    except signup.InvalidLink as exc:
        return _link_invalid(exc.message, "confirm")
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            user = signup.confirm(_token(), request.form.get("password", ""))
        except signup.InvalidLink as exc:
            return _link_invalid(exc.message, "confirm")
        except accounts.AuthenticationFailed as exc:
            errors = {"password": [exc.message]}
        else:
            next_path = registration.next_path
            log_in(user)
            flash(f"Welcome, {user.profile.display_name}: your account is ready.", "success")
            return redirect(safe_next(next_path))
    page = render_template("auth/confirm.html", token=_token(), registration=registration, errors=errors)
    return _private(page, 401 if errors else 200)


@bp.post("/register/resend")
@limiter.limit(configured("RATELIMIT_REGISTER_IP"))
@mail_per_address
def resend() -> Response | str | tuple[str, int]:
    """Send the confirmation link again (the same answer whatever the address)."""
    try:
        data = load_form(EmailSchema())
    except ValidationFailed as exc:
        return render_template("auth/link_invalid.html", message=None, kind="confirm", errors=exc.errors), 422
    signup.resend(data["email"])
    return render_template(
        "auth/check_email.html", email=accounts.normalise_email(data["email"]), kind="resend"
    )


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(configured("RATELIMIT_LOGIN_IP"), methods=["POST"])
@mail_per_address
def forgot() -> Response | str | tuple[str, int]:
    """Ask for a password reset link (the same answer whether or not the address has an account)."""
    if request.method == "GET":
        return render_template("auth/forgot.html", email="", errors={})
    try:
        data = load_form(EmailSchema())
    except ValidationFailed as exc:
        return render_template(
            "auth/forgot.html", email=request.form.get("email", ""), errors=exc.errors
        ), 422
    credentials.request_reset(data["email"])
    return render_template(
        "auth/check_email.html", email=accounts.normalise_email(data["email"]), kind="reset"
    )


@bp.route("/password/reset", methods=["GET", "POST"])
@limiter.limit(configured("RATELIMIT_LOGIN_IP"), methods=["POST"])
def reset() -> Response:
    """Choose a new password through a reset link; every other session and API token ends."""
    try:
        email = credentials.reset_for(_token()).user.email
    except signup.InvalidLink as exc:
        return _link_invalid(exc.message, "reset")
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            data = load_form(PasswordResetSchema())
            user, result = credentials.reset_password(_token(), data["password"])
        except ValidationFailed as exc:
            errors = exc.errors
        except signup.InvalidLink as exc:
            return _link_invalid(exc.message, "reset")
        else:
            log_in(user)  # whoever was logged in in this browser, the session now belongs to the link's owner
            flash(_reset_summary(result), "success")
            return redirect(url_for("account_security.page"))
    page = render_template("auth/reset.html", token=_token(), email=email, errors=errors)
    return _private(page, 422 if errors else 200)


def _reset_summary(result: credentials.PasswordChanged) -> str:
    parts = ["Your password is changed and you are logged in here."]
    if result.sessions_ended:
        parts.append(f"We logged you out everywhere else ({result.sessions_ended} other session(s)).")
    if result.tokens_revoked:
        parts.append(f"{result.tokens_revoked} API token(s) were revoked; create new ones for your programs.")
    return " ".join(parts)
