"""A member posts, a moderator approves it in another browser, and then everyone can read it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import MODERATOR_EMAIL, MODERATOR_PASSWORD

pytestmark = pytest.mark.browser


def log_in(page: Page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_member_posts_moderator_approves_reader_sees(browser: Browser, live_server: str, screenshots) -> None:
    member = browser.new_context().new_page()
    member.goto(f"{live_server}/register")
    member.get_by_label("Email address").fill("nurse@example.org")
    member.get_by_label("Password").fill("a long nursing password")
    member.get_by_label("Name shown to others").fill("Nia Nurse")
    member.get_by_label("Your role in health and care").select_option("clinician")
    member.get_by_role("button", name="Create account").click()
    member.goto(f"{live_server}/articles/patient-centred-leadership")
    member.get_by_label("Your comment").fill("Ward teams need time to listen, not just targets.")
    member.get_by_role("button", name="Post comment").click()
    expect(member.locator("article.comment--pending")).to_contain_text(
        "first few comments are read by a moderator"
    )

    moderator = browser.new_context().new_page()
    log_in(moderator, live_server, MODERATOR_EMAIL, MODERATOR_PASSWORD)
    moderator.get_by_role("link", name="Moderation").click()
    item = moderator.locator(".queue-item").filter(has_text="Ward teams need time to listen")
    expect(item).to_contain_text("Nia Nurse")
    if screenshots:
        moderator.screenshot(path=str(screenshots / "queue.png"), full_page=True)
    item.get_by_role("button", name="Approve").click()
    expect(moderator.get_by_role("status").first).to_contain_text("is now approved")

    reader = browser.new_context().new_page()
    reader.goto(f"{live_server}/articles/patient-centred-leadership")
    expect(reader.get_by_text("Ward teams need time to listen, not just targets.")).to_be_visible()
    expect(reader.locator("#comments-heading")).to_have_text("8 comments")

    member.goto(f"{live_server}/account/notifications")
    expect(member.get_by_text("is published")).to_be_visible()
