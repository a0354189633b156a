"""Cache rendered thread pages and thread JSON in Redis, invalidated everywhere on any change.

Keys carry generation numbers kept in Redis: a change to a thread bumps that article's
generation (a change to a profile bumps the global one), so every app server stops using
old entries at the same moment. Entries are stored with the generations they were built
under, read together with the current generations in one round trip, and used only when
they match. The generations are read *before* the database is queried, so a page built
from data older than a change is stored under generations nobody accepts again.

The same generations give each response a strong ETag, so a client's conditional request
is answered 304 from Redis alone, without touching the database. When Redis is
unreachable the forum serves uncached (with an ETag hashed from the body) and logs a
warning at most once a minute.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import redis
from flask import Flask, Response, current_app, request
from sqlalchemy import event
from sqlalchemy.orm import Session

from forum.models import Article, Comment, Profile

log = logging.getLogger(__name__)
GLOBAL_GEN = "gen:global"
_last_warning = 0.0
_slug_ids: dict[str, int] = {}  # slugs do not change; an article's id never does
_SLUG_CACHE_LIMIT = 50_000


@dataclass(frozen=True)
class Entry:
    """What Redis holds for one article and variant: current generations and, maybe, the bytes."""

    generations: str
    body: bytes | None


class ThreadCache:
    """Per-article rendered content shared by every app server through Redis."""

    def __init__(self, url: str | None, prefix: str, ttl: int) -> None:
        self.prefix = prefix
        self.ttl = ttl
        self.client: redis.Redis | None = (
            redis.Redis.from_url(url, socket_connect_timeout=0.25, socket_timeout=0.25) if url else None
        )

    def _warn(self, error: Exception) -> None:
        global _last_warning
        now = time.monotonic()
        if now - _last_warning > 60:
            _last_warning = now
            log.warning("redis unavailable, serving without the cache: %s", type(error).__name__)

    def _keys(self, article_id: int, variant: str) -> list[str]:
        return [
            self.prefix + GLOBAL_GEN,
            f"{self.prefix}gen:article:{article_id}",
            f"{self.prefix}thread:{article_id}:{variant}",
        ]

    def lookup(self, article_id: int, variant: str) -> Entry | None:
        """Read the generations and the stored entry in one round trip (None without Redis)."""
        if self.client is None:
            return None
        try:
            values: list[Any] = self.client.mget(self._keys(article_id, variant))  # type: ignore[assignment]
        except redis.RedisError as exc:
            self._warn(exc)
            return None
        generations = f"{(values[0] or b'0').decode()}.{(values[1] or b'0').decode()}"
        stored = values[2]
        if stored:
            stamp, _, body = bytes(stored).partition(b"\n")
            if stamp.decode() == generations:
                return Entry(generations, body)
        return Entry(generations, None)

    def store(self, article_id: int, variant: str, generations: str, body: bytes) -> None:
        """Keep ``body`` as built under ``generations``."""
        if self.client is None:
            return
        try:
            self.client.set(
                self._keys(article_id, variant)[2], generations.encode() + b"\n" + body, ex=self.ttl
            )
        except redis.RedisError as exc:
            self._warn(exc)

    def invalidate(self, article_ids: set[int], everything: bool = False) -> None:
        """Bump generations so no server serves the old entries again."""
        if self.client is None or not (article_ids or everything):
            return
        try:
            pipe = self.client.pipeline(transaction=False)
            for article_id in sorted(article_ids):
                pipe.incr(f"{self.prefix}gen:article:{article_id}")
            if everything:
                pipe.incr(self.prefix + GLOBAL_GEN)
            pipe.execute()
        except redis.RedisError as exc:
            self._warn(exc)

    def status(self) -> str:
        """Say whether Redis answers: "ok", "down" or "not configured"."""
        if self.client is None:
            return "not configured"
        try:
            self.client.ping()
        except redis.RedisError:
            return "down"
        return "ok"


def thread_cache() -> ThreadCache:
    """Return the current app's cache."""
    cache: ThreadCache = current_app.extensions["forum_cache"]
    return cache


def _etag(article_id: int, variant: str, generations: str) -> str:
    digest = hashlib.blake2b(f"{article_id}|{variant}|{generations}".encode(), digest_size=12).hexdigest()
    return digest


def _answer(article_id: int, variant: str, entry: Entry, mimetype: str) -> Response | None:
    """Answer from a current cache entry: 304 if the client has it, else the stored bytes."""
    etag = _etag(article_id, variant, entry.generations)
    if request.if_none_match.contains(etag):
        return _conditional(Response(status=304), etag, "hit")
    if entry.body is not None:
        return _conditional(Response(entry.body, mimetype=mimetype), etag, "hit")
    return None


def cached_only(slug: str, variant: str, mimetype: str) -> Response | None:
    """Answer from Redis alone (304 or stored bytes) if possible; None means "build it"."""
    article_id = _slug_ids.get(slug)
    if article_id is None:
        return None
    entry = thread_cache().lookup(article_id, variant)
    return None if entry is None else _answer(article_id, variant, entry, mimetype)


def looks_anonymous() -> bool:
    """True when the request carries no session, remember-me cookie or token (so no login is possible)."""
    cookies = request.cookies
    return not (
        request.headers.get("Authorization")
        or cookies.get(current_app.config.get("SESSION_COOKIE_NAME", "session"))
        or cookies.get(current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token"))
    )


def serve_thread(
    slug: str, variant: str, mimetype: str, find: Callable[[str], Article], build: Callable[[Article], bytes]
) -> Response:
    """Answer an anonymous read of a thread: 304, cached bytes, or freshly built bytes.

    ``find`` loads the published article (raising NotFound); ``build`` renders it.
    """
    answer = cached_only(slug, variant, mimetype)
    if answer is not None:
        return answer
    cache = thread_cache()
    article = find(slug)
    if len(_slug_ids) < _SLUG_CACHE_LIMIT:
        _slug_ids[slug] = article.id
    entry = cache.lookup(article.id, variant)  # generations read before the database is
    if entry is None:  # no Redis: the ETag can only come from the bytes
        body = build(article)
        etag = hashlib.blake2b(body, digest_size=12).hexdigest()
    else:
        # Another worker or server may have built it already (this process had not met the slug).
        answer = _answer(article.id, variant, entry, mimetype)
        if answer is not None:
            return answer
        body = build(article)
        cache.store(article.id, variant, entry.generations, body)
        etag = _etag(article.id, variant, entry.generations)
    if request.if_none_match.contains(etag):
        return _conditional(Response(status=304), etag, "miss")
    return _conditional(Response(body, mimetype=mimetype), etag, "miss")


def _conditional(response: Response, etag: str, state: str) -> Response:
    response.set_etag(etag)
    response.headers["X-Cache"] = state
    # Shared caches may keep it but must ask again each time: a moderator's decision shows at once.
    response.headers["Cache-Control"] = "public, no-cache"
    response.headers["Vary"] = "Cookie, Authorization"
    return response


def _collect_changes(session: Session) -> None:
    """Note which threads a flush touched, to invalidate them once the transaction commits."""
    touched: set[int] = session.info.setdefault("touched_articles", set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Comment) and obj.article_id is not None:
            touched.add(obj.article_id)
        elif isinstance(obj, Article) and obj.id is not None:
            touched.add(obj.id)
    if any(isinstance(obj, Profile) for obj in session.dirty):  # names and roles show in every thread
        session.info["touched_profiles"] = True


def register_cache(app: Flask) -> None:
    """Create the cache for ``app``."""
    app.extensions["forum_cache"] = ThreadCache(
        app.config.get("REDIS_URL"), app.config["REDIS_PREFIX"], app.config["THREAD_CACHE_TTL"]
    )


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, flush_context: Any, instances: Any) -> None:
    _collect_changes(session)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    touched = session.info.pop("touched_articles", set())
    everything = session.info.pop("touched_profiles", False)
    if touched or everything:
        try:
            cache = thread_cache()
        except (RuntimeError, KeyError):  # outside an app (e.g. a bare script): nothing cached to clear
            return
        cache.invalidate(touched, everything)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop("touched_articles", None)
    session.info.pop("touched_profiles", None)
