"""A newcomer joins (confirming their email), fills in their profile, comments and replies.

Signing up sends a confirmation link; in development and tests mail stays in the in-memory
outbox, which the check-your-email page links to, so the browser follows the link as a person
would follow it from their inbox.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import JS_MODES
from tests.browser.scenario import ARTICLE, PASSWORD

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("js", JS_MODES)
def test_a_newcomer_joins_fills_in_their_profile_and_comments(open_as, live_server, js):
    tag = "js" if js else "no-js"
    email, name = f"newcomer-{tag}@example.org", f"Nell Newcomer {tag}"
    page = open_as(js=js)
    page.goto(f"{live_server}/articles/{ARTICLE}")
    page.get_by_role("link", name="create an account", exact=True).click()

    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Name shown to others").fill(name)
    page.get_by_label("I understand, and I agree").check()
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.get_by_role("status").filter(has_text="We have sent a message")).to_contain_text(email)

    page.get_by_role("link", name="development outbox").click()
    message = page.locator("article.outbox-message").filter(has_text=f"To {email}").first
    message.locator("a[href*='/register/confirm?token=']").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your account")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm and log in").click()
    expect(page).to_have_url(re.compile(rf"/articles/{ARTICLE}#join$"))
    expect(page.locator("[role=status][aria-live=polite]")).to_contain_text(
        f"Welcome, {name}: your account is ready."
    )

    page.get_by_role("navigation", name="Site").get_by_role("link", name=name).click()
    page.get_by_role("link", name="Edit your profile").click()
    page.get_by_label("Job title").fill("Carer for my mother")
    page.get_by_label("Organisation").fill("Bristol Carers' Support")
    page.get_by_label("Your role in health and care").select_option("carer")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.locator(".profile__facts")).to_contain_text("Carer for my mother")
    expect(page.locator(".profile__facts")).to_contain_text("Bristol Carers' Support")
    expect(page.locator(".profile__role .badge")).to_have_text("Carer, role self-declared")

    page.goto(f"{live_server}/articles/{ARTICLE}#join")
    page.get_by_label("Your comment").fill(f"Carers need *time* with clinicians ({tag}).")
    page.get_by_role("button", name="Post comment").click()
    mine = page.locator("article.comment--pending").filter(
        has_text=f"Carers need time with clinicians ({tag})."
    )
    expect(mine).to_be_in_viewport()
    expect(mine.locator(".comment__status")).to_contain_text("Awaiting moderation")
    expect(mine.locator("em")).to_have_text("time")
    number = mine.get_attribute("id").removeprefix("comment-")
    expect(page).to_have_url(re.compile(rf"#message-{number}$"))
    expect(page.locator(f"#message-{number}[role=status]")).to_have_text(
        f"Your comment (#{number}) is waiting for a moderator to check it. Until then only you can see it."
    )
    expect(mine.locator(".byline")).to_contain_text(
        f"{name} · Carer for my mother · Bristol Carers' Support · Carer, role self-declared"
    )

    marcus = page.locator("#comment-547780")
    marcus.locator("details.reply > summary").click()
    marcus.get_by_label("Your reply to Marcus powell").fill(f"Thank you, Marcus ({tag}).")
    marcus.get_by_role("button", name="Post reply").click()
    replies = page.get_by_role("list", name="Replies to Marcus powell")
    reply = replies.get_by_role("article", name=re.compile(f"^Reply #\\d+ by {name}$"))
    expect(reply).to_contain_text(f"Thank you, Marcus ({tag}).")
    expect(reply.locator(".comment__status")).to_contain_text("Awaiting moderation")
    expect(page.locator(f"#message-{reply.get_attribute('id').removeprefix('comment-')}")).to_contain_text(
        "Your reply to Marcus powell (#547780) is waiting for a moderator to check it."
    )

    page.get_by_role("button", name="Log out").click()
    page.goto(f"{live_server}/articles/{ARTICLE}")
    expect(page.get_by_text(f"Carers need time with clinicians ({tag}).")).to_have_count(0)
    expect(page.get_by_text(f"Thank you, Marcus ({tag}).")).to_have_count(0)
