"""Answer the API's queue from the copy this worker made, while nothing the queue shows has changed.

Moderators' tools read ``/api/v1/moderation/queue`` again and again, and between two reads the queue
usually has not moved. On PostgreSQL, migration 2303's triggers send ``NOTIFY forum_members,
'queue'`` in the transaction of any write to what the queue shows (comments, their articles and
authors' profiles and accounts, sanctions, rule hits, reports, held edits, appeals, safeguarding
cases), and the worker already LISTENs on that channel for members' pages (platform/pg_listen.py).
So a copy is answered while the count of those notices is what it was when the copy was made, until
the next moment a sanction starts or ends (which changes "pre-moderated" with no write), and never
after a request to this worker that may have written (its notice may not have arrived yet). Who may
read the queue is decided before, for every read: the copy is the same for every moderator.

A copy is kept only if no notice arrived while it was built. PostgreSQL delivers a notice a moment
after the commit: a read on another worker within that moment is answered as before the commit, the
same window the thread cache has. SQLite has no notices, and builds every answer.
``QUEUE_COPIES_MB=0`` turns it off, and so does ``MEMBER_PAGES_LISTEN=0`` (no LISTEN connection);
tests/functional/test_queue_copies.py holds each copy equal to the answer built from scratch.
Figures in docs/performance.md.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from flask import Flask, current_app, request

from forum.discussion.services.local_cache import LocalCache
from forum.moderation.services import queue_rows
from forum.platform.http.metrics import count_cache
from forum.platform.models import utcnow
from forum.platform.pg_listen import ChannelWatch

KEY = "queue"  # the notices' payload (migration 2303)
LONGEST = timedelta(minutes=5)  # a copy is made again at least this often, whatever was heard
_EXTENSION = "forum_queue_copies"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def init_app(app: Flask) -> None:
    """Give each worker its room for the queue's copies, forgotten after each request that may write."""
    copies = LocalCache(app.config["QUEUE_COPIES_MB"] * 1024 * 1024)
    app.extensions[_EXTENSION] = copies

    def forget(_: BaseException | None) -> None:
        if request.method not in SAFE_METHODS:  # after its commit: its own notice may not be here yet
            copies.forget()

    app.teardown_request(forget)


def answer(build: Callable[[], bytes]) -> bytes:
    """The queue's JSON for this request's address: this worker's copy when nothing it shows has
    changed since it was made, otherwise ``build()`` (kept when nothing changed while it ran)."""
    copies: LocalCache = current_app.extensions[_EXTENSION]
    watch: ChannelWatch | None = current_app.extensions.get("forum_member_watch")
    config = current_app.config
    if watch is None or not (config["QUEUE_COPIES_MB"] and config["MEMBER_PAGES_LISTEN"]):
        return build()
    heard = watch.token(KEY)
    if heard is None:
        return build()  # not listening just now: nothing to trust a copy by
    key, now = (0, request.full_path), utcnow()
    entry = copies.entry(key)
    if entry is not None:
        token, ends = entry[0].split("|")
        if token == _text(heard) and now.timestamp() < float(ends):
            count_cache("queue", "hit")
            return entry[1]
    count_cache("queue", "miss")
    body = build()
    if watch.token(KEY) == heard:  # nothing was committed while it was built
        until = min(now + LONGEST, queue_rows.changes_by_time(now) or now + LONGEST)
        copies.put(key, f"{_text(heard)}|{until.timestamp()!r}", body)
    return body


def _text(token: tuple[int, int]) -> str:
    return f"{token[0]}.{token[1]}"
