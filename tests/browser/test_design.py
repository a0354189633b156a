"""What the design promises: words not colour, announced nesting, wrapping, dark and print styles."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.pages import PHONE
from tests.browser.scenario import ARTICLE, LONG_WORD

pytestmark = pytest.mark.browser


def test_role_badges_say_the_role_and_where_it_comes_from_in_words(open_as, live_server, forum):
    page = open_as("member")
    page.goto(f"{live_server}/articles/{ARTICLE}")
    badges = {
        547780: "Staff, role ✓ verified",  # verified by the scenario's moderator
        547779: "NED, role stated on original page",  # seeded: the job title names the role
        forum.comments["pending"]: "Carer, role self-declared",
    }
    for comment_id, words in badges.items():
        badge = page.locator(f"#comment-{comment_id} .byline .badge:not(.badge--author)")
        expect(badge).to_have_text(words)
        assert badge.get_attribute("title"), "the long explanation is there on hover too"
    # Marcus Powell wrote the article (the byline links to his profile): his answer says so.
    expect(page.locator("#comment-547780 .byline .badge--author")).to_have_text("Author")


def test_a_reply_is_announced_inside_its_parents_list_of_replies(open_as, live_server):
    page = open_as()
    page.goto(f"{live_server}/articles/{ARTICLE}")
    replies = page.get_by_role("list", name="Replies to Mark Duman")
    expect(replies.get_by_role("article", name="Reply #547780 by Marcus powell")).to_be_visible()
    # The list of replies sits inside the parent's list item, so screen readers announce the level.
    nested = page.locator(
        "ol.thread > li:has(> #comment-547779) > details > ol.thread__replies > li > #comment-547780"
    )
    expect(nested).to_have_count(1)
    expect(page.locator("#comment-547780")).to_contain_text("Reply to Mark Duman")


def test_awaiting_moderation_and_edited_states_are_visible_words(open_as, live_server, forum):
    page = open_as("member")
    page.goto(f"{live_server}/articles/{ARTICLE}")
    c = forum.comments
    expect(page.locator(f"#comment-{c['pending']} .comment__status")).to_contain_text("Awaiting moderation")
    expect(page.locator(f"#comment-{c['rejected']} .comment__status")).to_contain_text(
        "Not published (reason: personal data)"
    )
    expect(page.locator(f"#comment-{c['redacted']} .byline")).to_contain_text("(edited by a moderator)")


def test_long_words_and_addresses_wrap_on_a_phone(open_as, live_server, forum):
    page = open_as(viewport=PHONE)
    page.goto(f"{live_server}/articles/{ARTICLE}#comment-{forum.comments['long']}")
    body = page.locator(f"#comment-{forum.comments['long']} .comment__body")
    expect(body).to_contain_text(LONG_WORD)
    widths = body.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert widths[0] <= widths[1], widths
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_dark_scheme_follows_the_system_setting(open_as, live_server):
    light = open_as(color_scheme="light")
    dark = open_as(color_scheme="dark")
    for page in (light, dark):
        page.goto(f"{live_server}/articles/{ARTICLE}")
    background = "getComputedStyle(document.body).backgroundColor"
    assert light.evaluate(background) == "rgb(255, 255, 255)"
    assert dark.evaluate(background) == "rgb(20, 24, 28)"


def test_articles_print_with_their_comments_and_without_controls(open_as, live_server, forum):
    page = open_as("member")
    page.goto(f"{live_server}/articles/{ARTICLE}")
    page.emulate_media(media="print")
    expect(page.locator("article.article h1")).to_be_visible()
    expect(page.locator("#comment-547780 .comment__body")).to_be_visible()
    for hidden in (
        "nav",
        "form.comment-form",
        "details.reply",
        "details.report",
        ".comment__actions",
        "footer",
    ):
        expect(page.locator(hidden).first).to_be_hidden()
    link = page.locator(f"#comment-{forum.comments['long']} .comment__body a[href^='http']").first
    shown = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert link.get_attribute("href") in shown, "printed links show where they lead"
    number = page.locator("#comment-547780 .byline__number")
    assert "/comments/547780" in number.evaluate("a => getComputedStyle(a, '::after').content")


def test_the_audit_would_catch_a_serious_problem(open_as, live_server):
    """Guard the guard: axe runs for real and reports what the audit fails on."""
    page = open_as()
    page.goto(live_server)
    page.evaluate(
        """() => {
          const field = document.createElement('input');  // a text field with no label at all
          document.querySelector('main').append(field);
          const faint = document.createElement('p');
          faint.textContent = 'Faint text';
          faint.style.color = '#dddddd';
          document.querySelector('main').append(faint);
        }"""
    )
    found = {v["id"]: v["impact"] for v in Axe().run(page).response["violations"]}
    assert found.get("label") == "critical" and found.get("color-contrast") == "serious", found


def test_the_queue_page_keeps_filters_and_pages_in_plain_links(open_as, live_server):
    page = open_as("moderator", js=False)
    page.goto(f"{live_server}/moderation")
    page.get_by_label("Kind").select_option("reported")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"/moderation\?kind=reported&reason=&member=$"))
    expect(page.locator(".queue-item--flagged").first).to_be_visible()
    expect(page.locator(".queue-item--pending")).to_have_count(0)
    expect(page.get_by_role("link", name="Show everything")).to_be_visible()
