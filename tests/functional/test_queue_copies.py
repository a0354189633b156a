"""The API's moderation queue answered from a worker's copy on PostgreSQL: the same bytes as an answer
built from scratch, and built again once anything it shows changes, whoever changes it (issue 23:
migration 2303's triggers, forum/moderation/http/queue_copies.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from forum.discussion.models import CommentStatus
from forum.moderation.http import queue_copies
from forum.moderation.models import RuleHit
from forum.moderation.services import queue_rows
from forum.platform.database import db
from forum.platform.models import utcnow
from tests.factories import make_article, make_comment, make_profile
from tests.functional.test_queue_json import schema_dump
from tests.integration.servers import write_elsewhere

QUEUE = "/api/v1/moderation/queue?limit=50"


@pytest.fixture
def copying(app):
    """Copies on, as production has them (the test app turns them off for the other tests)."""
    app.config["QUEUE_COPIES_MB"] = 8
    app.extensions["forum_queue_copies"].max_bytes = 8 * 1024 * 1024
    yield app
    app.config["QUEUE_COPIES_MB"] = 0


@pytest.fixture
def waiting(app, member, moderator):
    article = make_article(slug="talk")
    author = make_profile("Held Author")
    for i in range(3):
        held = make_comment(article, author, f"Held {i}: ring 07700 900123", status=CommentStatus.PENDING)
        db.session.add(RuleHit(comment_id=held.id, rule="uk_phone", matched="07700 900123", start=14, end=26))
    make_comment(article, author, "Published and fine")
    db.session.commit()
    return article


def _elsewhere(app, statement, *args):
    """Change rows as another program would, then wait until this worker has heard of it."""
    write_elsewhere(app, [statement], args, heard_as=queue_copies.KEY)


def _read(client, count_queries):
    with count_queries() as counted:
        answer = client.get(QUEUE)
    assert answer.status_code == 200
    return answer.get_data(), [s for s in counted.statements if "comments" in s]


@pytest.fixture
def postgresql(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("NOTIFY is PostgreSQL's: on SQLite every read builds the queue (the test below)")


def test_on_sqlite_every_read_builds_the_queue(app, copying, waiting, as_user, moderator, count_queries):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("on PostgreSQL the tests below hold")
    client = as_user(moderator)
    first, _ = _read(client, count_queries)
    again, statements = _read(client, count_queries)
    assert again == first and statements


def test_a_second_read_is_the_copy_and_equals_the_answer_built(
    app, postgresql, copying, waiting, as_user, moderator, count_queries
):
    client = as_user(moderator)
    built, statements = _read(client, count_queries)
    assert statements  # the first read builds it
    copy, statements = _read(client, count_queries)
    assert copy == built and statements == []  # the copy: nothing of the queue is read
    assert client.get(QUEUE).get_json() == schema_dump("limit=50")
    app.config["QUEUE_COPIES_MB"] = 0
    assert client.get(QUEUE).get_data() == copy
    other = as_user(moderator).get("/api/v1/moderation/queue?limit=2")  # another address, its own answer
    assert other.get_json()["count"] == 2


CHANGES = {
    "a new comment held": "INSERT INTO comments (article_id, author_id, body, body_html, status, created_at, updated_at)"
    " SELECT article_id, author_id, 'One more', '<p>One more</p>', 'pending', now(), now() FROM comments LIMIT 1",
    "a comment approved": "UPDATE comments SET status = 'approved' WHERE id = (SELECT min(id) FROM comments)",
    "an author renamed": "UPDATE profiles SET display_name = 'Renamed Author' WHERE display_name = 'Held Author'",
    "a report": "INSERT INTO flags (comment_id, flagger_id, reason, note, status, created_at)"
    " SELECT max(c.id), u.id, 'spam', 'Ads', 'open', now() FROM comments c, users u"
    " WHERE u.email = 'member@example.org' GROUP BY u.id",
    "a rule hit cleared": "DELETE FROM rule_hits",
    "a suspension": "INSERT INTO sanctions (user_id, kind, reason, starts_at, created_by_id)"
    " SELECT id, 'premoderation', 'Watch', now(), id FROM users WHERE email = 'member@example.org'",
}


@pytest.mark.parametrize("change", list(CHANGES), ids=list(CHANGES))
def test_a_change_by_anyone_is_heard_before_the_next_read(
    app, postgresql, copying, waiting, as_user, moderator, count_queries, change
):
    client = as_user(moderator)
    client.get(QUEUE)
    copy, _ = _read(client, count_queries)
    _elsewhere(app, CHANGES[change])
    db.session.expire_all()
    after, statements = _read(client, count_queries)
    assert statements  # heard of: built again
    if change != "a suspension":  # the member has written nothing: the queue says the same
        assert after != copy
    assert client.get(QUEUE).get_json() == schema_dump("limit=50")


def test_a_write_through_this_worker_forgets_its_copies(
    app, postgresql, copying, waiting, as_user, moderator, count_queries
):
    """Its own notice may arrive a moment after the commit: the moderator's next read is built."""
    client = as_user(moderator)
    client.get(QUEUE)
    first = client.get(QUEUE).get_json()["items"][0]["comment"]["id"]
    decided = client.post(f"/api/v1/moderation/comments/{first}/decision", json={"action": "approve"})
    assert decided.status_code == 200
    _, statements = _read(client, count_queries)
    assert statements and first not in [i["comment"]["id"] for i in client.get(QUEUE).get_json()["items"]]


def test_a_change_while_it_is_built_is_not_kept(
    app, postgresql, copying, waiting, as_user, moderator, count_queries, monkeypatch
):
    load = queue_rows.load_rows_after

    def racing(*args, **kwargs):
        found = load(*args, **kwargs)
        _elsewhere(app, CHANGES["an author renamed"])  # committed after the rows were read
        return found

    client = as_user(moderator)
    monkeypatch.setattr(queue_rows, "load_rows_after", racing)
    stale = client.get(QUEUE).get_json()
    monkeypatch.setattr(queue_rows, "load_rows_after", load)
    assert stale["items"][0]["comment"]["author"]["display_name"] == "Held Author"
    fresh, statements = _read(client, count_queries)
    assert statements and b"Renamed Author" in fresh


def test_a_sanction_starting_or_ending_ends_the_copy(
    app, postgresql, copying, waiting, as_user, moderator, member, count_queries, monkeypatch
):
    """ "Pre-moderated" changes with the clock, no row changing: the copy lasts until then."""
    _elsewhere(
        app,
        "INSERT INTO sanctions (user_id, kind, reason, starts_at, ends_at, created_by_id)"
        " VALUES (%s, 'premoderation', 'Watch', now(), now() + interval '1 hour', %s)",
        member.id,
        moderator.id,
    )
    client = as_user(moderator)
    client.get(QUEUE)
    assert _read(client, count_queries)[1] == []
    later = utcnow() + timedelta(minutes=61)
    monkeypatch.setattr(queue_copies, "utcnow", lambda: later)
    assert _read(client, count_queries)[1]


def test_no_copy_for_longer_than_five_minutes(
    app, postgresql, copying, waiting, as_user, moderator, count_queries, monkeypatch
):
    client = as_user(moderator)
    client.get(QUEUE)
    assert _read(client, count_queries)[1] == []
    later = utcnow() + queue_copies.LONGEST + timedelta(seconds=1)
    monkeypatch.setattr(queue_copies, "utcnow", lambda: later)
    assert _read(client, count_queries)[1]


def test_no_listening_no_copies(app, postgresql, copying, waiting, as_user, moderator, count_queries):
    """MEMBER_PAGES_LISTEN=0: no LISTEN connection, so nothing to trust a copy by: every read builds."""
    app.config["MEMBER_PAGES_LISTEN"] = False
    try:
        client = as_user(moderator)
        client.get(QUEUE)
        assert _read(client, count_queries)[1]
    finally:
        app.config["MEMBER_PAGES_LISTEN"] = True


def test_a_change_the_queue_does_not_show_keeps_the_copy(
    app, postgresql, copying, waiting, as_user, moderator, count_queries
):
    """A post's bump of its article's counts, a login: nothing the queue shows, so no notice."""
    client = as_user(moderator)
    client.get(QUEUE)
    watch = app.extensions["forum_member_watch"]
    before = watch.token(queue_copies.KEY)
    statements = [
        "UPDATE articles SET comment_count = comment_count + 1, thread_version = thread_version + 1",
        "UPDATE users SET last_login_at = now()",
        "UPDATE profiles SET display_name = 'Renamed Author' WHERE display_name = 'Held Author'",
    ]
    write_elsewhere(app, statements, heard_as=queue_copies.KEY)  # the rename's notice; the others sent none
    assert watch.token(queue_copies.KEY)[1] == before[1] + 1
