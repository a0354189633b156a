"""Work out who is asking: flask-login on server-side sessions, bearer tokens, 401s, safe redirects, API CSRF.

Every view and template learns who is making the request from here (``current_viewer()``, or
flask-login's ``current_user``); services are handed the account and a ``Viewer`` and never look.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import Flask, current_app, g, redirect, request, session, url_for
from flask_login import LoginManager, current_user, login_user, logout_user
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from forum.accounts.models import User
from forum.accounts.services import sessions, standing, tokens
from forum.accounts.services.viewer import ANONYMOUS, Viewer, viewer_of
from forum.platform.database import db
from forum.platform.errors import Forbidden
from forum.platform.http.errors import render_error
from forum.platform.http.security import csrf
from forum.platform.models import utcnow

F = TypeVar("F", bound=Callable[..., Any])
log = logging.getLogger(__name__)

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
login_manager = LoginManager()


def current_viewer() -> Viewer:
    """Return the viewer of the current request, worked out once per request (a thread page asks for
    it for every comment's controls; logging in or out forgets it)."""
    viewer: Viewer | None = g.get("_viewer")
    if viewer is None:
        viewer = g._viewer = viewer_of(current_user) if current_user.is_authenticated else ANONYMOUS
    return viewer


def is_safe_next(target: str | None) -> bool:
    """Allow ``?next=`` only to a path on this site (no scheme, host, or protocol-relative tricks)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and all(ord(ch) >= 32 for ch in target)


def safe_next(target: str | None, default: str = "web.index") -> str:
    """Return ``target`` if it is a local path, otherwise the default page."""
    return target if target and is_safe_next(target) else url_for(default)


def _load_user(identity: str) -> User | None:
    """Accept ``"<user id>:<session key>"`` only while that session's record is live (one query).

    The same identity is what the remember-me cookie carries, so it dies with the session. A dead
    identity is dropped from the cookie so it is not looked up again on every request.
    """
    user_id, _, key = identity.partition(":")
    found = (
        sessions.load(int(user_id), key, current_app.config["SESSION_IDLE_DAYS"])
        if user_id.isdigit() and key
        else None
    )
    if found is None:
        session.pop("_user_id", None)
        if current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies:
            session["_remember"] = "clear"
        return None
    user, record = found
    g.user_session_id = record.id
    every = timedelta(seconds=current_app.config["SESSION_TOUCH_SECONDS"])
    if utcnow() - record.last_seen_at > every:
        g.touch_user_session = record.id
    return user


def viewer_sanction_text() -> str | None:
    """Say what the logged-in viewer may not do and why, read once per request (None when free to act)."""
    if "sanction_text" not in g:
        sanction = standing.active_sanction(current_user.id) if current_user.is_authenticated else None
        g.sanction_text = standing.describe(sanction) if sanction else None
    return g.sanction_text


def log_in(user: User, remember: bool = False) -> None:
    """Start a new server-side session: a fresh key, an emptied cookie session, then flask-login.

    Clearing first means nothing from before the login (a planted session) carries over, and the
    identifier changes at every login.
    """
    session.clear()
    g.pop("_viewer", None)
    record, key = sessions.start(user, request.user_agent.string, current_app.config["SESSION_IDLE_DAYS"])
    login_user(user, remember=remember)
    session["_user_id"] = f"{user.id}:{key}"  # what the user loader and the remember cookie carry
    g.user_session_id = record.id


def log_out() -> None:
    """End this browser's session for good: its record is revoked, so a copied cookie opens nothing."""
    if g.get("user_session_id"):
        sessions.end(g.user_session_id)
    session.clear()
    g.pop("_viewer", None)
    logout_user()  # after clearing: it asks (through the session) for the remember cookie to go


def current_session_id() -> int | None:
    """The server-side session making this request (None for API tokens and anonymous people)."""
    return g.get("user_session_id") if current_user.is_authenticated else None


def _touch_session(response: Response) -> Response:
    """Note when a session or an API token was last used, at most every few minutes, in its own small
    transaction (a read's own transaction writes nothing and is never committed)."""
    session_id = g.pop("touch_user_session", None)
    token_id = g.pop("touch_api_token", None)
    if session_id is None and token_id is None:
        return response
    try:
        if request.method not in UNSAFE_METHODS:
            db.session.rollback()  # end the read-only transaction; this write starts a fresh one
        if session_id is not None:
            sessions.touch(session_id, utcnow())
        if token_id is not None:
            tokens.touch(token_id, utcnow())
        db.session.commit()
    except SQLAlchemyError as exc:  # a busy database must not fail a page that was already built
        db.session.rollback()
        log.warning("could not record session use: %s", type(exc).__name__)
    return response


def _authenticate_bearer_token() -> Any:
    """Let ``Authorization: Bearer <token>`` decide who an API request is from.

    A token wins over any session cookie; an unknown or revoked token is a 401, never a
    silent fall-back to the session.
    """
    # An app context may outlive one request (tests, CLI); never carry an identity over.
    for name in (
        "_login_user",
        "authenticated_by_token",
        "user_session_id",
        "touch_user_session",
        "touch_api_token",
        "_viewer",
        "sanction_text",
        "reader_user_id",
        "member_page",
    ):
        g.pop(name, None)
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if not request.path.startswith("/api/") or scheme.lower() != "bearer":
        return None
    every = timedelta(seconds=current_app.config["SESSION_TOUCH_SECONDS"])
    found = tokens.user_for_token(secret.strip(), every) if secret.strip() else None
    if found is None:
        return render_error(401, "That API token is not valid or has been revoked.")
    user, due = found
    if due is not None:
        g.touch_api_token = due
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


def requires(predicate: Callable[[Viewer], bool], refusal: str) -> Callable[[F], F]:
    """Guard a view: anonymous people log in (401 under /api); others without the right get a 403
    saying ``refusal``."""

    def decorate(view: F) -> F:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not predicate(current_viewer()):
                raise Forbidden(refusal)
            return view(*args, **kwargs)

        return guarded  # type: ignore[return-value]

    return decorate


def init_app(app: Flask) -> None:
    """Bind flask-login to ``app``: who is asking, for every request (CSRF itself is the platform's)."""
    login_manager.init_app(app)
    login_manager.user_loader(_load_user)
    login_manager.unauthorized_handler(_unauthorised)
    login_manager.session_protection = "basic"
    app.before_request(_authenticate_bearer_token)
    app.before_request(_protect_api_from_csrf)
    app.after_request(_touch_session)  # runs after the commit boundary (registered later, runs earlier)
