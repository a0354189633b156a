"""Connect flask-login to accounts: sessions, bearer tokens, 401s, safe redirects, CSRF on the API."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import Flask, current_app, g, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from forum import permissions
from forum.errors import Forbidden, render_error
from forum.extensions import csrf, db, login_manager
from forum.models import User
from forum.permissions import Viewer
from forum.services import accounts
from forum.viewer import current_viewer

F = TypeVar("F", bound=Callable[..., Any])

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def is_safe_next(target: str | None) -> bool:
    """Allow ``?next=`` only to a path on this site (no scheme, host, or protocol-relative tricks)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and all(ord(ch) >= 32 for ch in target)


def safe_next(target: str | None, default: str = "web.index") -> str:
    """Return ``target`` if it is a local path, otherwise the default page."""
    return target if target and is_safe_next(target) else url_for(default)


def _load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


def _authenticate_bearer_token() -> Any:
    """Let ``Authorization: Bearer <token>`` decide who an API request is from.

    A token wins over any session cookie; an unknown or revoked token is a 401, never a
    silent fall-back to the session.
    """
    # An app context may outlive one request (tests, CLI); never carry an identity over.
    g.pop("_login_user", None)
    g.pop("authenticated_by_token", None)
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if not request.path.startswith("/api/") or scheme.lower() != "bearer":
        return None
    user = accounts.user_for_token(secret.strip()) if secret.strip() else None
    if user is None:
        return render_error(401, "That API token is not valid or has been revoked.")
    g._login_user = user  # flask-login's per-request slot for current_user; no session is created
    g.authenticated_by_token = True
    return None


def _unauthorised() -> Response | tuple[object, int]:
    if request.path.startswith("/api/"):
        return render_error(401, "Log in or send an API token to do that.")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def _protect_api_from_csrf() -> None:
    """API calls riding on the browser session must send the CSRF token in X-CSRFToken."""
    if not request.path.startswith("/api/") or request.method not in UNSAFE_METHODS:
        return
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    # A bearer token is never sent automatically by browsers, so it cannot be forged cross-site.
    if current_user.is_authenticated and not g.get("authenticated_by_token"):
        csrf.protect()


def requires(predicate: Callable[[Viewer], bool]) -> Callable[[F], F]:
    """Guard a view: anonymous people log in (401 under /api), others without the right get 403."""

    def decorate(view: F) -> F:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not predicate(current_viewer()):
                raise Forbidden(
                    "You need moderator rights for that."
                    if predicate is permissions.can_moderate
                    else "You need admin rights for that."
                )
            return view(*args, **kwargs)

        return guarded  # type: ignore[return-value]

    return decorate


moderator_required = requires(permissions.can_moderate)
admin_required = requires(permissions.can_administer)


def register_auth(app: Flask) -> None:
    """Bind flask-login and CSRF protection to ``app``."""
    login_manager.init_app(app)
    login_manager.user_loader(_load_user)
    login_manager.unauthorized_handler(_unauthorised)
    login_manager.session_protection = "basic"
    csrf.init_app(app)
    app.before_request(_authenticate_bearer_token)
    app.before_request(_protect_api_from_csrf)
