"""What people come to do, start to finish, each with JavaScript on and off.

Readers read; members report; moderators work the queue in their own browser while the
member sees the outcome in theirs; a suspended member is told why they cannot post.
The newcomer's journey (signing up) is in test_newcomer.py.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import JS_MODES
from tests.browser.scenario import ARTICLE

pytestmark = pytest.mark.browser


def _status(page: Page):
    """The polite live region where the forum puts news after an action."""
    return page.locator("[role=status][aria-live=polite]")


def _post(page: Page, base: str, text: str) -> None:
    page.goto(f"{base}/articles/{ARTICLE}#join")
    page.get_by_label("Your comment").fill(text)
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator("article.comment--pending").filter(has_text=text)).to_be_visible()


@pytest.mark.parametrize("js", JS_MODES)
def test_a_reader_browses_opens_a_thread_and_follows_a_permalink_to_a_reply(open_as, live_server, js):
    page = open_as(js=js)
    page.goto(live_server)
    expect(page.get_by_role("heading", level=1)).to_have_text("Articles")
    page.get_by_role("link", name=re.compile("^Challenging traditional relationships")).click()
    expect(page).to_have_url(f"{live_server}/articles/{ARTICLE}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Challenging traditional relationships")
    expect(page.locator("#comments-heading")).to_have_text(re.compile(r"^\d+ comments$"))

    page.get_by_role("link", name="Link to comment #547780").click()
    expect(page).to_have_url(f"{live_server}/articles/{ARTICLE}#comment-547780")
    reply = page.locator("#comment-547780")
    expect(reply).to_be_in_viewport()
    assert page.evaluate("document.querySelector(':target')?.id") == "comment-547780"
    parent_replies = page.get_by_role("list", name="Replies to Mark Duman")
    expect(parent_replies.get_by_role("article", name="Reply #547780 by Marcus powell")).to_contain_text(
        "Mark - many thanks for your comment."
    )

    page.goto(f"{live_server}/comments/547780")  # the address people share
    expect(page).to_have_url(f"{live_server}/articles/{ARTICLE}#comment-547780")
    expect(page.locator("#comment-547780 .comment__reply-to")).to_have_text("↳ Reply to Mark Duman")
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    expect(page.get_by_text("Log in or create an account to comment.")).to_be_visible()


@pytest.mark.parametrize("js", JS_MODES)
def test_a_moderator_works_the_queue_and_the_member_sees_each_outcome(
    logged_in, open_as, new_member, live_server, js
):
    tag = "with script" if js else "without script"
    member = new_member(f"Quinn Queue ({tag})")
    writer = logged_in(member, js=js)
    texts = {
        name: f"{name.capitalize()} this one ({tag})."
        for name in ("approve", "reject", "redact", "first of two", "second of two")
    }
    for text in texts.values():
        _post(writer, live_server, text)

    moderator = open_as("moderator", js=js)  # a second browser, as a second person would use
    moderator.goto(f"{live_server}/moderation")
    moderator.get_by_role("form", name="Filter the queue").get_by_label("Reason").select_option("new_member")
    moderator.get_by_role("button", name="Filter").click()
    expect(moderator).to_have_url(re.compile(r"reason=new_member"))

    def item(name: str):
        return moderator.locator(".queue-item").filter(has_text=texts[name])

    item("approve").get_by_role("button", name=re.compile("^Approve comment")).click()
    expect(_status(moderator)).to_contain_text(": approved.")
    expect(moderator).to_have_url(re.compile(r"reason=new_member"))

    rejecting = item("reject")
    rejecting.locator("summary", has_text="Reject").click()
    rejecting = rejecting.locator("details.decision[open] form")
    rejecting.get_by_label("Reason").select_option("off_topic")
    rejecting.get_by_label("Note to the author").fill("Please keep to the article's subject.")
    rejecting.get_by_role("button", name=re.compile("^Reject comment")).click()
    expect(_status(moderator)).to_contain_text(": rejected.")

    redacting = item("redact")
    redacting.locator("summary", has_text="Edit and approve").click()
    redacting = redacting.locator("details.decision[open] form")
    redacting.get_by_label(re.compile("^Text to publish")).fill(f"Redacted by the moderator ({tag}).")
    redacting.get_by_role("button", name=re.compile("^Publish edited text")).click()
    expect(_status(moderator)).to_contain_text("published with your changes")

    for name in ("first of two", "second of two"):
        item(name).get_by_role("checkbox", name=re.compile("^Select comment")).check()
    bulk = moderator.locator("#bulk")
    bulk.get_by_label("Decision").select_option("approve")
    bulk.get_by_role("button", name="Apply to selected").click()
    expect(_status(moderator)).to_contain_text("2 comments decided: 2 approved")
    for name in texts:
        expect(item(name)).to_have_count(0)

    writer.goto(f"{live_server}/account/notifications")
    notices = writer.locator(".notifications li")
    expect(notices.filter(has_text="was not published (reason: off topic)")).to_contain_text(
        "Please keep to the article's subject."
    )
    expect(notices.filter(has_text="with changes by a moderator")).to_have_count(1)
    expect(notices.filter(has_text="is published.")).to_have_count(3)

    writer.goto(f"{live_server}/articles/{ARTICLE}")
    rejected = writer.locator("article.comment--rejected").filter(has_text=texts["reject"])
    expect(rejected).to_contain_text("Not published (reason: off topic)")
    redacted = writer.locator("article.comment").filter(has_text=f"Redacted by the moderator ({tag}).")
    expect(redacted).to_contain_text("(edited by a moderator)")

    reader = open_as(js=js)
    reader.goto(f"{live_server}/articles/{ARTICLE}")
    for name in ("approve", "first of two", "second of two"):
        expect(reader.get_by_text(texts[name])).to_be_visible()
    expect(reader.get_by_text(texts["reject"])).to_have_count(0)
    expect(reader.get_by_text(texts["redact"])).to_have_count(0)


@pytest.mark.parametrize(("js", "comment_id"), [(True, 547786), (False, 547796)], ids=["js", "no-js"])
def test_a_member_reports_a_comment_and_the_moderators_see_why(
    logged_in, open_as, new_member, live_server, js, comment_id
):
    member = new_member("Robin Report")
    page = logged_in(member, js=js)
    page.goto(f"{live_server}/articles/{ARTICLE}")
    comment = page.locator(f"#comment-{comment_id}")
    comment.locator("details.report > summary").click()
    comment.get_by_label("What is wrong with it?").select_option("misinformation")
    comment.get_by_label("Anything to add").fill("The figures quoted are out of date.")
    comment.get_by_role("button", name=f"Send report about comment #{comment_id}").click()
    message = page.locator(f"#message-{comment_id}[role=status]")  # beside the comment, and landed on
    expect(message).to_have_text(
        f"Your report about comment #{comment_id} was sent to the moderators. Thank you: one of them will look at it."
    )
    expect(page).to_have_url(re.compile(rf"#message-{comment_id}$"))
    expect(message).to_be_in_viewport()
    expect(_status(page)).to_have_text("")

    moderator = open_as("moderator", js=js)
    moderator.goto(f"{live_server}/moderation?reason=misinformation")
    reported = moderator.locator(f"#item-{comment_id}")
    expect(reported.locator(".tag--flagged")).to_have_text("Reported")
    expect(reported.get_by_role("list", name="Reports")).to_contain_text(
        "Misinformation: “The figures quoted are out of date.”"
    )


@pytest.mark.parametrize("js", JS_MODES)
def test_a_suspended_member_is_told_why_they_cannot_post(logged_in, live_server, forum, js):
    page = logged_in(forum.people["suspended"], js=js)
    page.goto(f"{live_server}/articles/{ARTICLE}")
    notice = page.locator("#cannot-post")
    expect(notice).to_contain_text("You cannot post or reply at the moment.")
    expect(notice).to_contain_text("You are suspended from posting until")
    expect(notice).to_contain_text("Repeated personal attacks.")
    expect(notice).to_contain_text("You can still read the forum.")
    expect(page.get_by_label("Your comment")).to_have_count(0)
    expect(page.locator("details.reply")).to_have_count(0)
    expect(page.locator("details.report")).to_have_count(0)
    expect(page.locator("#comment-547780")).to_contain_text("Mark - many thanks")
