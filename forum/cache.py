"""Cache rendered thread pages and thread JSON in Redis, invalidated everywhere on any change.

Keys carry generation numbers kept in Redis: a change to a thread bumps that article's
generation (and a change to a profile bumps the global one), so every app server stops
using the old entries at the same moment. A reader takes the generations *before* it
queries the database, so a page built from data older than a change is stored under a
generation nobody asks for again. When Redis is unreachable the forum serves uncached
and logs a warning (at most once a minute).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import redis
from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from forum.models import Article, Comment, Profile

log = logging.getLogger(__name__)
GLOBAL_GEN = "gen:global"
_last_warning = 0.0


def _article_gen(article_id: int) -> str:
    return f"gen:article:{article_id}"


class ThreadCache:
    """Get-or-build for per-article rendered content, shared by every app server through Redis."""

    def __init__(self, url: str | None, prefix: str, ttl: int) -> None:
        self.prefix = prefix
        self.ttl = ttl
        self.client: redis.Redis | None = (
            redis.Redis.from_url(url, socket_connect_timeout=0.25, socket_timeout=0.25) if url else None
        )

    def _key(self, name: str) -> str:
        return self.prefix + name

    def _warn(self, error: Exception) -> None:
        global _last_warning
        now = time.monotonic()
        if now - _last_warning > 60:
            _last_warning = now
            log.warning("redis unavailable, serving without the cache: %s", type(error).__name__)

    def get_or_build(self, article_id: int, variant: str, build: Callable[[], bytes]) -> tuple[bytes, bool]:
        """Return the cached bytes for this article and variant, or build and store them; say if it hit."""
        if self.client is None:
            return build(), False
        try:
            keys = [self._key(GLOBAL_GEN), self._key(_article_gen(article_id))]
            gens: list[Any] = self.client.mget(keys)  # type: ignore[assignment]
            key = self._key(
                f"thread:{article_id}:{variant}:{(gens[0] or b'0').decode()}:{(gens[1] or b'0').decode()}"
            )
            cached: Any = self.client.get(key)
        except redis.RedisError as exc:
            self._warn(exc)
            return build(), False
        if cached is not None:
            return bytes(cached), True
        value = build()
        try:
            self.client.set(key, value, ex=self.ttl)
        except redis.RedisError as exc:
            self._warn(exc)
        return value, False

    def invalidate(self, article_ids: set[int], everything: bool = False) -> None:
        """Bump generations so no server serves the old entries again."""
        if self.client is None or not (article_ids or everything):
            return
        try:
            pipe = self.client.pipeline(transaction=False)
            for article_id in sorted(article_ids):
                pipe.incr(self._key(_article_gen(article_id)))
            if everything:
                pipe.incr(self._key(GLOBAL_GEN))
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


def _collect_changes(session: Session, flush_context: Any) -> None:
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
    """Create the cache for ``app`` and invalidate after every commit that changed a thread."""
    app.extensions["forum_cache"] = ThreadCache(
        app.config.get("REDIS_URL"), app.config["REDIS_PREFIX"], app.config["THREAD_CACHE_TTL"]
    )


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, flush_context: Any, instances: Any) -> None:
    _collect_changes(session, flush_context)


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
