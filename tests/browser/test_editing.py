"""An editor, as a new user would, without JavaScript: writes a draft with headings and links, previews
it, publishes it, sees it on the front page and in the Atom feed, closes and reopens comments, archives
and restores it; a reader sees each step."""

from __future__ import annotations

import re

from playwright.sync_api import expect

TITLE = "Paying for care that patients help design"
BODY = (
    "## Why it matters\n\nBudgets follow what we *measure*. Read [the report](https://example.org/report).\n\n"
    "### What changed\n\n- fewer missed appointments\n- shorter stays"
)


def test_an_editor_writes_previews_publishes_closes_and_archives_an_article(open_as, live_server):
    editor = open_as("editor", js=False)
    reader = open_as(None, js=False)
    editor.goto(live_server)
    editor.get_by_role("link", name="Manage articles").click()
    expect(editor.get_by_role("heading", name="Articles", exact=True)).to_be_visible()
    editor.get_by_role("link", name="New article").click()
    editor.locator("#title").fill(TITLE)
    editor.locator("#byline_name").fill("Thomas Dahlborg")
    editor.locator("#byline_description").fill("chief financial officer, NICHQ")
    editor.locator("#body").fill(BODY)
    editor.get_by_role("button", name="Preview").click()
    preview = editor.locator(".editor__preview")
    expect(preview.get_by_role("heading", name="Why it matters", level=2)).to_be_visible()
    expect(preview.get_by_role("heading", name="What changed", level=3)).to_be_visible()
    expect(preview.get_by_role("link", name="the report")).to_have_attribute(
        "href", "https://example.org/report"
    )
    expect(editor.locator("#body")).to_have_value(BODY)  # the text is still in the form
    editor.get_by_role("button", name="Save draft").click()
    expect(editor.get_by_text("is saved as a draft")).to_be_visible()
    slug = "paying-for-care-that-patients-help-design"
    assert reader.goto(f"{live_server}/articles/{slug}").status == 404

    editor.get_by_role("button", name="Publish").click()
    expect(editor.get_by_text(f"“{TITLE}” is published.")).to_be_visible()
    reader.goto(live_server)
    expect(reader.get_by_role("link", name=TITLE)).to_be_visible()
    feed = reader.request.get(f"{live_server}/feeds/articles.atom").text()
    assert TITLE in feed
    reader.get_by_role("link", name=TITLE).click()
    expect(reader.get_by_role("heading", name="Why it matters", level=2)).to_be_visible()
    expect(reader.get_by_text("By Thomas Dahlborg, chief financial officer, NICHQ")).to_be_visible()

    editor.get_by_role("button", name="Close comments").click()
    reader.reload()
    expect(reader.get_by_text("Comments are closed on this article.")).to_be_visible()
    editor.get_by_role("button", name="Open comments").click()
    reader.reload()
    expect(reader.get_by_text("Comments are closed on this article.")).to_have_count(0)

    editor.get_by_role("button", name="Archive").click()
    expect(editor.get_by_text(re.compile("is archived: readers no longer see it"))).to_be_visible()
    assert reader.goto(f"{live_server}/articles/{slug}").status == 404
    editor.get_by_role("button", name="Restore").click()
    assert reader.goto(f"{live_server}/articles/{slug}").status == 200
