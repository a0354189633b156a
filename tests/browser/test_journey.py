"""A person joins, logs in, comments, replies, sees both awaiting moderation, and logs out."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_register_login_comment_reply_and_logout(page: Page, live_server: str, screenshots) -> None:
    page.goto(f"{live_server}/articles/shared-decision-making")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Challenging traditional relationships")
    page.get_by_role("link", name="create an account", exact=True).click()

    page.get_by_label("Email address").fill("carer@example.org")
    page.get_by_label("Password").fill("a good long password")
    page.get_by_label("Name shown to others").fill("Pat Carer")
    page.get_by_label("Job title").fill("Unpaid carer")
    page.get_by_label("Your role in health and care").select_option("carer")
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(re.compile(r"/articles/shared-decision-making#join$"))

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("navigation").get_by_role("link", name="Log in")).to_be_visible()
    page.get_by_role("navigation").get_by_role("link", name="Log in").click()
    page.get_by_label("Email address").fill("carer@example.org")
    page.get_by_label("Password").fill("a good long password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="Pat Carer")).to_be_visible()

    page.goto(f"{live_server}/articles/shared-decision-making")
    page.get_by_label("Your comment").fill("As a carer, *being listened to* changes everything.")
    page.get_by_role("button", name="Post comment").click()
    mine = page.locator("article.comment--pending").filter(has_text="being listened to")
    expect(mine).to_be_visible()
    expect(mine.get_by_role("status")).to_contain_text("Awaiting moderation")
    expect(mine.locator("em")).to_have_text("being listened to")

    marcus = page.locator("#comment-547780")
    marcus.locator("details.reply > summary").click()
    marcus.get_by_label("Your reply to Marcus powell").fill("Thank you, Marcus.")
    marcus.get_by_role("button", name="Post reply").click()
    reply = page.locator("article.comment--pending").filter(has_text="Thank you, Marcus.")
    expect(reply).to_be_visible()
    expect(page.locator("#comment-547780 + ol.thread__replies")).to_contain_text("Thank you, Marcus.")
    if screenshots:
        page.screenshot(path=str(screenshots / "thread-pending.png"), full_page=True)

    page.get_by_role("button", name="Log out").click()
    page.goto(f"{live_server}/articles/shared-decision-making")
    expect(page.get_by_text("being listened to")).to_have_count(0)
    expect(page.get_by_text("Thank you, Marcus.")).to_have_count(0)


def test_thread_is_readable_on_a_phone(page: Page, live_server: str, screenshots) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server}/articles/patient-centred-leadership#comments")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "nothing should scroll sideways at phone width"
    expect(page.locator("#comment-40464")).to_contain_text("ALF COLLINS")
    if screenshots:
        page.screenshot(path=str(screenshots / "phone-thread.png"), full_page=True)


def test_keyboard_users_can_skip_to_content(page: Page, live_server: str) -> None:
    page.goto(live_server)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
