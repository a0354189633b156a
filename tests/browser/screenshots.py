"""Save a PNG of every page at phone and desktop width, so anyone can look at the pages.

    python -m tests.browser.screenshots [--out screenshots] [--only queue]

Builds a throwaway seeded SQLite database (tests/browser/scenario.py), serves it on
127.0.0.1 and a free port, and drives Debian's Chromium through Playwright. Files are named
``<page>--<phone|desktop>[--dark|--print].png``; ``make screenshots`` runs this.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

from tests.browser import scenario
from tests.browser.pages import (
    CATALOGUE,
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    PHONE,
    log_in,
    make_app,
    open_page,
    serve,
)


def _storage_states(browser: Browser, base: str, built: scenario.Scenario, folder: Path) -> dict[str, str]:
    """Log each person in once and keep their cookies for every later page."""
    states: dict[str, str] = {}
    for key, person in built.people.items():
        context = browser.new_context()
        log_in(context.new_page(), base, person.email, person.password)
        states[key] = str(folder / f"{key}.json")
        context.storage_state(path=states[key])
        context.close()
    return states


def take(out: Path, only: str | None = None) -> list[Path]:
    """Build the forum, serve it and save the screenshots into ``out``; return the files."""
    out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="forum-shots-") as tmp:
        folder = Path(tmp)
        os.environ.setdefault("XDG_CONFIG_HOME", str(folder / "config"))
        os.environ.setdefault("XDG_CACHE_HOME", str(folder / "cache"))
        app = make_app(folder / "forum.db")
        built = scenario.build(app)
        with serve(app) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            states = _storage_states(browser, base, built, folder)
            for entry in CATALOGUE:
                if only and only not in entry.name:
                    continue
                variants = [("light", "")] + ([("dark", "--dark")] if entry.dark else [])
                for scheme, suffix in variants:
                    for width_name, size in (("phone", PHONE), ("desktop", DESKTOP)):
                        context = browser.new_context(
                            viewport=size,
                            color_scheme=scheme,  # type: ignore[arg-type]
                            storage_state=states.get(entry.actor) if entry.actor else None,
                        )
                        page = context.new_page()
                        open_page(page, base, entry, built)
                        path = out / f"{entry.name}--{width_name}{suffix}.png"
                        page.screenshot(path=str(path), full_page=True)
                        saved.append(path)
                        if width_name == "phone" and scheme == "light":  # what a phone shows first
                            first = out / f"{entry.name}--phone--top.png"
                            page.screenshot(path=str(first))
                            saved.append(first)
                        if entry.name == "article" and scheme == "light" and width_name == "desktop":
                            page.emulate_media(media="print")
                            printed = out / f"{entry.name}--print.png"
                            page.screenshot(path=str(printed), full_page=True)
                            saved.append(printed)
                        context.close()
            browser.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments and take the screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("screenshots"), help="folder for the PNG files")
    parser.add_argument("--only", help="only pages whose name contains this")
    args = parser.parse_args(argv)
    logging.getLogger("forum").setLevel(logging.CRITICAL)  # the 500 and 503 pages log on purpose
    saved = take(args.out, args.only)
    print(f"saved {len(saved)} screenshots in {args.out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
