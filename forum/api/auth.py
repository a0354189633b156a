"""Register accounts, issue and revoke personal API tokens, and say who is calling."""

from __future__ import annotations

from typing import Any

from flask_login import current_user, login_required
from flask_smorest import Blueprint

from forum.api import presenters
from forum.extensions import limiter
from forum.ratelimits import configured, login_account_key
from forum.schemas.account import (
    CredentialsSchema,
    MeSchema,
    ProfileUpdateSchema,
    RegistrationSchema,
    TokenSchema,
)
from forum.services import accounts

blp = Blueprint("auth_api", __name__, url_prefix="/api/v1", description="Accounts and API tokens")


@blp.post("/users")
@limiter.limit(configured("RATELIMIT_REGISTER_IP"))
@blp.arguments(RegistrationSchema)
@blp.response(201, MeSchema)
@blp.alt_response(422, description="A field is missing or wrong, or the email is taken")
@blp.alt_response(429, description="Too many registrations from this address")
def register(data: dict[str, Any]) -> dict[str, Any]:
    """Create an account and its profile."""
    return presenters.me(accounts.register(data))


@blp.post("/tokens")
@limiter.limit(configured("RATELIMIT_LOGIN_IP"))
@limiter.limit(configured("RATELIMIT_LOGIN_ACCOUNT"), key_func=login_account_key)
@blp.arguments(CredentialsSchema)
@blp.response(201, TokenSchema)
@blp.alt_response(401, description="The email and password do not match an account")
@blp.alt_response(429, description="Too many attempts")
def create_token(data: dict[str, Any]) -> dict[str, Any]:
    """Exchange an email and password for a personal API token (shown once)."""
    user = accounts.authenticate(data["email"], data["password"])
    token, secret = accounts.create_token(user, data["name"])
    return {**presenters.token(token), "token": secret}


@blp.get("/tokens")
@login_required
@blp.response(200, TokenSchema(many=True))
@blp.alt_response(401, description="Not logged in")
def list_tokens() -> list[dict[str, Any]]:
    """List your live API tokens (never their secrets)."""
    return [presenters.token(t) for t in accounts.list_tokens(current_user)]


@blp.delete("/tokens/<int:token_id>")
@login_required
@blp.response(204)
@blp.alt_response(401, description="Not logged in")
@blp.alt_response(404, description="No such token of yours")
def revoke_token(token_id: int) -> None:
    """Revoke one of your API tokens."""
    accounts.revoke_token(current_user, token_id)


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
@blp.alt_response(422, description="A field is wrong")
def update_me(data: dict[str, Any]) -> dict[str, Any]:
    """Edit your profile: display name, job title, organisation, role (as declared), bio."""
    accounts.update_profile(current_user, data)
    return presenters.me(current_user)
