"""Login throttling holds across servers: attempts on one account counted in Redis by both of them.

Two gunicorn servers (two workers each) share one PostgreSQL database and one Redis, as in
production. Wrong passwords for one account alternate between the servers, through the browser form
and the API, and the account's limit still trips at the same count, with Retry-After.
"""

from __future__ import annotations

import http.cookiejar
import re
import secrets
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask_migrate import upgrade

from forum import create_app
from forum.accounts.services import accounts
from forum.platform.database import db
from tests.integration.servers import (
    REDIS_URL,
    Server,
    call,
    clear_redis_prefix,
    create_database,
    need_services,
    start_gunicorn,
)

pytestmark = pytest.mark.postgres
PASSWORD = "integration password"
LIMIT = 4  # per account per minute, for this cluster


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    need_services()
    url, drop = create_database()
    prefix = f"forum-it-{secrets.token_hex(4)}:"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        for email in ("target@example.org", "bystander@example.org"):
            accounts.register(
                {"email": email, "password": PASSWORD, "display_name": email.split("@")[0], "role": "patient"}
            )
        db.session.commit()
        db.engine.dispose()
    env = {
        "FORUM_ENV": "production",
        "PUBLIC_URL": "http://127.0.0.1",  # the servers' own address (any port: TRUSTED_HOSTS ignores it)
        "SECRET_KEY": secrets.token_hex(16),
        "DATABASE_URL": url,
        "REDIS_URL": REDIS_URL,
        "REDIS_PREFIX": prefix,
        "RATELIMIT_LOGIN_ACCOUNT": f"{LIMIT} per minute",
        "RATELIMIT_LOGIN_IP": "100 per minute",  # all calls come from 127.0.0.1: count per account only
    }
    logs: Path = tmp_path_factory.mktemp("gunicorn-throttle")
    servers: list[Server] = []
    try:
        servers = [start_gunicorn(env, logs), start_gunicorn(env, logs)]
        yield {"a": servers[0], "b": servers[1]}
    finally:
        for server in servers:
            server.stop()
        clear_redis_prefix(prefix)
        drop()


class Browser:
    """A cookie-keeping client that submits the login form with its CSRF token, like a person would."""

    def __init__(self) -> None:
        jar = http.cookiejar.CookieJar(policy=BehindTlsProxy())
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())

    def log_in(self, server: Server, email: str, password: str) -> tuple[int, dict[str, str]]:
        form = self.opener.open(server.base + "/login", timeout=10).read().decode()
        token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        data = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password}).encode()
        request = urllib.request.Request(server.base + "/login", data=data, method="POST")
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status, dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers)


class BehindTlsProxy(http.cookiejar.DefaultCookiePolicy):
    """Send production's Secure cookies over plain HTTP, as a TLS-terminating proxy in front would."""

    def return_ok_secure(self, cookie: http.cookiejar.Cookie, request: urllib.request.Request) -> bool:
        return True


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a successful login's 302 is the answer itself
        return None


def api_login(server: Server, email: str, password: str) -> tuple[int, dict[str, str]]:
    reply = call(server.base + "/api/v1/tokens", "POST", {"email": email, "password": password})
    return reply.status, reply.headers


def test_attempts_on_one_account_are_counted_across_servers_forms_and_api(cluster):
    a, b = cluster["a"], cluster["b"]
    browser = Browser()
    attempts = [
        browser.log_in(a, "target@example.org", "wrong password 1"),
        api_login(b, "Target@example.org", "wrong password 2"),
        browser.log_in(b, "target@example.org", "wrong password 3"),
        api_login(a, "target@example.org", "wrong password 4"),
        browser.log_in(a, "target@example.org", PASSWORD),  # even the right password waits now
        api_login(b, "target@example.org", PASSWORD),
    ]
    statuses = [status for status, _ in attempts]
    # Per-process or per-route counters would have let the fifth and sixth through.
    assert statuses == [401, 401, 401, 401, 429, 429]
    for _, headers in attempts[4:]:
        assert int(headers["Retry-After"]) > 0
    # The limit is the account's, not the address's: another account logs in at once, on either server.
    assert api_login(a, "bystander@example.org", PASSWORD)[0] == 201
    assert Browser().log_in(b, "bystander@example.org", PASSWORD)[0] == 302


def test_unknown_accounts_are_throttled_the_same_way(cluster):
    a, b = cluster["a"], cluster["b"]
    statuses = [api_login(server, "nobody@example.org", "any password")[0] for server in (a, b, a, b, a)]
    assert statuses == [401, 401, 401, 401, 429]  # the same answers as for a real account
