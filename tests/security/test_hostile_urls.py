"""Send hostile path segments and query strings to every GET route, pages and API alike: never a 5xx.

schemathesis covers the API's documented parameters; this covers what it does not generate and
what the HTML pages read by hand: NUL and other control characters (PostgreSQL refuses them in
text), numbers past the database's integer range (they overflow the driver), Unicode digits that
``str.isdigit`` accepts and ``int`` refuses, invalid UTF-8, path traversal, very long values.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from flask import Flask

from forum.accounts.models import Access
from forum.seeding.services.loader import load_seeds
from tests.conftest import SEEDS_DIR, create_user, log_in

HOSTILE = [
    "0",
    "-1",
    "2147483648",
    "9" * 30,
    "²",
    "١٢",
    "a\x00b",
    "\x01\x7f",
    "%ff%fe",  # sent as is: invalid UTF-8 once decoded
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "x" * 3000,
]
QUERY_NAMES = ["page", "per_page", "after", "limit", "q", "next", "comment", "member", "moderator", "kind"]
REAL = {"slug": "shared-decision-making", "int": "1"}


def get_rules(app: Flask) -> list[str]:
    return sorted(r.rule for r in app.url_map.iter_rules() if "GET" in (r.methods or set()))


def fill(rule: str, value: str) -> str:
    """Put ``value`` (or a real value, when ``value`` is None) into every parameter of ``rule``."""

    def one(match: re.Match[str]) -> str:
        converter = match.group(1) or "slug"
        if value is None:
            return REAL["int"] if converter == "int" else REAL["slug"]
        return value if value.startswith("%") else quote(value, safe="")

    return re.sub(r"<(?:(\w+):)?\w+>", one, rule)


def query(value: str) -> str:
    encoded = value if value.startswith("%") else quote(value, safe="")
    return "&".join(f"{name}={encoded}" for name in QUERY_NAMES)


@pytest.mark.parametrize("actor", ["anonymous", "moderator"])
def test_no_get_route_fails_on_hostile_input(app: Flask, actor: str) -> None:
    load_seeds(SEEDS_DIR)
    user = (
        create_user("hostile-mod@example.org", "Mod", access=Access.MODERATOR)
        if actor != "anonymous"
        else None
    )
    client = log_in(app.test_client(), user)
    rules = get_rules(app)
    assert len(rules) >= 20
    failures = []
    for rule in rules:
        urls = [f"{fill(rule, None)}?{query(value)}" for value in HOSTILE]
        if "<" in rule:
            urls += [f"{fill(rule, value)}?{query(value)}" for value in HOSTILE]
        for url in urls:
            response = client.get(url)
            if response.status_code >= 500:
                failures.append(f"{response.status_code} {url[:160]}")
            elif url.startswith("/api/") and response.status_code >= 400:
                body = response.get_json(silent=True) or {}
                if set(body) != {"code", "status", "message", "errors"}:
                    failures.append(f"not the error shape: {url[:160]} -> {response.get_data()[:200]!r}")
    assert not failures, "\n".join(failures)
