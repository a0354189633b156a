"""Answer a member who reads a thread page again from the copy their worker kept, after one statement.

A member's page is built from the members' shared frame (overlay.py) and depends on nothing but the
request's address, their cookie session, the rows ``member_state.read`` reads (their session,
account, profile, sanctions in force, unread count, the article, their facts in the thread), the
thread's generations, and the five minutes relative times belong to. Each worker keeps the pages it
built under a digest of all of that, so the next read with the same digest is the same page: one
statement, and no login, thread or template work.

Only a page built from the frame is kept, and only when the state read before it was built and
again after it are the same (a change in between is never filed under the older state). Nothing is
answered when the read would write (the session's use or the visit is due to be recorded), when the
member has a comment here others cannot see, when a form or a message is to be placed, or once one
of their own comments passes the end of its edit window (its Edit link goes). Moderators' pages are
never kept. ``MEMBER_PAGES_MB=0`` turns it off; tests/functional/test_member_pages.py holds each
answered page equal to the one built from scratch. Figures in docs/performance.md.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from flask import Flask, Response, current_app, g, request, session

from forum.discussion.http.caching import clock, thread_cache
from forum.discussion.services import member_state
from forum.discussion.services.local_cache import LocalCache
from forum.discussion.services.member_state import MemberState
from forum.platform.database import db
from forum.platform.http.metrics import count_cache
from forum.platform.models import utcnow
from forum.platform.pg_listen import ChannelWatch

_LEARNT_LIMIT = 50_000
# The watch is trusted only once the triggers of migrations 2302 (members) and 2303 (the moderation
# queue, moderation/http/queue_copies.py) are there: code may be deployed before they run.
TRIGGERS_THERE = (
    "SELECT 1 FROM pg_trigger WHERE tgname IN ('forum_member_changed', 'forum_queue_changed')"
    " HAVING count(DISTINCT tgname) = 2"
)


@dataclass(slots=True)
class Kept:
    """A worker's members' pages, and what it learnt from those it built (checked at every read)."""

    pages: LocalCache
    articles: dict[str, int] = field(default_factory=dict)  # an article's id by its slug
    profiles: dict[int, int] = field(default_factory=dict)  # a member's profile by their account


def init_app(app: Flask) -> None:
    """Give each worker its room for members' pages (``MEMBER_PAGES_MB``), and its ear."""
    app.extensions["forum_member_pages"] = Kept(LocalCache(app.config["MEMBER_PAGES_MB"] * 1024 * 1024))
    init_watch(app)


def _kept() -> Kept:
    kept: Kept = current_app.extensions["forum_member_pages"]
    return kept


def _asking() -> tuple[int, str] | None:
    """The member's account and session key when this read may be answered from a kept page."""
    config = current_app.config
    if not (config["MEMBER_PAGES_MB"] and config["THREAD_OVERLAY"] and config["THREAD_CACHE_LOCAL_MB"]):
        return None
    if request.headers.get("Authorization") or "comment" in request.args or "quote" in request.args:
        return None  # a token is the API's; a permalink or a quote opens a form or a conversation
    if "_flashes" in session or "_remember" in session:
        return None  # a message to show, or a cookie to clear: the page is built
    user_id, _, key = str(session.get("_user_id", "")).partition(":")
    if not (user_id.isdigit() and key):
        return None
    # What flask-login does first for a session from another browser (may mark it not fresh).
    if current_app.login_manager._session_protection_failed():  # type: ignore[attr-defined]
        return None
    return int(user_id), key


def _state(user_id: int, key: str, now: datetime) -> MemberState | None:
    """The member's state for the page asked for, None when it must be built (or is not one of ours)."""
    slug, kept = (request.view_args or {}).get("slug", ""), _kept()
    article_id, profile_id = kept.articles.get(slug), kept.profiles.get(user_id)
    if article_id is None or profile_id is None:
        return None  # learnt when a page is built
    state = member_state.read(user_id, key, profile_id, article_id, now, current_app.config)
    if state is None or state.profile_id != profile_id or state.slug != slug:
        return None  # a dead session, or what was learnt no longer holds (an editor moved the slug)
    if state.touch_due or state.visit_due:
        return None
    if state.facts.unsettled:
        return None
    return state


def _address(generations: str | None) -> str:
    """What of the request the page depends on: its address, the cookie session (the member, their
    session's key and CSRF secret), the thread's generations and the five minutes it belongs to."""
    items = sorted(session.items(), key=lambda item: item[0])
    seen = repr((request.full_path, items, generations, clock()))
    return hashlib.blake2b(seen.encode(), digest_size=20).hexdigest()


def _digest(state: MemberState) -> str:
    return hashlib.blake2b(
        repr(state.values).encode(), digest_size=20
    ).hexdigest()  # thread_version among them


def _token(user_id: int, generations: str | None) -> str:
    """The member's changes as the worker has heard of them (PostgreSQL's notices, the thread's
    generations from Redis); "" when it cannot hear of them, and a statement must say."""
    watch = current_app.extensions.get("forum_member_watch")
    if watch is None or generations is None or not current_app.config["MEMBER_PAGES_LISTEN"]:
        return ""
    token = watch.token(str(user_id))
    return "" if token is None else f"{token[0]}.{token[1]}"


@dataclass(frozen=True, slots=True)
class _Asked:
    """What a read that missed learnt before the page was built (``keep`` checks it again)."""

    address: str
    state: str
    token: str


def answer() -> Response | None:
    """The kept page for this read, or None (the view builds it; ``keep`` may keep it)."""
    g.pop("member_page", None)
    asking = _asking()
    if asking is None:
        return None
    user_id, key = asking
    article_id = _kept().articles.get((request.view_args or {}).get("slug", ""))
    if article_id is None:
        return None  # learnt when a page is built
    generations = thread_cache().generations(article_id)
    address, token = _address(generations), _token(user_id, generations)
    pages, now = _kept().pages, utcnow()
    entry = pages.entry((article_id, address))
    kept, body = (_Kept.of(entry), entry[1]) if entry is not None else (None, b"")
    if kept is not None and token and kept.token == token and now.timestamp() < kept.until:
        return _answered(user_id, body, "member")  # nothing of theirs changed: no statement
    state = _state(user_id, key, now)
    if state is None:
        return None
    digest = _digest(state)
    g.member_page = _Asked(address, digest, token)
    if kept is None or kept.state != digest or now.timestamp() >= kept.until:
        count_cache("member", "miss")
        return None
    if token != kept.token:  # what changed was nothing this page shows: heard of, from now on
        pages.put((article_id, address), _Kept(digest, kept.until, token).text(), body)
    return _answered(user_id, body, "member")


def _answered(user_id: int, body: bytes, state: str) -> Response:
    count_cache("member", "hit")
    g.reader_user_id = user_id  # for the request's log line: nobody was loaded
    response = Response(body, mimetype="text/html")
    response.headers["X-Cache"] = state
    return response


@dataclass(frozen=True, slots=True)
class _Kept:
    """What a kept page was built from: the state's digest, until when time leaves it true, and the
    member's changes as heard of then (written as the LocalCache entry's token)."""

    state: str
    until: float
    token: str

    @classmethod
    def of(cls, entry: tuple[str, bytes]) -> _Kept:
        state, until, token = entry[0].split("|")
        return cls(state, float(until), token)

    def text(self) -> str:
        return f"{self.state}|{self.until!r}|{self.token}"


def keep(
    body: bytes, slug: str, article_id: int, user_id: int, profile_id: int, until: datetime | None
) -> None:
    """Keep a member's page built from the frame, when what it was built from still holds: the state
    read before it, the request's session (the view may have added a CSRF secret), what was heard."""
    kept = _kept()
    if len(kept.articles) < _LEARNT_LIMIT:
        kept.articles[slug] = article_id
    if len(kept.profiles) < _LEARNT_LIMIT:
        kept.profiles[user_id] = profile_id
    before: _Asked | None = g.pop("member_page", None)
    asking = _asking() if before is not None else None
    if before is None or asking is None or asking[0] != user_id:
        return
    generations = thread_cache().generations(article_id)
    token = _token(user_id, generations)
    state = _state(*asking, utcnow())
    if state is None or state.article_id != article_id or _digest(state) != before.state:
        return
    if _address(generations) != before.address:
        return  # the session or the thread moved on while the page was built
    ends = [state.until.timestamp()] + ([until.timestamp()] if until is not None else [])
    heard = before.token if token == before.token else ""
    kept.pages.put((article_id, before.address), _Kept(before.state, min(ends), heard).text(), body)


def init_watch(app: Flask) -> None:
    """Listen for members' changes on PostgreSQL (migration 2302's triggers), for ``MEMBER_PAGES_LISTEN``."""
    with app.app_context():
        engine = db.engine
        if engine.dialect.name != "postgresql":
            return
        _, connect = engine.dialect.create_connect_args(engine.url)
    app.extensions["forum_member_watch"] = ChannelWatch(dict(connect), "forum_members", TRIGGERS_THERE)
