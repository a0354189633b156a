"""Name the rate limits (values come from config) and the keys they count by."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, request
from flask_login import current_user

from forum.extensions import limiter


def configured(name: str) -> Callable[[], str]:
    """Read a limit such as "5 per minute" from the config at request time."""
    return lambda: str(current_app.config[name])


def _submitted_email() -> str:
    data = request.get_json(silent=True) if request.is_json else request.form
    email = (data or {}).get("email", "") if hasattr(data, "get") else ""
    return str(email).strip().lower()


def login_account_key() -> str:
    """Count password attempts per account (the email tried, else the caller's), wherever they come from."""
    email = _submitted_email()
    if not email and current_user.is_authenticated:
        email = current_user.email
    return "login:" + email


def email_address_key() -> str:
    """Count the emails sent to one address, whoever asks for them."""
    return "mail:" + _submitted_email()


# Shared scopes: the browser form and the API count against the same per-account budget, and the
# counters live in RATELIMIT_STORAGE_URI (Redis in production), so every worker and server shares them.
login_per_account = limiter.shared_limit(
    configured("RATELIMIT_LOGIN_ACCOUNT"),
    scope="login-account",
    key_func=login_account_key,
    methods=["POST", "PUT"],
)
mail_per_address = limiter.shared_limit(
    configured("RATELIMIT_EMAIL"), scope="mail-address", key_func=email_address_key, methods=["POST"]
)
