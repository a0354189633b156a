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
from forum.platform.http.metrics import count_cache
from forum.platform.models import utcnow

_LEARNT_LIMIT = 50_000


@dataclass(slots=True)
class Kept:
    """A worker's members' pages, and what it learnt from those it built (checked at every read)."""

    pages: LocalCache
    articles: dict[str, int] = field(default_factory=dict)  # an article's id by its slug
    profiles: dict[int, int] = field(default_factory=dict)  # a member's profile by their account


def init_app(app: Flask) -> None:
    """Give each worker its room for members' pages (``MEMBER_PAGES_MB``)."""
    app.extensions["forum_member_pages"] = Kept(LocalCache(app.config["MEMBER_PAGES_MB"] * 1024 * 1024))


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


def _digest(state: MemberState) -> str:
    generations = thread_cache().generations(state.article_id) or f"v{state.thread_version}"
    items = sorted(session.items(), key=lambda item: item[0])
    seen = repr((request.full_path, items, state.values, generations, clock()))
    return hashlib.blake2b(seen.encode(), digest_size=20).hexdigest()


def answer() -> Response | None:
    """The kept page for this read, or None (the view builds it; ``keep`` may keep it)."""
    g.pop("member_page", None)
    asking = _asking()
    if asking is None:
        return None
    now = utcnow()
    state = _state(*asking, now)
    if state is None:
        return None
    digest = g.member_page = _digest(state)
    entry = _kept().pages.entry((state.article_id, digest))
    if entry is None or (entry[0] and now.timestamp() > float(entry[0])):
        count_cache("member", "miss")
        return None
    count_cache("member", "hit")
    g.reader_user_id = asking[0]  # for the request's log line: nobody was loaded
    response = Response(entry[1], mimetype="text/html")
    response.headers["X-Cache"] = "member"
    return response


def keep(
    body: bytes, slug: str, article_id: int, user_id: int, profile_id: int, until: datetime | None
) -> None:
    """Keep a member's page built from the frame, when the state read before it still holds."""
    kept = _kept()
    if len(kept.articles) < _LEARNT_LIMIT:
        kept.articles[slug] = article_id
    if len(kept.profiles) < _LEARNT_LIMIT:
        kept.profiles[user_id] = profile_id
    before = g.pop("member_page", None)
    asking = _asking() if before is not None else None
    if asking is None or asking[0] != user_id:
        return
    state = _state(*asking, utcnow())
    if state is not None and state.article_id == article_id and _digest(state) == before:
        kept.pages.put((article_id, before), repr(until.timestamp()) if until else "", body)
