"""Serve the forum on a free local port and list every page type, for tests and screenshots alike."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy.exc import OperationalError
from werkzeug.serving import WSGIRequestHandler, make_server

from forum import create_app
from tests.browser.scenario import ARTICLE, PASSWORD, Scenario

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
_fresh = itertools.count(1)
DESKTOP = {"width": 1280, "height": 900}


def make_app(database: Path) -> Flask:
    """Build the app as production would run it (CSRF and rate limits on), over a SQLite file.

    Limits are raised so the suite's own logins from 127.0.0.1 do not trip them, and the edit
    window is long enough that a slow run can still open the edit page. Two extra routes show
    the 500 and 503 pages, which nothing else in a healthy app can reach.
    """
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "SECRET_KEY": "browser-tests",
            "EDIT_WINDOW_MINUTES": 600,
            "RATELIMIT_LOGIN_IP": "500 per minute",
            "RATELIMIT_LOGIN_ACCOUNT": "100 per minute",
            "RATELIMIT_REGISTER_IP": "100 per hour",
            "RATELIMIT_POST_ACCOUNT": "100 per minute",
            "RATELIMIT_EMAIL": "100 per hour",
            "MAIL_OUTBOX_DIR": None,  # this server's outbox only, not make run's folder
        }
    )

    def broken() -> str:
        raise RuntimeError("a deliberate failure to show the 500 page")

    def database_down() -> str:
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    app.add_url_rule("/_test/500", "test_500", broken)
    app.add_url_rule("/_test/503", "test_503", database_down)
    return app


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Keep the terminal for results: no line per request."""


@contextmanager
def serve(app: Flask) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1 and a free port in a thread; yield its base URL."""
    with serve_wsgi(make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)) as base:
        yield base


@contextmanager
def serve_wsgi(server: Any) -> Iterator[str]:
    """Run a werkzeug server in a thread; yield its base URL, shut it down afterwards."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@dataclass(frozen=True)
class PageType:
    """One page as one kind of person sees it: a path, or steps that lead to it.

    ``path`` may name scenario ids: ``{c[pending]}`` (comments), ``{p[member].user_id}``
    (people), ``{profiles[marcus]}``.
    """

    name: str
    actor: str | None  # a Scenario.people key, or None for a reader who is not logged in
    path: str = ""
    steps: Callable[[Any, str, Scenario], None] | None = None  # for pages behind a POST
    status: int = 200
    dark: bool = False  # also screenshot in the dark scheme

    def url(self, base: str, built: Scenario) -> str:
        return base + self.path.format(c=built.comments, p=built.people, profiles=built.profiles)


def _submit_empty_registration(page: Any, base: str, built: Scenario) -> None:
    page.goto(f"{base}/register")
    page.get_by_role("button", name="Create account").click()


def _wrong_password(page: Any, base: str, built: Scenario) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Email address").fill("nobody@example.org")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()


def _blank_comment(page: Any, base: str, built: Scenario) -> None:
    page.goto(f"{base}/articles/{ARTICLE}#join")
    page.get_by_label("Your comment").fill("   ")
    page.get_by_role("button", name="Post comment").click()


def _preview_comment(page: Any, base: str, built: Scenario) -> None:
    page.goto(f"{base}/articles/{ARTICLE}#join")
    page.get_by_label("Your comment").fill("> Quoted\n\nCarers need *time* with clinicians.")
    page.get_by_role("button", name="Preview your comment").click()


def _preview_edit(page: Any, base: str, built: Scenario) -> None:
    page.goto(f"{base}/comments/{built.comments['pending']}/edit")
    page.get_by_label("Your comment").fill("Changed, with a [link](https://example.org).")
    page.get_by_role("button", name="Preview your changes").click()


def _report_sent(page: Any, base: str, built: Scenario) -> None:
    page.goto(f"{base}/articles/{ARTICLE}")
    comment = page.locator("#comment-547792")
    comment.locator("details.report > summary").click()
    comment.get_by_role("button", name="Send report about comment #547792").click()
    page.wait_for_url("**#message-547792")


def _register(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/register")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Name shown to others").fill("Nia Newcomer")
    page.get_by_label("I understand, and I agree").check()
    page.get_by_role("button", name="Create account").click()


def follow_mailed_link(page: Any, base: str, email: str) -> None:
    """Open the development outbox and follow the link in the newest message to ``email``."""
    page.goto(f"{base}/dev/outbox")
    message = page.locator("article.outbox-message").filter(has_text=f"To {email}").first
    message.get_by_role("link").first.click()


def _check_email(page: Any, base: str, built: Scenario) -> None:
    _register(page, base, f"newcomer{next(_fresh)}@example.org")


def _confirm(page: Any, base: str, built: Scenario) -> None:
    email = f"newcomer{next(_fresh)}@example.org"
    _register(page, base, email)
    follow_mailed_link(page, base, email)


def _reset(page: Any, base: str, built: Scenario) -> None:
    email = built.people["reporter"].email
    page.goto(f"{base}/password/forgot")
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Send me a link").click()
    follow_mailed_link(page, base, email)


def _new_token(page: Any, base: str, built: Scenario) -> None:
    page.goto(f"{base}/profiles/{built.people['member'].profile_id}")
    page.get_by_role("button", name="Create token").click()


ARTICLE_PATH = f"/articles/{ARTICLE}"


# Every page type, as each kind of person who can reach it sees it.
def _preview_article(page: Any, base: str, built: Scenario) -> None:
    page.goto(f"{base}/admin/articles/new")
    page.locator("#title").fill("Paying for care that patients help design")
    page.locator("#byline_name").fill("Thomas Dahlborg")
    page.locator("#byline_description").fill("chief financial officer, NICHQ")
    page.locator("#body").fill(
        "## Why it matters\n\nBudgets follow what we *measure*. Read [the report](https://example.org/r).\n\n"
        "> Patients saw costs we had missed.\n\n- fewer missed appointments\n- shorter stays"
    )
    page.get_by_role("button", name="Preview").click()


def _article_errors(page: Any, base: str, built: Scenario) -> None:
    page.goto(f"{base}/admin/articles/new")
    page.locator("#body").fill("A chart: ![costs](https://example.org/c.png)")
    page.locator("#canonical_url").fill("example.org/page")
    page.get_by_role("button", name="Save draft").click()


def _edit_seeded_article(page: Any, base: str, built: Scenario) -> None:
    page.goto(f"{base}/admin/articles?q=shared")
    page.locator(".editor-table a").first.click()


CATALOGUE = [
    PageType("articles", None, "/", dark=True),
    PageType("article", None, ARTICLE_PATH, dark=True),
    PageType("article-report", None, "/articles/patient-centred-leadership"),
    PageType("article-reading-list", None, "/articles/collaborative-leadership-reading-list"),
    PageType("profile-seeded", None, "/profiles/{profiles[marcus]}"),
    PageType("search", None, "/search?q=leadership"),
    PageType("login", None, "/login"),
    PageType("privacy", None, "/privacy"),
    PageType("house-rules", None, "/house-rules"),
    PageType("agree-again", "returning", "/account/agree?next=/"),
    PageType("login-error", None, steps=_wrong_password, status=401),
    PageType("register", None, "/register", dark=True),
    PageType("register-errors", None, steps=_submit_empty_registration, status=422),
    PageType("check-email", None, steps=_check_email),
    PageType("outbox", None, "/dev/outbox"),
    PageType("confirm", None, steps=_confirm),
    PageType("link-invalid", None, "/register/confirm?token=no-such-token", status=400),
    PageType("forgot-password", None, "/password/forgot"),
    PageType("reset-password", None, steps=_reset),
    PageType("not-found", None, "/articles/no-such-article", status=404),
    PageType("server-error", None, "/_test/500", status=500),
    PageType("database-down", None, "/_test/503", status=503),
    PageType("article-member", "member", ARTICLE_PATH, dark=True),
    PageType("article-sorted", None, ARTICLE_PATH + "?sort=replies"),
    PageType("article-voices", None, ARTICLE_PATH + "?roles=carer,patient,patient_leader"),
    PageType("article-voices-member", "member", ARTICLE_PATH + "?roles=ned&sort=newest", dark=True),
    PageType("comment-error", "member", steps=_blank_comment, status=422),
    PageType("article-quote", "member", ARTICLE_PATH + "?quote=547779"),
    PageType("comment-preview", "member", steps=_preview_comment),
    PageType("comment-edit-preview", "member", steps=_preview_edit),
    PageType("report-sent", "member", steps=_report_sent),
    PageType("profile-own", "member", "/profiles/{p[member].profile_id}"),
    PageType("profile-edit", "member", "/account/profile"),
    PageType("notifications", "member", "/account/notifications"),
    PageType("notification-settings", "member", "/account/notifications/settings", dark=True),
    PageType("unsubscribe-invalid", None, "/email/unsubscribe?token=not-a-real-token", status=400),
    PageType("account-security", "member", "/account/security"),
    PageType("your-data", "member", "/account/data"),
    PageType("delete-account", "member", "/account/delete"),
    PageType("comment-edit", "member", "/comments/{c[pending]}/edit"),
    PageType("comment-delete", "member", "/comments/{c[pending]}/delete"),
    PageType("token-created", "member", steps=_new_token),
    PageType("forbidden", "member", "/moderation", status=403),
    PageType("article-suspended", "suspended", ARTICLE_PATH),
    PageType("article-moderator", "moderator", ARTICLE_PATH),
    PageType("queue", "moderator", "/moderation", dark=True),
    PageType("queue-reported", "moderator", "/moderation?kind=reported"),
    PageType("queue-bad-filter", "moderator", "/moderation?reason=boredom", status=422),
    PageType("audit-log", "moderator", "/moderation/log"),
    PageType("moderate-published", "moderator", "/moderation/comments/547780"),
    PageType("moderate-redacted", "moderator", "/moderation/comments/{c[redacted]}"),
    PageType("member-record", "moderator", "/moderation/members/{p[suspended].user_id}", dark=True),
    PageType("help-now", "reporter", ARTICLE_PATH),
    PageType("queue-safeguarding", "moderator", "/moderation?kind=safeguarding"),
    PageType("safeguarding", "moderator", "/moderation/safeguarding"),
    PageType("dashboard", "moderator", "/moderation/dashboard", dark=True),
    PageType("banned-words", "admin", "/moderation/banned-words"),
    PageType("member-record-admin", "admin", "/moderation/members/{p[member].user_id}"),
    PageType("editor-articles", "editor", "/admin/articles"),
    PageType("editor-new", "editor", "/admin/articles/new"),
    PageType("editor-preview", "editor", steps=_preview_article),
    PageType("editor-errors", "editor", steps=_article_errors, status=422),
    PageType("editor-edit", "editor", steps=_edit_seeded_article, dark=True),
]
PAGE_NAMES = [entry.name for entry in CATALOGUE]


def page_type(name: str) -> PageType:
    """Return the catalogue entry called ``name``."""
    return next(entry for entry in CATALOGUE if entry.name == name)


def log_in(page: Any, base: str, email: str, password: str) -> None:
    """Log in through the form, as a person would."""
    page.goto(f"{base}/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login" not in url)


def open_page(page: Any, base: str, entry: PageType, built: Scenario) -> int | None:
    """Go to the entry's page; return the HTTP status of a direct visit (None after steps)."""
    if entry.steps is not None:
        entry.steps(page, base, built)
        page.wait_for_load_state()
        return None
    response = page.goto(entry.url(base, built))
    return response.status if response is not None else None
