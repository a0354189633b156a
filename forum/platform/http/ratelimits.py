"""Hold the rate limiter, name the limits (values come from config) and the keys they count by."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import current_user


class ViewLimiter(Limiter):
    """Flask-Limiter for limits declared on views, which is all this forum uses.

    Each decorated view checks its own limits. The extension's before_request pass exists for
    application-wide, default and meta limits; here it found nothing to count on every request and
    cost about 0.07 ms doing so, so it is skipped, and init_app refuses the settings that need it.
    """

    PASS_SETTINGS = ("RATELIMIT_DEFAULT", "RATELIMIT_APPLICATION", "RATELIMIT_META")

    def init_app(self, app: Flask) -> None:
        needing = [name for name in self.PASS_SETTINGS if app.config.get(name)]
        if needing:
            raise RuntimeError(
                f"{', '.join(needing)}: declare limits on the views instead (forum/ratelimits.py)"
            )
        super().init_app(app)

    def _check_request_limit(self, callable_name: str | None = None, in_middleware: bool = True) -> None:
        if not in_middleware:  # the view's own decorator
            super()._check_request_limit(callable_name=callable_name, in_middleware=False)


# Limits are declared on the views; storage comes from RATELIMIT_STORAGE_URI (memory:// by default).
limiter = ViewLimiter(key_func=get_remote_address)


def configured(name: str) -> Callable[[], str]:
    """Read a limit such as "5 per minute" from the config at request time."""
    return lambda: str(current_app.config[name])


def _submitted_email() -> str:
    data = request.get_json(silent=True) if request.is_json else request.form
    email = (data or {}).get("email", "") if hasattr(data, "get") else ""
    return str(email).strip().lower()


def login_account_key() -> str:
    """Count password attempts per account: the email tried, on the forms and calls that take one."""
    return "login:" + _submitted_email()


def own_account_key() -> str:
    """Count password checks against the caller's own account (a password change): the account the
    session or token belongs to, never a field the client sends, so an extra ``email`` in the form
    cannot move the guesses to a fresh counter. The same counter as :func:`login_account_key`."""
    email = current_user.email if current_user.is_authenticated else ""
    return "login:" + str(email).strip().lower()


def account_key() -> str:
    """Count by the caller's account (session or token), whatever the client sends."""
    return f"account:{current_user.get_id() if current_user.is_authenticated else request.remote_addr}"


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
own_password_checks = limiter.shared_limit(
    configured("RATELIMIT_LOGIN_ACCOUNT"),
    scope="login-account",
    key_func=own_account_key,
    methods=["POST", "PUT"],
)
mail_per_address = limiter.shared_limit(
    configured("RATELIMIT_EMAIL"), scope="mail-address", key_func=email_address_key, methods=["POST"]
)

# Previews render Markdown and save nothing: the page's button and the API share one budget.
limit_previews = limiter.shared_limit(
    configured("RATELIMIT_PREVIEW_ACCOUNT"), scope="preview-account", key_func=account_key, methods=["POST"]
)


# "This helped me" and official responses, on the pages and through the API alike.
taking_part = limiter.shared_limit(
    configured("RATELIMIT_THANKS_ACCOUNT"),
    scope="taking-part",
    key_func=account_key,
    methods=["POST", "PUT", "DELETE"],
)


def init_app(app: Flask) -> None:
    """Bind the limiter to ``app`` (after the login wiring, so limits keyed by account see token users)."""
    limiter.init_app(app)
