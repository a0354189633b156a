"""A member's page from the shared frame equals the page built from scratch, for every kind of viewer (issue 23)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from forum.accounts.models import Access, Role, Sanction, SanctionKind
from forum.discussion.models import CommentStatus, ThreadVisit
from forum.discussion.thanks_models import CommentThanks
from forum.platform.database import db
from forum.platform.http import templating
from forum.platform.models import utcnow
from tests.conftest import create_user
from tests.factories import make_article, make_comment, make_profile

NOW = datetime.now(UTC).replace(microsecond=0)
CSRF = re.compile(r'name="csrf_token" value="[^"]+"')


@pytest.fixture
def frozen(monkeypatch):
    """Relative times count from one moment, so two pages built a moment apart can be compared."""
    monkeypatch.setattr(templating, "reading_now", lambda: NOW)


@pytest.fixture
def people(app):
    return {
        "member": create_user("member@example.org", "Mem Ber"),
        "waiting": create_user("waiting@example.org", "Wai Ting"),
        "suspended": create_user("suspended@example.org", "Sus Pended"),
        "moderator": create_user("mod@example.org", "Mod Erator", access=Access.MODERATOR, role="staff"),
    }


@pytest.fixture
def long_talk(app, people):
    """A long thread (so deeper replies fold) written over two days, with the member's own comments
    (one still within its edit window), comments they thanked, and one waiting for a moderator."""
    article = make_article(slug="talk")
    others = [make_profile(f"Person {i} <b>&", Role.CLINICIAN if i % 2 else Role.CARER) for i in range(6)]
    member = people["member"]
    own = db.session.get(type(others[0]), member.profile_id)
    start = NOW - timedelta(days=2)
    made = []
    for i in range(40):
        author = own if i in (3, 39) else others[i % len(others)]
        parent = made[i - 1] if i % 4 in (1, 2, 3) else None  # chains: replies of replies, so folds
        comment = make_comment(article, author, f"Comment {i}: *words* & <more>", parent=parent)
        comment.created_at = start + timedelta(hours=i)
        made.append(comment)
    made[39].created_at = utcnow() - timedelta(minutes=2)  # a last reply, still within its edit window
    waiting_profile = db.session.get(type(others[0]), people["waiting"].profile_id)
    make_comment(article, waiting_profile, "Waiting for a moderator", status=CommentStatus.PENDING)
    db.session.flush()
    for comment in (made[5], made[6], made[21]):
        db.session.add(CommentThanks(comment_id=comment.id, user_id=member.id))
    # Their last visit ended a day ago: the day's comments are new, and open the folds above them.
    db.session.add(ThreadVisit(user_id=member.id, article_id=article.id, seen_at=NOW - timedelta(days=1)))
    db.session.add(
        Sanction(
            user_id=people["suspended"].id,
            kind=SanctionKind.SUSPENSION,
            reason="Test.",
            starts_at=utcnow(),
            ends_at=utcnow() + timedelta(days=3),
            created_by_id=people["moderator"].id,
        )
    )
    db.session.commit()
    return article


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
