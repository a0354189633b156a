"""Keyboard-only use: a skip link, every form in a logical order with a visible focus, errors linked to fields."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.scenario import ARTICLE

pytestmark = pytest.mark.browser

# (page, who, path, the form): every form a person fills in.
FORMS = [
    ("login", None, "/login", "main form.stack"),
    ("register", None, "/register", "main form.stack"),
    ("search", None, "/search", "main form[role=search]"),
    ("forgot-password", None, "/password/forgot", "main form.stack"),
    ("change-password", "member", "/account/security", "main form[action$='/password']"),
    ("profile", "member", "/account/profile", "main form.stack"),
    ("comment", "member", f"/articles/{ARTICLE}", "section.comments > form.comment-form"),
    ("comment-edit", "member", "/comments/{pending}/edit", "main form.stack"),
    ("new-token", "member", "/profiles/{member_profile}", "main form[action$='/tokens']"),
    ("queue-filter", "moderator", "/moderation", "main form.filters"),
    ("queue-bulk", "moderator", "/moderation", "#bulk"),
    ("audit-filter", "moderator", "/moderation/log", "main form.filters"),
    ("sanction", "moderator", "/moderation/members/{suspended}", "main form[action$='/sanctions']"),
    ("note", "moderator", "/moderation/members/{suspended}", "main form[action$='/notes']"),
    ("verify-role", "moderator", "/moderation/members/{suspended}", "main form[action$='/verification']"),
    ("banned-word", "admin", "/moderation/banned-words", "main form.inline-fields"),
    ("access", "admin", "/moderation/members/{member}", "main form[action$='/access']"),
]

DESCRIBE = """el => el === document.body || !el ? 'body' :
  `${el.tagName.toLowerCase()}#${el.id || ''}[${el.name || ''}]${(el.textContent || '').trim().slice(0, 30)}`"""
CONTROLS = """form => Array.from(form.querySelectorAll('input, select, textarea, button, a[href], summary'))
  .filter(el => el.type !== 'hidden' && !el.disabled && el.checkVisibility())"""
FOCUS_SHOWN = """() => {
  const el = document.activeElement, style = getComputedStyle(el);
  const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  return el.matches(':focus-visible') && (ring || style.boxShadow !== 'none');
}"""


def _tab_through(page: Page, form_selector: str) -> tuple[list[str], list[str]]:
    """Start just before the form and press Tab once per control; return (expected, focused)."""
    form = page.locator(form_selector)
    expect(form).to_have_count(1)
    expected = form.evaluate(f"form => ({CONTROLS})(form).map({DESCRIBE})")
    form.evaluate(
        f"""form => {{
          const first = ({CONTROLS})(form)[0];
          const all = Array.from(document.querySelectorAll('a[href], input, select, textarea, button, summary'))
            .filter(el => el.type !== 'hidden' && !el.disabled && el.checkVisibility());
          const before = all[all.indexOf(first) - 1];
          if (before) before.focus(); else document.activeElement.blur();
        }}"""
    )
    focused = []
    for _ in expected:
        page.keyboard.press("Tab")
        focused.append(page.evaluate(f"({DESCRIBE})(document.activeElement)"))
        assert page.evaluate(FOCUS_SHOWN), f"no visible focus on {focused[-1]}"
    return expected, focused


@pytest.mark.parametrize(("name", "actor", "path", "form"), FORMS, ids=[f[0] for f in FORMS])
def test_every_form_is_reached_in_order_with_a_visible_focus(
    open_as, live_server, forum, name, actor, path, form
):
    page = open_as(actor)
    ids = {
        "pending": forum.comments["pending"],
        "member_profile": forum.people["member"].profile_id,
        "suspended": forum.people["suspended"].user_id,
        "member": forum.people["member"].user_id,
    }
    page.goto(live_server + path.format(**ids))
    expected, focused = _tab_through(page, form)
    assert focused == expected and len(expected) >= 2


def test_the_first_tab_reaches_the_skip_link_which_moves_focus_to_the_content(open_as, live_server):
    page = open_as()
    page.goto(f"{live_server}/articles/{ARTICLE}")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0 and box["height"] > 10, "the skip link shows when focused"
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


def test_logging_in_with_the_keyboard_alone(open_as, live_server, forum):
    page = open_as()
    page.goto(f"{live_server}/login")
    page.keyboard.press("Tab")  # skip link
    page.get_by_label("Email address").focus()
    page.keyboard.type(forum.people["reporter"].email)
    page.keyboard.press("Tab")
    page.keyboard.type(forum.people["reporter"].password)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_form_errors_are_summarised_focused_and_linked_to_their_fields(open_as, live_server):
    page = open_as()
    page.goto(f"{live_server}/register")
    page.get_by_label("Email address").fill("not an email")
    page.get_by_role("button", name="Create account").click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_focused()
    links = summary.get_by_role("link")
    assert links.count() >= 2, "one link per problem"
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    in_form = page.locator("main form input, main form select, main form textarea").evaluate_all(
        "fields => fields.map(f => '#' + f.id)"
    )
    assert hrefs == [h for h in in_form if h in hrefs], "problems are listed in the order of the fields"
    for i in range(links.count()):
        target = links.nth(i).get_attribute("href")
        assert target and target.startswith("#")
        field = page.locator(target)
        expect(field).to_have_attribute("aria-invalid", "true")
        described = (field.get_attribute("aria-describedby") or "").split()
        assert f"{target[1:]}-error" in described
        expect(page.locator(f"{target}-error")).not_to_be_empty()
    links.first.focus()
    page.keyboard.press("Enter")
    expect(page.locator(links.first.get_attribute("href"))).to_be_focused()


def test_reply_and_report_open_and_submit_from_the_keyboard(open_as, live_server):
    page = open_as("reporter")
    page.goto(f"{live_server}/articles/{ARTICLE}")
    comment = page.locator("#comment-547775")
    comment.locator("details.reply > summary").focus()
    page.keyboard.press("Enter")
    expect(comment.get_by_label(re.compile("Your reply to"))).to_be_visible()
    page.keyboard.press("Tab")
    expect(comment.get_by_label(re.compile("Your reply to"))).to_be_focused()
    comment.locator("details.report > summary").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(comment.get_by_label("What is wrong with it?")).to_be_focused()


def test_a_comment_that_cannot_be_posted_says_why_where_focus_lands(open_as, live_server):
    page = open_as("member")
    page.goto(f"{live_server}/articles/{ARTICLE}#join")
    page.get_by_label("Your comment").fill("   ")
    page.get_by_role("button", name="Post comment").click()
    summary = page.get_by_role("alert").filter(has_text="Your comment was not posted")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_attribute("href", "#body-new")
    field = page.locator("#body-new")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#body-new-error")).to_have_text(re.compile("Write something"))


def test_the_threads_order_voices_and_folds_work_from_the_keyboard_without_script(open_as, live_server):
    page = open_as(js=False)
    page.goto(f"{live_server}/articles/{ARTICLE}")
    order = page.get_by_role("navigation", name="Order of the comments")
    newest = order.get_by_role("link", name="Newest first")
    newest.focus()
    expect(newest).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"sort=newest"))
    expect(
        page.get_by_role("navigation", name="Order of the comments").locator("[aria-current]")
    ).to_have_text("Newest first")
    voices = page.get_by_role("navigation", name="Whose comments to read")
    expect(voices.get_by_role("link", name="Everyone")).to_have_attribute("aria-current", "true")
    fold = page.locator("details.thread__fold > summary").first
    fold.focus()
    expect(fold).to_be_focused()
    assert page.evaluate(FOCUS_SHOWN)
    details = page.locator("details.thread__fold").first
    expect(details).to_have_attribute("open", "")
    page.keyboard.press("Enter")  # folds the conversation to its one-line summary
    expect(details).not_to_have_attribute("open", "")
    page.keyboard.press("Enter")
    expect(details).to_have_attribute("open", "")
