"""A member's page from the shared frame equals the page built from scratch, for every kind of viewer (issue 23)."""

from __future__ import annotations

import re

import pytest

from forum.discussion.web import overlay
from forum.platform.database import db
from forum.platform.models import utcnow
from tests.conftest import create_user
from tests.factories import make_comment, make_profile

CSRF = re.compile(r'name="csrf_token" value="[^"]+"')


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return CSRF.sub('name="csrf_token" value="…"', response.get_data(as_text=True))


def _scratch(app, client, url):
    app.config["THREAD_OVERLAY"] = False
    try:
        return _page(client, url)
    finally:
        app.config["THREAD_OVERLAY"] = True


@pytest.mark.parametrize("who", ["stranger", "member", "waiting", "suspended", "moderator"])
@pytest.mark.parametrize("query", ["", "?sort=newest", "?sort=replies", "?roles=clinician"])
def test_the_overlaid_page_equals_the_page_built_from_scratch(
    app, as_user, people, long_talk, frozen, count_queries, who, query
):
    client = as_user(people.get(who))
    url = "/articles/talk" + query
    with count_queries() as first:
        overlaid = _page(client, url)  # builds the frame (or the page)
    with count_queries() as again:
        overlaid_again = _page(client, url)  # from the frame
    scratch = _scratch(app, client, url)
    assert overlaid == overlaid_again == scratch
    # The frame is built once, then laid on: no thread statement (its rows carry comments.body_html). A member
    # with a comment waiting here has their page built each time (strangers: the thread cache's tests).
    if who != "stranger":
        assert any("comments.body_html" in s for s in first.statements)
        from_scratch = who in ("waiting", "moderator")  # moderators see what moves no generation
        assert any("comments.body_html" in s for s in again.statements) == from_scratch


@pytest.mark.parametrize("who", ["member", "suspended"])
def test_with_caching_off_each_read_builds_a_frame_and_the_page_is_the_same(
    app, as_user, people, long_talk, frozen, count_queries, monkeypatch, who
):
    """THREAD_CACHE_LOCAL_MB=0 (nothing kept): a member's page is still the frame with their marks,
    built for that read alone, and equals the page built from scratch."""
    client = as_user(people[who])
    built = []
    build = overlay._build
    monkeypatch.setattr(overlay, "_build", lambda *args: built.append(args) or build(*args))
    kept = app.config["THREAD_CACHE_LOCAL_MB"]
    app.config["THREAD_CACHE_LOCAL_MB"] = 0
    try:
        for _ in range(2):
            with count_queries() as read:
                page = _page(client, "/articles/talk")
            assert any("comments.body_html" in s for s in read.statements)  # built again: nothing kept
        assert len(built) == 2 and not overlay._frames()
        assert page == _scratch(app, client, "/articles/talk")
    finally:
        app.config["THREAD_CACHE_LOCAL_MB"] = kept


def test_the_member_sees_their_own_marks_and_nobody_else_does(app, as_user, people, long_talk, frozen):
    member = as_user(people["member"])
    page = _page(member, "/articles/talk")
    assert page.count("You said this helped you") == 3
    assert page.count(">Edit<") == 1  # their comment within the edit window; not the older one
    assert page.count(">Delete<") == 2
    assert 'class="badge badge--new"' in page and "new since your last visit" in page
    # Another member reading the same frame gets none of those.
    other = as_user(create_user("other@example.org", "Oth Er"))
    theirs = _page(other, "/articles/talk")
    assert "You said this helped you" not in theirs and ">Edit<" not in theirs
    assert 'class="badge badge--new"' not in theirs  # their first visit
    assert "Waiting for a moderator" not in theirs
    moderator = _page(as_user(people["moderator"]), "/articles/talk")
    assert "Waiting for a moderator" in moderator and ">Moderate<" in moderator


def test_a_change_to_the_thread_makes_a_new_frame(app, as_user, people, long_talk, frozen):
    member = as_user(people["member"])
    assert "A new voice" not in _page(member, "/articles/talk")
    make_comment(long_talk, make_profile("A new voice"), "Just posted")
    db.session.commit()
    page = _page(member, "/articles/talk")
    assert "A new voice" in page and page == _scratch(app, member, "/articles/talk")


def test_no_token_of_the_member_who_built_the_frame_is_kept(app, as_user, people, long_talk):
    first, second = as_user(people["member"]), as_user(create_user("other@example.org", "Oth Er"))
    first.get("/articles/talk")
    frames = app.extensions["forum_frames"]
    assert frames
    for frame in frames.values():
        text = b"".join(frame.comment_list.parts).decode()
        assert frame.comment_list.csrf and not re.search(r'csrf_token" value="[A-Za-z0-9]', text)
    page = second.get("/articles/talk").get_data(as_text=True)
    assert "\x1e" not in page


def test_a_frame_holds_only_what_every_member_sees_whoever_asked_first(app, as_user, people, long_talk):
    """The member who builds a frame may have a comment waiting that their facts did not see yet
    (it landed in between): the frame is loaded as no one in particular, so it is not in it."""
    from forum.accounts.services.viewer import viewer_of
    from forum.discussion.services import articles, reader_facts
    from forum.discussion.services.thread_options import DEFAULT_OPTIONS
    from forum.discussion.web import overlay

    waiting = people["waiting"]  # has "Waiting for a moderator" on this thread
    with app.test_request_context("/articles/talk"):
        article = articles.get_article("talk")
        facts = reader_facts.read(waiting.id, waiting.profile_id, article.id, utcnow())
        assert facts.unsettled
        stale = type(facts)(facts.seen_at, facts.since, facts.following, False, facts.thanked, 0, None)
        page = overlay.member_page(article, viewer_of(waiting), DEFAULT_OPTIONS, None, None, stale)
        assert page is not None and b"Waiting for a moderator" not in page.comment_list
    assert "Waiting for a moderator" not in _page(as_user(people["member"]), "/articles/talk")


def test_no_frame_without_stamps_nor_for_a_cursor_that_is_not_ours(app, as_user, people, long_talk, frozen):
    member = as_user(people["member"])
    app.config["THREAD_STAMPS"] = False
    try:
        page = _page(member, "/articles/talk")
    finally:
        app.config["THREAD_STAMPS"] = True
    assert not app.extensions.get("forum_frames")
    assert page == _scratch(app, member, "/articles/talk")
    odd = member.get("/articles/talk?after=%1EZ%1E" + "QUFB")
    assert odd.status_code in (200, 422) and not app.extensions.get("forum_frames")
