"""The thread on the organisation's own site, in a real browser: a host page on a second local origin
frames it and shows its count; the frame is readable and sized to its content; a page on an origin
that is not listed gets neither the frame nor the count."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from tests.browser.pages import serve_wsgi
from tests.browser.scenario import ARTICLE

HOST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Our blog: shared decision-making</title></head>
<body>
<h1>Shared decision-making (the organisation's own page)</h1>
<p id="count">Loading the comment count...</p>
<iframe data-forum-embed title="Comments on the forum" src="{forum}/embed/articles/{slug}"
        style="width:100%;border:0" loading="lazy"></iframe>
<script src="{forum}/embed/embed.js" async></script>
<script>
fetch("{forum}/api/v1/articles/{slug}/summary")
  .then(function (r) {{ return r.json(); }})
  .then(function (s) {{ document.getElementById("count").textContent = s.comment_count + " comments"; }})
  .catch(function () {{ document.getElementById("count").textContent = "count unavailable"; }});
</script>
</body></html>"""


@contextmanager
def host_site(forum: str) -> Iterator[str]:
    """Serve the organisation's page on its own 127.0.0.1 port (another origin); yield its base URL."""

    def app(environ, start_response):  # type: ignore[no-untyped-def]
        Request(environ)
        body = HOST_PAGE.format(forum=forum, slug=ARTICLE)
        return Response(body, mimetype="text/html")(environ, start_response)

    server = make_server("127.0.0.1", 0, app, threaded=True)
    with serve_wsgi(server) as base:
        yield base


@pytest.fixture
def allowed(live_app: Flask) -> Iterator[Callable[[str], None]]:
    """Let one origin frame the forum (the setting is read on every request); put back afterwards."""
    before = live_app.config["EMBED_ALLOWED_ORIGINS"]

    def allow(origin: str) -> None:
        live_app.config["EMBED_ALLOWED_ORIGINS"] = (origin,)

    yield allow
    live_app.config["EMBED_ALLOWED_ORIGINS"] = before


def _embedded_frame(page: Page):  # type: ignore[no-untyped-def]
    return next((f for f in page.frames if "/embed/articles/" in f.url), None)


def test_an_allowed_site_frames_the_thread_sized_to_its_content(open_as, live_server, allowed):
    with host_site(live_server) as host:
        allowed(host)
        page = open_as(None)
        page.goto(host)
        expect(page.locator("#count")).to_have_text(re.compile(r"^\d+ comments$"))
        count = page.locator("#count").inner_text().split()[0]
        frame = page.frame_locator("iframe[data-forum-embed]")
        expect(frame.get_by_role("heading", name=f"{count} comments on the forum")).to_be_visible()
        expect(frame.locator("#comment-547779")).to_contain_text("Mark Duman")
        join = frame.get_by_role("link", name="Join the conversation on the forum")
        expect(join).to_have_attribute("target", "_blank")
        # The host script sized the frame to the thread: no inner scrolling.
        iframe = page.locator("iframe[data-forum-embed]")
        expect(iframe).to_have_attribute("data-forum-height", re.compile(r"^\d+$"))
        height = iframe.evaluate("f => f.getBoundingClientRect().height")
        inner = _embedded_frame(page).evaluate("() => document.documentElement.scrollHeight")
        assert height > 600 and abs(height - inner) <= 2, (height, inner)


def test_the_thread_works_in_the_frame_without_the_host_script(open_as, live_server, allowed):
    with host_site(live_server) as host:
        allowed(host)
        page = open_as(None)
        page.route("**/embed/embed.js", lambda route: route.abort())
        page.goto(host)
        frame = page.frame_locator("iframe[data-forum-embed]")
        expect(frame.locator("#comment-547779")).to_contain_text("Mark Duman")  # readable, just scrolls
        assert page.locator("iframe[data-forum-embed]").get_attribute("data-forum-height") is None


def test_a_site_that_is_not_listed_gets_neither_the_frame_nor_the_count(open_as, live_server, allowed):
    with host_site(live_server) as listed, host_site(live_server) as other:
        allowed(listed)  # some site is allowed, just not this one
        page = open_as(None)
        refusals: list[str] = []
        page.on("console", lambda message: refusals.append(message.text))
        page.goto(other)
        expect(page.locator("#count")).to_have_text("count unavailable")  # CORS refused the read
        page.wait_for_timeout(500)
        frame = _embedded_frame(page)
        content = frame.content() if frame is not None else ""
        assert "Join the conversation" not in content and "Mark Duman" not in content
        assert any("frame-ancestors" in text for text in refusals), refusals
