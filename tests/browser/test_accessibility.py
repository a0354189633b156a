"""Every page type passes axe-core (no serious or critical violations) in both colour schemes.

axe-core comes bundled in the axe-playwright-python package and is injected from disk: the
audit fetches nothing from the network. Each page is also checked at phone width for
sideways scrolling, and for asking anything of a host other than this forum.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.browser.pages import PAGE_NAMES, PHONE, open_page, page_type

pytestmark = pytest.mark.browser
AXE = Axe()
BLOCKING = {"serious", "critical"}
# Every WCAG 2.x A/AA rule axe knows, plus its best practices (landmarks, headings, regions).
AXE_OPTIONS = {"resultTypes": ["violations"]}
# Only colours change with the scheme, so the dark pass runs the contrast rule alone.
DARK_OPTIONS = {"resultTypes": ["violations"], "runOnly": {"type": "rule", "values": ["color-contrast"]}}


def _problems(page: Page, options: dict | None = None) -> str:
    """Run axe-core (injected once per page, from the package's own copy) and list what blocks."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.axe_script)
    results = page.evaluate("options => axe.run(document, options)", options or AXE_OPTIONS)
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING]
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(", ".join(map(str, n["target"])) for n in v["nodes"][:5])
        for v in blocking
    )


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_is_accessible_in_both_schemes_and_fits_a_phone(open_as, live_server, forum, name):
    entry = page_type(name)
    page = open_as(entry.actor)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    status = open_page(page, live_server, entry, forum)
    if status is not None:
        assert status == entry.status, f"{name} answered {status}"
    assert page.title().endswith("· Health and care forum") and page.locator("h1").count() == 1
    assert not (found := _problems(page)), f"light scheme:\n{found}"
    page.emulate_media(color_scheme="dark")
    assert not (found := _problems(page, DARK_OPTIONS)), f"dark scheme:\n{found}"

    page.set_viewport_size(PHONE)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"], f"{name} scrolls sideways at phone width ({scroll_width}px)"
    elsewhere = [url for url in requested if not url.startswith(live_server)]
    assert not elsewhere, f"{name} asked other hosts for {elsewhere}"
    assert any(url.endswith("/static/css/site.css") for url in requested)
