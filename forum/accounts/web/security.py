"""Let people change their password and see, and end, the places they are logged in."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from forum.accounts.http.identity import current_session_id, log_out
from forum.accounts.schemas import PasswordChangeSchema
from forum.accounts.services import credentials, sessions, tokens
from forum.platform.errors import ValidationFailed
from forum.platform.http.forms import load_form
from forum.platform.http.ratelimits import own_password_checks

bp = Blueprint("account_security", __name__, url_prefix="/account")


def _render(errors: dict[str, list[str]] | None = None, status: int = 200) -> tuple[str, int]:
    live = sessions.live_sessions(current_user, current_app.config["SESSION_IDLE_DAYS"])
    page = render_template(
        "account/security.html",
        sessions=live,
        current_id=current_session_id(),
        token_count=len(tokens.list_tokens(current_user)),
        errors=errors or {},
    )
    return page, status


@bp.get("/security")
@login_required
def page() -> tuple[str, int]:
    """Show the password form and where the account is logged in."""
    return _render()


@bp.post("/password")
@login_required
@own_password_checks
def change_password() -> Response | tuple[str, int]:
    """Change the password (the current one is required); every other session ends."""
    try:
        data = load_form(PasswordChangeSchema())
        result = credentials.change_password(
            current_user, data["current_password"], data["new_password"], keep_session=current_session_id()
        )
    except ValidationFailed as exc:
        return _render(exc.errors, 422)
    message = "Your password is changed."
    if result.sessions_ended:
        message += f" We logged you out of {result.sessions_ended} other session(s)."
    if result.tokens_kept:
        message += (
            f" Your {result.tokens_kept} API token(s) still work: revoke any you do not recognise"
            " on your profile page."
        )
    flash(message, "success")
    return redirect(url_for("account_security.page"))


@bp.post("/sessions/<int:session_id>/end")
@login_required
def end_session(session_id: int) -> Response:
    """Log out one of your sessions (this one too, if you choose it)."""
    if session_id == current_session_id():
        log_out()
        return redirect(url_for("web.index"))
    sessions.end_one_of(current_user, session_id)
    flash("That session is logged out.", "success")
    return redirect(url_for("account_security.page"))


@bp.post("/sessions/end-others")
@login_required
def end_other_sessions() -> Response:
    """Log out everywhere else: every session but this one ends."""
    ended = sessions.end_all(current_user, keep=current_session_id())
    flash(f"Logged out everywhere else ({ended} session(s)).", "success")
    return redirect(url_for("account_security.page"))
