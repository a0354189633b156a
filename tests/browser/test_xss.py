"""Load every page that shows planted XSS payloads in Chromium: nothing runs, nothing is injected, text reads as typed.

tests/browser/xss_plant.py puts 125 payloads (script tags, event handlers, javascript: and data:
URLs, SVG and MathML, broken markup, Markdown tricks, Unicode and encoding tricks, template and
attribute breakers) into every field a person or moderator types. Each page that shows them is
then loaded with many payloads at once, and:

- no dialog opens (payloads call alert, confirm or prompt) and the browser reports no
  Content-Security-Policy violation (which would mean injected code tried to run and was stopped
  only by the second line of defence);
- the DOM holds no element or attribute a payload could have added: no script other than the
  site's own files, no iframe, object, embed, svg, math, base, meta or style in the body, no
  ``on*`` or ``style`` attribute, no ``javascript:``, ``data:`` or ``vbscript:`` URL;
- comment bodies hold only the Markdown allow-list (p, br, em, strong, a, ul, ol, li,
  blockquote, code) and show exactly the text of their stored, sanitised rendering;
- every plain-text value (names, job titles, organisations, bios, notes, reasons, token names,
  banned words) appears in the page's text exactly as stored.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from flask_migrate import upgrade
from playwright.sync_api import Browser, BrowserContext, Page
from werkzeug.serving import make_server

from forum import create_app
from tests.browser.xss_plant import CORPUS, PASSWORD, PAYLOADS, QUEUED, REJECTED, THREAD, Planted, plant

pytestmark = pytest.mark.browser

# Runs in the page: everything a payload could have added, wherever it is.
DOM_PROBLEMS = """() => {
  const problems = [];
  const banned = new Set(['iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'svg', 'math',
    'base', 'img', 'video', 'audio', 'source', 'track', 'portal', 'marquee', 'noscript', 'template',
    'xmp', 'plaintext']);
  const badUrl = /^(javascript|data|vbscript):/i;
  for (const el of document.querySelectorAll('*')) {
    const tag = el.localName;
    const inHead = el.closest('head') !== null;
    if (banned.has(tag)) problems.push('element <' + tag + '>');
    if (tag === 'script' && !(el.getAttribute('src') || '').startsWith('/static/')) problems.push('inline script');
    if (tag === 'script' && el.textContent.trim()) problems.push('script with code');
    if ((tag === 'style' || tag === 'meta' || tag === 'link') && !inHead) problems.push('<' + tag + '> in body');
    if (tag === 'meta' && el.hasAttribute('http-equiv')) problems.push('meta http-equiv');
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\\u0000-\\u0020]/g, '');
      if (name.startsWith('on')) problems.push(tag + ' has ' + name);
      if (name === 'style' || name === 'srcdoc' || name === 'formaction') problems.push(tag + ' has ' + name);
      if (['href', 'src', 'action', 'xlink:href', 'data', 'poster', 'background'].includes(name) && badUrl.test(value))
        problems.push(tag + ' ' + name + '=' + attr.value.slice(0, 40));
    }
  }
  const allowed = {p: [], br: [], em: [], strong: [], a: ['href', 'rel'], ul: [], ol: ['start'], li: [],
    blockquote: [], code: []};
  for (const body of document.querySelectorAll('.comment__body')) {
    for (const el of body.querySelectorAll('*')) {
      const names = allowed[el.localName];
      if (!names) { problems.push('comment body holds <' + el.localName + '>'); continue; }
      for (const attr of el.attributes)
        if (!names.includes(attr.name)) problems.push('comment body ' + el.localName + ' has ' + attr.name);
    }
  }
  return problems;
}"""

# Runs in the page: the text of each comment body next to the text of its stored HTML.
COMMENT_TEXTS = """(stored) => {
  const out = [];
  for (const [id, html] of Object.entries(stored)) {
    const el = document.querySelector('#comment-' + id + ' .comment__body');
    if (!el) continue;
    const t = document.createElement('template');
    t.innerHTML = html;
    out.push([id, el.textContent, t.content.textContent]);
  }
  return out;
}"""


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class Watch:
    """Record dialogs, CSP violations and script errors raised while a page is open."""

    def __init__(self, page: Page) -> None:
        self.events: list[str] = []
        page.on("dialog", self._dialog)
        page.on("console", lambda m: self.events.append(f"console: {m.text}") if _is_csp(m.text) else None)
        page.on("pageerror", lambda e: self.events.append(f"script error: {e}"))

    def _dialog(self, dialog: Any) -> None:
        self.events.append(f"dialog {dialog.type}: {dialog.message}")
        dialog.dismiss()


def _is_csp(text: str) -> bool:
    return "Content Security Policy" in text or "Refused to" in text


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Planted, dict[int, str]]]:
    """A live server on its own database, with the corpus planted; also each comment's stored HTML."""
    database = tmp_path_factory.mktemp("xss") / "forum.db"
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "SECRET_KEY": "xss", "RATELIMIT_ENABLED": False}
    )
    with app.app_context():
        upgrade()
    planted = plant(app)
    client = app.test_client()
    stored_html: dict[int, str] = {}
    after = ""
    while True:  # the public thread through the API: every comment's stored, sanitised HTML
        page = client.get(f"/api/v1/articles/{THREAD}/comments?limit=1000{after}").get_json()
        stored_html.update({c["id"]: c["body_html"] for c in page["comments"]})
        if not page["next_cursor"]:
            break
        after = f"&after={page['next_cursor']}"
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", planted, stored_html
    finally:
        server.shutdown()
        thread.join(timeout=5)


def visit_all(page: Page, url: str) -> Iterator[str]:
    """Load ``url`` and every page after it (rel=next), yielding while each is open."""
    for _ in range(40):
        page.goto(url, wait_until="load")
        yield page.url
        following = page.locator("a[rel=next]")
        if not following.count():
            return
        url = following.first.get_attribute("href") or ""


def check_pages(
    page: Page, watch: Watch, start: str, texts: list[str], stored_html: dict[int, str]
) -> list[str]:
    """Visit ``start`` and its following pages; return every problem found."""
    problems: list[str] = []
    shown = ""
    for url in visit_all(page, start):
        problems += [f"{url}: {p}" for p in page.evaluate(DOM_PROBLEMS)]
        for comment_id, shown_text, stored_text in page.evaluate(
            COMMENT_TEXTS, {str(k): v for k, v in stored_html.items()}
        ):
            if squash(shown_text) != squash(stored_text):
                problems.append(
                    f"{url}: comment {comment_id} reads {shown_text[:80]!r}, stored {stored_text[:80]!r}"
                )
        shown += " " + squash(page.evaluate("document.body.textContent"))
    problems += [
        f"{start}: {text[:80]!r} does not read as stored" for text in texts if squash(text) not in shown
    ]
    problems += [f"{start}: {event}" for event in watch.events]
    watch.events.clear()
    return problems


def context_for(browser: Browser, base: str, email: str | None) -> tuple[BrowserContext, Page, Watch]:
    context = browser.new_context(base_url=base)
    page = context.new_page()
    watch = Watch(page)
    if email:
        page.goto("/login")
        page.fill("input[name=email]", email)
        page.fill("input[name=password]", PASSWORD)
        page.locator("form:has(input[name=password]) [type=submit]").click()
        page.wait_for_load_state("load")
        assert "/login" not in page.url, "could not log in"
    return context, page, watch


def test_the_corpus_is_big_and_planted_everywhere(site: tuple[str, Planted, dict[int, str]]) -> None:
    _, planted, stored_html = site
    assert len(PAYLOADS) >= 100 and len(CORPUS) >= 8
    # Most payloads are taken as they are (only control characters and lengths are refused).
    for name, taken in planted.accepted.items():
        assert taken >= 90, (name, taken)
    assert len(stored_html) == len(planted.comment_ids) >= 100


def test_public_pages_run_nothing_and_read_as_typed(
    browser: Browser, site: tuple[str, Planted, dict[int, str]]
) -> None:
    base, planted, stored_html = site
    context, page, watch = context_for(browser, base, None)
    problems = check_pages(page, watch, f"/articles/{THREAD}", planted.texts["thread-names"], stored_html)
    for profile_id in planted.profile_ids:
        problems += check_pages(
            page, watch, f"/profiles/{profile_id}", planted.texts[f"profile:{profile_id}"], stored_html
        )
    for payload in PAYLOADS[::10]:  # the search box reflects what was typed
        problems += check_pages(page, watch, "/search?q=" + quote(payload, safe=""), [], stored_html)
    context.close()
    assert not problems, "\n".join(problems[:60])


def test_moderator_pages_run_nothing_and_read_as_typed(
    browser: Browser, site: tuple[str, Planted, dict[int, str]]
) -> None:
    base, planted, stored_html = site
    context, page, watch = context_for(browser, base, planted.moderator_email)
    problems = check_pages(page, watch, "/moderation", planted.texts["flag-notes"], stored_html)
    problems += check_pages(
        page, watch, "/moderation/banned-words", planted.texts["banned-words"], stored_html
    )
    problems += check_pages(
        page, watch, f"/moderation/members/{planted.subject_id}", planted.texts["member-page"], stored_html
    )
    problems += check_pages(page, watch, f"/moderation/log?member={planted.subject_id}", [], stored_html)
    problems += check_pages(page, watch, "/moderation/log", [], stored_html)
    context.close()
    assert not problems, "\n".join(problems[:60])


def test_own_pages_run_nothing_and_read_as_typed(
    browser: Browser, site: tuple[str, Planted, dict[int, str]]
) -> None:
    base, planted, stored_html = site
    problems: list[str] = []
    context, page, watch = context_for(browser, base, planted.keeper_email)
    problems += check_pages(
        page, watch, f"/profiles/{planted.keeper_profile_id}", planted.texts["token-names"], stored_html
    )
    context.close()
    notes = planted.texts["rejection-notes"]
    for email in planted.rejectee_emails:
        context, page, watch = context_for(browser, base, email)
        problems += check_pages(page, watch, "/account/notifications", [], stored_html)
        problems += check_pages(page, watch, f"/articles/{REJECTED}", [], stored_html)
        context.close()
    shown_notes = _notes_shown(browser, base, planted)
    problems += [
        f"rejection note {n[:60]!r} not shown to its author" for n in notes if squash(n) not in shown_notes
    ]
    context, page, watch = context_for(browser, base, planted.moderator_email)
    problems += check_pages(page, watch, f"/articles/{QUEUED}", [], stored_html)
    context.close()
    assert not problems, "\n".join(problems[:60])


def _notes_shown(browser: Browser, base: str, planted: Planted) -> str:
    shown = ""
    for email in planted.rejectee_emails:
        context, page, _ = context_for(browser, base, email)
        page.goto("/account/notifications")
        shown += " " + squash(page.evaluate("document.body.textContent"))
        context.close()
    return shown
