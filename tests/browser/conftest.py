"""Serve one seeded forum per session on a real port and drive Debian's Chromium through Playwright."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page

from forum.accounts.models import Access
from forum.accounts.services import accounts, names
from forum.platform.database import db
from tests.browser import scenario
from tests.browser.pages import CHROMIUM, CHROMIUM_ARGS, DESKTOP, log_in, make_app, serve
from tests.browser.scenario import PASSWORD, Person, Scenario

JS_MODES = [pytest.param(True, id="js"), pytest.param(False, id="no-js")]
_unique = itertools.count(1)


@pytest.fixture(scope="session", autouse=True)
def _browser_environment(tmp_path_factory: pytest.TempPathFactory) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Debian's Chromium is not installed at {CHROMIUM} (make test installs it)")
    home = tmp_path_factory.mktemp("xdg")
    os.environ.setdefault("XDG_CONFIG_HOME", str(home / "config"))
    os.environ.setdefault("XDG_CACHE_HOME", str(home / "cache"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """The app the live server runs: CSRF and rate limits on, a migrated SQLite file."""
    return make_app(tmp_path_factory.mktemp("live") / "forum.db")


@pytest.fixture(scope="session")
def forum(live_app: Flask) -> Scenario:
    """The seed articles plus people and comments in every state (tests/browser/scenario.py)."""
    return scenario.build(live_app)


@pytest.fixture(scope="session")
def live_server(live_app: Flask, forum: Scenario) -> Iterator[str]:
    """Serve the forum on 127.0.0.1 and a free port for the whole session; yield its base URL."""
    with serve(live_app) as base:
        yield base


@pytest.fixture(scope="session")
def storage_states(
    browser: Browser, live_server: str, forum: Scenario, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    """Log each scenario person in once; later contexts reuse their cookies."""
    folder = tmp_path_factory.mktemp("states")
    states: dict[str, str] = {}
    for key, person in forum.people.items():
        context = browser.new_context()
        log_in(context.new_page(), live_server, person.email, person.password)
        states[key] = str(folder / f"{key}.json")
        context.storage_state(path=states[key])
        context.close()
    return states


@pytest.fixture
def open_as(browser: Browser, storage_states: dict[str, str]) -> Iterator[Callable[..., Page]]:
    """Open a page in a fresh context as a scenario person (None: not logged in); closed afterwards."""
    contexts: list[BrowserContext] = []

    def opener(actor: str | None = None, *, js: bool = True, **options: Any) -> Page:
        options.setdefault("viewport", DESKTOP)
        context = browser.new_context(
            java_script_enabled=js, storage_state=storage_states[actor] if actor else None, **options
        )
        contexts.append(context)
        return context.new_page()

    yield opener
    for context in contexts:
        context.close()


@pytest.fixture
def new_member(live_app: Flask) -> Callable[..., Person]:
    """Create a member through the account service (for journeys that are not about signing up)."""

    def make(name: str, role: str = "patient", access: Access = Access.MEMBER) -> Person:
        key = f"person{next(_unique)}"
        with live_app.app_context():
            if names.name_taken(name):  # the live app outlives a test: a second run of it is someone else
                name = f"{name} {key[len('person') :]}"
            user = accounts.register(
                {"email": f"{key}@example.org", "password": PASSWORD, "display_name": name, "role": role},
                access=access,
            )
            db.session.commit()
            return Person(key, user.email, name, user.id, user.profile_id)

    return make


@pytest.fixture
def logged_in(browser: Browser, live_server: str) -> Iterator[Callable[..., Page]]:
    """Log a person in through the form in a fresh context and return the page."""
    contexts: list[BrowserContext] = []

    def make(person: Person, *, js: bool = True) -> Page:
        context = browser.new_context(java_script_enabled=js, viewport=DESKTOP)
        contexts.append(context)
        page = context.new_page()
        log_in(page, live_server, person.email, person.password)
        return page

    yield make
    for context in contexts:
        context.close()
