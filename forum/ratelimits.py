"""Name the rate limits (values come from config) and the keys they count by."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, request
from flask_limiter.util import get_remote_address
from flask_login import current_user


def configured(name: str) -> Callable[[], str]:
    """Read a limit such as "5 per minute" from the config at request time."""
    return lambda: str(current_app.config[name])


def login_account_key() -> str:
    """Count login attempts per account (the email tried), wherever they come from."""
    data = request.get_json(silent=True) if request.is_json else request.form
    email = (data or {}).get("email", "") if hasattr(data, "get") else ""
    return "login:" + str(email).strip().lower()


def posting_account_key() -> str:
    """Count posts per account; anonymous requests (refused anyway) count per address."""
    if current_user.is_authenticated:
        return f"post:{current_user.id}"
    return f"post-ip:{get_remote_address()}"
