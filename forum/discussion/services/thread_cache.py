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
(forum/discussion/services/counters.py): one indexed read of the article row tells every worker whether its
copy is current, and gives a stable ETag.

The generations (or the version) give each response a strong ETag, so a client's conditional
request is answered 304 without building anything; with Redis, without touching the database.
Redis failures are logged at most once a minute.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import redis

from forum.discussion.services.local_cache import EVERYTHING, GenerationWatch, LocalCache
from forum.platform.unit_of_work import Transaction, transaction

log = logging.getLogger(__name__)
GLOBAL_GEN = "gen:global"
_last_warning = 0.0


class ThreadCache:
    """Per-article rendered content: in each worker's memory, shared by every app server through Redis."""

    def __init__(
        self, url: str | None, prefix: str, ttl: int, local_bytes: int = 0, subscribe: bool = True
    ) -> None:
        self.prefix = prefix
        self.ttl = ttl
        self.client: redis.Redis | None = (
            redis.Redis.from_url(url, socket_connect_timeout=0.25, socket_timeout=0.25) if url else None
        )
        self.local = LocalCache(local_bytes)
        # Without the subscription every read asks Redis for the generations (one MGET round trip).
        self.watch = (
            GenerationWatch(url, prefix + "invalidations") if url and local_bytes and subscribe else None
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

    def invalidate_committed(self, state: Transaction) -> None:
        """Invalidate the threads a committed transaction touched (a unit-of-work commit subscriber)."""
        touched = state.part(TouchedThreads)
        if touched.articles or touched.everything:
            self.invalidate(touched.articles, touched.everything)

    def status(self) -> str:
        """Say whether Redis answers: "ok", "down" or "not configured"."""
        if self.client is None:
            return "not configured"
        try:
            self.client.ping()
        except redis.RedisError:
            return "down"
        return "ok"


class TouchedThreads:
    """The threads a transaction changed, invalidated everywhere once it commits."""

    def __init__(self) -> None:
        self.articles: set[int] = set()
        self.everything = False  # a profile changed: names and roles show in every thread


def note_touched(article_ids: set[int], everything: bool = False) -> None:
    """Have these threads' cached copies invalidated when the current transaction commits."""
    touched = transaction().part(TouchedThreads)
    touched.articles.update(article_ids)
    touched.everything = touched.everything or everything
