"""A member reading a thread page again is answered from the copy their worker kept, after one
statement, and only while that copy is the page built from scratch (issue 23; web/member_pages.py)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from forum.accounts.models import Profile, UserSession
from forum.discussion.http import caching
from forum.discussion.models import Article, Comment, Follow, ThreadVisit
from forum.discussion.thanks_models import CommentThanks
from forum.notifications.models import Notification
from forum.platform.database import db
from forum.platform.models import utcnow
from tests.factories import make_comment, make_profile
from tests.functional.conftest import suspend
from tests.functional.test_thread_overlay import _page, _scratch

URL = "/articles/talk"


def _kept(client, url=URL):
    """Read until the page is answered from the kept copy (the first read records the visit, the
    second builds and keeps): that answer's page."""
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200
        if response.headers.get("X-Cache") == "member":
            return _page(client, url)
    pytest.fail("the page was never answered from the member's kept copy")


def _answered_from_copy(client, url=URL) -> bool:
    return client.get(url).headers.get("X-Cache") == "member"


@pytest.mark.parametrize("query", ["", "?sort=newest", "?roles=clinician"])
@pytest.mark.parametrize("who", ["member", "suspended"])
def test_the_kept_page_equals_the_page_built_from_scratch_after_one_statement(
    app, as_user, people, long_talk, frozen, count_queries, driver_reads, who, query
):
    client = as_user(people[who])
    kept = _kept(client, URL + query)
    driver_reads.clear()
    with count_queries() as again:
        assert _answered_from_copy(client, URL + query)
    # One statement: through SQLAlchemy on SQLite, on the driver alone on PostgreSQL (member_state.py).
    assert len(again.statements) + len(driver_reads) == 1
    app.config["MEMBER_PAGES_MB"] = 0
    try:
        assert kept == _scratch(app, client, URL + query)
    finally:
        app.config["MEMBER_PAGES_MB"] = 32


def test_the_kept_answer_has_the_headers_of_the_page_built(app, as_user, people, long_talk):
    """Private to the member (never stored by a shared cache), with the security headers of any page."""
    client = as_user(people["member"])
    _kept(client)
    kept = client.get(URL)
    assert kept.headers["X-Cache"] == "member"
    app.config["MEMBER_PAGES_MB"] = 0
    try:
        built = client.get(URL)
    finally:
        app.config["MEMBER_PAGES_MB"] = 32
    ignored = {"X-Cache", "X-Request-ID", "Content-Length", "Set-Cookie"}
    assert {k: v for k, v in kept.headers if k not in ignored} == {
        k: v for k, v in built.headers if k not in ignored
    }
    assert "public" not in kept.headers.get("Cache-Control", "")


@pytest.mark.parametrize("who", ["waiting", "moderator"])
def test_pages_that_are_built_each_time_are_never_kept(app, as_user, people, long_talk, who):
    client = as_user(people[who])
    for _ in range(4):
        assert not _answered_from_copy(client)


def test_a_kept_page_is_for_its_own_session_alone(app, as_user, people, long_talk, frozen):
    member = _kept(as_user(people["member"]))
    other = as_user(people["suspended"])
    assert not _answered_from_copy(other)
    assert _page(other, URL) != member
    assert "You said this helped you" not in _page(other, URL)
    # The same member in another browser has a session of their own: built for it.
    assert not _answered_from_copy(as_user(people["member"]))


def _notice(people):
    db.session.add(Notification(user_id=people["member"].id, kind="reply", message="Someone replied"))


def _sanction(people):
    suspend(people["member"], people["moderator"], "Shouting.", days=1)


def _rename(people):
    db.session.get(Profile, people["member"].profile_id).display_name = "Renamed Member"


def _thank(people):
    first = db.session.scalars(
        db.select(Comment).where(Comment.author_id != people["member"].profile_id).order_by(Comment.id)
    ).first()  # the thread's first comment: on the page, not thanked yet
    db.session.add(CommentThanks(comment_id=first.id, user_id=people["member"].id))


def _follow(people):
    article_id = db.session.scalar(db.select(Comment.article_id).limit(1))
    db.session.add(Follow(user_id=people["member"].id, article_id=article_id, following=True))


def _new_comment(people):
    article = db.session.scalars(db.select(Article).where(Article.slug == "talk")).one()
    make_comment(article, make_profile("A new voice"), "Hello")


@pytest.mark.parametrize(
    "change", [_notice, _sanction, _rename, _thank, _follow, _new_comment], ids=lambda f: f.__name__[1:]
)
def test_any_change_the_page_shows_builds_it_again(app, as_user, people, long_talk, frozen, change):
    client = as_user(people["member"])
    before = _kept(client)
    change(people)
    db.session.commit()
    assert not _answered_from_copy(client)
    after = _page(client, URL)
    assert after != before
    assert after == _scratch(app, client, URL)


def test_a_revoked_session_is_never_answered(app, as_user, people, long_talk):
    client = as_user(people["member"])
    _kept(client)
    for record in db.session.scalars(
        db.select(UserSession).where(UserSession.user_id == people["member"].id)
    ):
        record.revoked_at = utcnow()
    db.session.commit()
    response = client.get(URL)
    assert response.headers.get("X-Cache") != "member"
    assert "Log out" not in response.get_data(as_text=True)


def test_reads_that_write_are_built(app, as_user, people, long_talk):
    """A session's use or a visit due to be recorded: the page is built, so the write happens."""
    client = as_user(people["member"])
    _kept(client)
    member = people["member"]
    for record in db.session.scalars(db.select(UserSession).where(UserSession.user_id == member.id)):
        record.last_seen_at = utcnow() - timedelta(minutes=10)
    db.session.commit()
    assert not _answered_from_copy(client)
    visit = db.session.scalars(db.select(ThreadVisit).where(ThreadVisit.user_id == member.id)).one()
    visit.seen_at = utcnow() - timedelta(hours=2)
    db.session.commit()
    assert not _answered_from_copy(client)
    db.session.expire_all()
    assert db.session.scalars(
        db.select(ThreadVisit).where(ThreadVisit.user_id == member.id)
    ).one().seen_at > (utcnow() - timedelta(minutes=1))


def test_the_edit_link_goes_when_the_edit_window_ends(app, as_user, people, long_talk, frozen):
    """The member's own comment may be edited for a while: their kept page is answered until then."""
    from forum.discussion.services.comments import edit_window

    client = as_user(people["member"])
    own = db.session.scalars(
        db.select(Comment).where(Comment.author_id == people["member"].profile_id).order_by(Comment.id.desc())
    ).first()
    own.created_at = utcnow() - edit_window() + timedelta(seconds=2)
    db.session.commit()
    assert _kept(client).count(">Edit<") == 1
    time.sleep(2.5)
    assert not _answered_from_copy(client)
    assert _page(client, URL).count(">Edit<") == 0


def test_a_new_five_minutes_a_flash_or_a_form_builds_the_page(app, as_user, people, long_talk, monkeypatch):
    client = as_user(people["member"])
    _kept(client)
    assert not _answered_from_copy(client, URL + "?quote=1")
    assert not _answered_from_copy(client, URL + "?sort=newest")  # another address: its own copy
    monkeypatch.setattr(caching.time, "time", lambda: 10**10)
    assert not _answered_from_copy(client)


def test_off_when_member_pages_are_off(app, as_user, people, long_talk):
    app.config["MEMBER_PAGES_MB"] = 0
    try:
        client = as_user(people["member"])
        assert not any(_answered_from_copy(client) for _ in range(4))
    finally:
        app.config["MEMBER_PAGES_MB"] = 32


# What every page's context holds, and where member_state reads what it depends on.
ACCOUNTED_FOR = {
    "flask.templating._default_template_ctx_processor",  # the request, session and g: the address, the session
    "flask_wtf.csrf.CSRFProtect.init_app.<locals>.<lambda>",  # csrf_token(): the session's secret
    "flask_login.utils._user_context_processor",  # current_user: the session, account and profile rows
    "forum.accounts.web.helpers._viewer_standing",  # the sanctions in force
    "forum.notifications.web._unread",  # the unread count
    "forum.moderation.web.helpers._waiting",  # moderators only, whose pages are never kept
}


def _processors(app):
    for processor in app.template_context_processors[None]:
        cells = [c.cell_contents for c in processor.__closure__ or () if callable(c.cell_contents)]
        read = cells[0] if cells else processor  # page_context's processors close over what they read
        yield f"{read.__module__}.{read.__qualname__}"


def test_every_page_context_is_one_the_kept_pages_account_for(app):
    """A kept page holds what the context processors gave it: a new one must be part of what
    member_state reads, or of the key (then add it here)."""
    assert set(_processors(app)) == ACCOUNTED_FOR
