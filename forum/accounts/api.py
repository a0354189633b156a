"""Start joining, issue and revoke API tokens, change passwords, list sessions, say who is calling."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_login import current_user, login_required
from flask_smorest import Blueprint

from forum.accounts.http import presenters
from forum.accounts.http.identity import current_session_id
from forum.accounts.schemas import (
    CredentialsSchema,
    EmailSchema,
    MeSchema,
    MessageSchema,
    PasswordChangedSchema,
    PasswordChangeSchema,
    ProfileUpdateSchema,
    RegistrationSchema,
    SessionSchema,
    TokenSchema,
)
from forum.accounts.services import accounts, credentials, profiles, sessions, signup, tokens
from forum.platform.http.ratelimits import (
    configured,
    limiter,
    login_per_account,
    mail_per_address,
    own_password_checks,
)

blp = Blueprint(
    "auth_api", __name__, url_prefix="/api/v1", description="Accounts, sessions, passwords and API tokens"
)
CHECK_EMAIL = (
    "Check your email: we have sent a message to this address. If it has no account yet, the message "
    "holds a link to confirm it; open the link and enter your password to finish. If it already has "
    "an account, the message says how to log in."
)
RESET_SENT = (
    "If this address belongs to an account, we have sent it a link to choose a new password; "
    "it works once, for {minutes} minutes."
)


@blp.post("/users")
@limiter.limit(configured("RATELIMIT_REGISTER_IP"))
@mail_per_address
@blp.arguments(RegistrationSchema)
@blp.response(202, MessageSchema)
@blp.alt_response(422, description="A field is missing or wrong")
@blp.alt_response(429, description="Too many registrations from this address, or emails to this address")
def register(data: dict[str, Any]) -> dict[str, Any]:
    """Start joining: the same 202 whether or not the email has an account.

    A new address is sent a link; the account exists once the link is opened in a browser and
    the password entered there. An address with an account is sent a note on how to log in.
    """
    signup.sign_up(data)
    return {"message": CHECK_EMAIL}


@blp.post("/tokens")
@limiter.limit(configured("RATELIMIT_LOGIN_IP"))
@login_per_account
@blp.arguments(CredentialsSchema)
@blp.response(201, TokenSchema)
@blp.alt_response(401, description="The email and password do not match an account")
@blp.alt_response(403, description="The email address is not confirmed yet (a new link was sent)")
@blp.alt_response(429, description="Too many attempts")
def create_token(data: dict[str, Any]) -> dict[str, Any]:
    """Exchange an email and password for a personal API token (shown once)."""
    user = accounts.authenticate(data["email"], data["password"])
    token, secret = tokens.create_token(user, data["name"])
    return {**presenters.token(token), "token": secret}


@blp.get("/tokens")
@login_required
@blp.response(200, TokenSchema(many=True))
@blp.alt_response(401, description="Not logged in")
def list_tokens() -> list[dict[str, Any]]:
    """List your live API tokens (never their secrets)."""
    return [presenters.token(t) for t in tokens.list_tokens(current_user)]


@blp.delete("/tokens/<int:token_id>")
@login_required
@blp.response(204)
@blp.alt_response(401, description="Not logged in")
@blp.alt_response(404, description="No such token of yours")
def revoke_token(token_id: int) -> None:
    """Revoke one of your API tokens."""
    tokens.revoke_token(current_user, token_id)


@blp.get("/me")
@login_required
@blp.response(200, MeSchema)
@blp.alt_response(401, description="Not logged in")
def me() -> dict[str, Any]:
    """Say which account is calling."""
    return presenters.me(current_user)


@blp.patch("/me")
@login_required
@blp.arguments(ProfileUpdateSchema)
@blp.response(200, MeSchema)
@blp.alt_response(401, description="Not logged in")
@blp.alt_response(403, description="Suspended or banned: the profile cannot change until it ends")
@blp.alt_response(422, description="A field is wrong")
def update_me(data: dict[str, Any]) -> dict[str, Any]:
    """Edit your profile: display name, job title, organisation, role (as declared), bio."""
    profiles.update_profile(current_user, data)
    return presenters.me(current_user)


@blp.put("/me/password")
@login_required
@own_password_checks
@blp.arguments(PasswordChangeSchema)
@blp.response(200, PasswordChangedSchema)
@blp.alt_response(401, description="Not logged in")
@blp.alt_response(422, description="The current password is wrong, or the new one too short")
@blp.alt_response(429, description="Too many attempts")
def change_password(data: dict[str, Any]) -> dict[str, Any]:
    """Change your password: every other session ends; API tokens keep working and are counted."""
    result = credentials.change_password(
        current_user, data["current_password"], data["new_password"], keep_session=current_session_id()
    )
    return {
        "message": "Your password is changed; every other session is logged out.",
        "sessions_ended": result.sessions_ended,
        "tokens_kept": result.tokens_kept,
    }


@blp.get("/me/sessions")
@login_required
@blp.response(200, SessionSchema(many=True))
@blp.alt_response(401, description="Not logged in")
def list_sessions() -> list[dict[str, Any]]:
    """List where you are logged in (browser sessions), most recently used first."""
    current = current_session_id()
    return [
        {
            "id": s.id,
            "device": s.device,
            "created_at": s.created_at,
            "last_seen_at": s.last_seen_at,
            "current": s.id == current,
        }
        for s in sessions.live_sessions(current_user, current_app.config["SESSION_IDLE_DAYS"])
    ]


@blp.delete("/me/sessions/<int:session_id>")
@login_required
@blp.response(204)
@blp.alt_response(401, description="Not logged in")
@blp.alt_response(404, description="No such live session of yours")
def end_session(session_id: int) -> None:
    """Log out one of your sessions."""
    sessions.end_one_of(current_user, session_id)


@blp.post("/password-resets")
@limiter.limit(configured("RATELIMIT_LOGIN_IP"))
@mail_per_address
@blp.arguments(EmailSchema)
@blp.response(202, MessageSchema)
@blp.alt_response(422, description="Not an email address")
@blp.alt_response(429, description="Too many requests, or emails to this address")
def request_password_reset(data: dict[str, Any]) -> dict[str, Any]:
    """Ask for a password reset link by email: the same 202 whether or not the address has an account."""
    credentials.request_reset(data["email"])
    return {"message": RESET_SENT.format(minutes=current_app.config["RESET_LINK_MINUTES"])}
