"""Cache rendered thread pages and thread JSON, invalidated everywhere on any change.

With Redis, keys carry generation numbers kept in Redis: a change to a thread bumps that
article's generation (a change to a profile bumps the global one), so every app server stops
using old entries at the same moment. Entries are stored with the generations they were built
under and used only when those are still current. The generations are read *before* the
database is queried, so a page built from data older than a change is stored under generations
nobody accepts again. Each worker also keeps the bytes in memory (``local_cache.LocalCache``)
and learns of bumps by subscription (``local_cache.GenerationWatch``), so a hit or a 304
usually costs no round trip at all.

Without Redis (or while it is unreachable) the same in-process copies are keyed by the
article's ``thread_version``, a counter bumped in the transaction of every change
(services/counters.py): one indexed read of the article row tells every worker whether its
copy is current, and gives a stable ETag.

The generations (or the version) give each response a strong ETag, so a client's conditional
request is answered 304 without building anything; with Redis, without touching the database.
Redis failures are logged at most once a minute.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from typing import Any

import redis
from flask import Flask, Response, current_app, request
from sqlalchemy import event
from sqlalchemy.orm import Session

from forum.local_cache import EVERYTHING, GenerationWatch, LocalCache
from forum.models import Article, Comment, Profile

log = logging.getLogger(__name__)
GLOBAL_GEN = "gen:global"
_last_warning = 0.0
_slug_ids: dict[str, int] = {}  # slugs do not change; an article's id never does
_SLUG_CACHE_LIMIT = 50_000


class ThreadCache:
    """Per-article rendered content: in each worker's memory, shared by every app server through Redis."""

    def __init__(self, url: str | None, prefix: str, ttl: int, local_bytes: int = 0) -> None:
        self.prefix = prefix
        self.ttl = ttl
        self.client: redis.Redis | None = (
            redis.Redis.from_url(url, socket_connect_timeout=0.25, socket_timeout=0.25) if url else None
        )
        self.local = LocalCache(local_bytes)
        self.watch = (
            GenerationWatch(self.client, prefix + "invalidations") if self.client and local_bytes else None
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

    def generations(self, article_id: int) -> str | None:
        """Return the article's current generations (None without Redis or when it fails)."""
        if self.client is None:
            return None
        token = -1
        if self.watch is not None:
            known, token = self.watch.get(article_id)
            if known is not None:
                return known
        try:
            values: list[Any] = self.client.mget(self._keys(article_id, "")[:2])  # type: ignore[assignment]
        except redis.RedisError as exc:
            self._warn(exc)
            return None
        generations = f"{(values[0] or b'0').decode()}.{(values[1] or b'0').decode()}"
        if self.watch is not None:
            self.watch.remember(article_id, generations, token)
        return generations

    def body(self, article_id: int, variant: str, generations: str) -> bytes | None:
        """Return the bytes built under ``generations``: from memory, else from Redis (then kept)."""
        key = (article_id, variant)
        found = self.local.get(key, generations)
        if found is not None or self.client is None or generations.startswith("v"):
            return found
        try:
            stored = self.client.get(self._keys(article_id, variant)[2])
        except redis.RedisError as exc:
            self._warn(exc)
            return None
        if stored:
            stamp, _, body = bytes(stored).partition(b"\n")  # type: ignore[arg-type]
            if stamp.decode() == generations:
                self.local.put(key, generations, body)
                return body
        return None

    def store(self, article_id: int, variant: str, generations: str, body: bytes) -> None:
        """Keep ``body`` as built under ``generations`` (in Redis too unless it is a database version)."""
        self.local.put((article_id, variant), generations, body)
        if self.client is None or generations.startswith("v"):
            return
        try:
            self.client.set(
                self._keys(article_id, variant)[2], generations.encode() + b"\n" + body, ex=self.ttl
            )
        except redis.RedisError as exc:
            self._warn(exc)

    def invalidate(self, article_ids: set[int], everything: bool = False) -> None:
        """Bump generations so no server serves the old entries again, and tell every worker."""
        if self.watch is not None:
            self.watch.forget(article_ids, everything)
        if self.client is None or not (article_ids or everything):
            return
        try:
            pipe = self.client.pipeline(transaction=True)  # the bumps and the message land together
            for article_id in sorted(article_ids):
                pipe.incr(f"{self.prefix}gen:article:{article_id}")
            if everything:
                pipe.incr(self.prefix + GLOBAL_GEN)
            payload = EVERYTHING if everything else ",".join(map(str, sorted(article_ids))).encode()
            pipe.publish(self.prefix + "invalidations", payload)
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


def _answer(
    cache: ThreadCache, article_id: int, variant: str, generations: str, mimetype: str
) -> Response | None:
    """Answer from what is current: 304 if the client has it, else the stored bytes (None: build it)."""
    etag = _etag(article_id, variant, generations)
    if request.if_none_match.contains(etag):
        return _conditional(Response(status=304), etag, "hit")
    body = cache.body(article_id, variant, generations)
    if body is not None:
        return _conditional(Response(body, mimetype=mimetype), etag, "hit")
    return None


def cached_only(slug: str, variant: str, mimetype: str) -> Response | None:
    """Answer without the database (304 or stored bytes) when Redis says what is current; None: build it."""
    article_id = _slug_ids.get(slug)
    if article_id is None:
        return None
    cache = thread_cache()
    generations = cache.generations(article_id)
    return None if generations is None else _answer(cache, article_id, variant, generations, mimetype)


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
    generations = cache.generations(article.id)  # read before the thread is
    if generations is None:  # no Redis: the version read with the article says what is current
        generations = f"v{article.thread_version}"
    # Another worker or server may have built it already (this process had not met the slug).
    answer = _answer(cache, article.id, variant, generations, mimetype)
    if answer is not None:
        return answer
    body = build(article)
    cache.store(article.id, variant, generations, body)
    etag = _etag(article.id, variant, generations)
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


def mark_touched(session: Session, article_id: int) -> None:
    """Have the thread's cached copies invalidated when ``session`` commits (for writes made with
    plain statements, which the flush hook below does not see)."""
    _touched(session).add(article_id)


def _touched(session: Session) -> set[int]:
    """The articles whose cached copies the session's commit must invalidate."""
    touched: set[int] = session.info.setdefault("touched_articles", set())
    return touched


def _collect_changes(session: Session) -> None:
    """Note which threads a flush touched, to invalidate them once the transaction commits."""
    touched = _touched(session)
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
        app.config.get("REDIS_URL"),
        app.config["REDIS_PREFIX"],
        app.config["THREAD_CACHE_TTL"],
        app.config["THREAD_CACHE_LOCAL_MB"] * 1024 * 1024,
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
