"""On PostgreSQL with Redis, a member's kept page is answered with no statement while nothing of theirs
changed, and any change to their rows, by whoever makes it, is heard before the next read (issue 23:
migration 2302's triggers, forum/platform/pg_listen.py, web/member_pages.py)."""

from __future__ import annotations

import secrets
from datetime import timedelta

import pytest

from forum import create_app
from forum.discussion.web import member_pages
from forum.platform.database import db
from forum.platform.models import utcnow
from tests.conftest import log_in
from tests.functional.test_member_pages import URL, _answered_from_copy, _kept
from tests.functional.test_thread_overlay import _page, _scratch
from tests.integration.servers import REDIS_URL, clear_redis_prefix, need_services, write_elsewhere


@pytest.fixture
def listening(app, long_talk):
    """The forum as production runs it: Redis for the thread's generations, PostgreSQL's notices."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("LISTEN and NOTIFY are PostgreSQL's; on SQLite each kept page costs one statement")
    need_services()
    prefix = f"forum-watch-{secrets.token_hex(4)}:"
    served = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "REDIS_URL": REDIS_URL,
            "REDIS_PREFIX": prefix,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    try:
        with served.app_context():
            yield served
            served.extensions["forum_member_watch"].close()
            db.session.remove()
            db.engine.dispose()
    finally:
        clear_redis_prefix(prefix)


def _elsewhere(app, statement, member_id):
    """Change a member's rows as another program would: psql, a script, another server (no app, no
    Redis); then wait until the worker's connection has the notice."""
    write_elsewhere(app, [statement], (member_id,), heard_as=str(member_id))


def _statements(count_queries, driver_reads, client):
    driver_reads.clear()
    with count_queries() as counted:
        answered = _answered_from_copy(client)
    return answered, len(counted.statements) + len(driver_reads)


def test_nothing_changed_no_statement_and_the_same_page(
    listening, people, frozen, count_queries, driver_reads
):
    client = log_in(listening.test_client(), people["member"])
    kept = _kept(client)
    assert _statements(count_queries, driver_reads, client) == (True, 0)
    listening.config["MEMBER_PAGES_MB"] = 0
    try:
        assert kept == _scratch(listening, client, URL)
    finally:
        listening.config["MEMBER_PAGES_MB"] = 32


CHANGES = {
    "a notification": "INSERT INTO notifications (user_id, kind, message, created_at) VALUES (%s, 'reply', 'Hi', now())",
    "a suspension": "INSERT INTO sanctions (user_id, kind, reason, starts_at, ends_at, created_by_id)"
    " SELECT %s, 'suspension', 'Shouting.', now(), now() + interval '1 day', id FROM users WHERE access = 'moderator'",
    "their session revoked": "UPDATE user_sessions SET revoked_at = now() WHERE user_id = %s",
    "a new name": "UPDATE profiles SET display_name = 'Renamed Member' WHERE id = (SELECT profile_id FROM users WHERE id = %s)",
    "a thanks": "INSERT INTO comment_thanks (comment_id, user_id, created_at)"
    " SELECT min(c.id), %s, now() FROM comments c WHERE c.id NOT IN (SELECT comment_id FROM comment_thanks)",
    "their comment held": "UPDATE comments SET status = 'pending' WHERE id ="
    " (SELECT max(c.id) FROM comments c JOIN users u ON u.profile_id = c.author_id WHERE u.id = %s)",
}


@pytest.mark.parametrize("change", list(CHANGES), ids=list(CHANGES))
def test_a_change_to_their_rows_by_anyone_is_heard_before_the_next_read(
    listening, people, frozen, count_queries, driver_reads, change
):
    client = log_in(listening.test_client(), people["member"])
    before = _kept(client)
    _elsewhere(listening, CHANGES[change], people["member"].id)
    answered, statements = _statements(count_queries, driver_reads, client)
    assert statements >= 1  # heard of: the database says what holds now
    assert not answered
    after = client.get(URL)
    text = after.get_data(as_text=True)
    if change == "their session revoked":
        assert after.status_code == 200 and "Log out" not in text
        return
    assert _page(client, URL) != before
    if change == "a new name":  # in the header at once; the thread's own copies wait for its generation,
        assert ">Renamed Member</a></li>" in text  # which only the forum's own writes move
        return
    listening.config["MEMBER_PAGES_MB"] = 0
    try:
        assert _page(client, URL) == _scratch(listening, client, URL)
    finally:
        listening.config["MEMBER_PAGES_MB"] = 32


def test_a_change_to_another_members_rows_costs_this_member_nothing(
    listening, people, frozen, count_queries, driver_reads
):
    client = log_in(listening.test_client(), people["member"])
    _kept(client)
    _elsewhere(listening, CHANGES["a notification"], people["suspended"].id)
    assert _statements(count_queries, driver_reads, client) == (True, 0)


def test_a_change_that_shows_nowhere_on_the_page_is_checked_once(
    listening, people, frozen, count_queries, driver_reads
):
    """A notification they have already read: heard of, one statement finds the page the same, then none."""
    client = log_in(listening.test_client(), people["member"])
    _kept(client)
    _elsewhere(
        listening,
        "INSERT INTO notifications (user_id, kind, message, created_at, read_at) VALUES (%s, 'reply', 'Old', now(), now())",
        people["member"].id,
    )
    assert _statements(count_queries, driver_reads, client) == (True, 1)
    assert _statements(count_queries, driver_reads, client) == (True, 0)


def test_a_lost_ear_asks_the_database(listening, people, frozen, count_queries, driver_reads):
    client = log_in(listening.test_client(), people["member"])
    _kept(client)
    listening.extensions["forum_member_watch"]._connection.close()  # the server went away, say
    answered, statements = _statements(count_queries, driver_reads, client)
    assert answered and statements == 1  # the same page, checked by a statement
    _elsewhere(listening, CHANGES["a notification"], people["member"].id)
    assert not _answered_from_copy(client)


def test_time_alone_ends_a_kept_page(listening, people, frozen, monkeypatch, count_queries, driver_reads):
    """Five minutes on, the session's use is due to be recorded: the page is built, and that written."""
    client = log_in(listening.test_client(), people["member"])
    _kept(client)
    later = utcnow() + timedelta(minutes=6)
    monkeypatch.setattr(member_pages, "utcnow", lambda: later)
    answered, statements = _statements(count_queries, driver_reads, client)
    assert not answered and statements >= 1


def test_hearing_nothing_proves_nothing_until_the_triggers_are_there(listening):
    """Code deployed before migration 2302 runs: the LISTEN works, but nothing would ever send."""
    from forum.platform.pg_listen import ChannelWatch

    connect = listening.extensions["forum_member_watch"]._connect
    unmigrated = ChannelWatch(connect, "forum_members", "SELECT 1 WHERE false")
    migrated = ChannelWatch(connect, "forum_members", member_pages.TRIGGERS_THERE)
    try:
        assert unmigrated.token("1") is None
        assert migrated.token("1") is not None
    finally:
        unmigrated.close()
        migrated.close()
