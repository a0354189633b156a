"""Keep built thread bytes in each worker's memory, and know when they are stale without asking Redis.

``LocalCache`` is a size-bounded LRU of bytes, each stored with the validity token it was built
under (Redis generations, or the article's thread version from the database); a lookup with any
other token misses. ``GenerationWatch`` keeps the current Redis generations of recently read
articles in memory: every bump is published on a channel this worker subscribes to (redis-py's
PubSub on a connection of its own; a renewed subscription means messages may have been lost), so a
change made by any server reaches every worker before a request that follows it can. If the
subscription breaks, everything known is forgotten and Redis is asked again; what is known is also
re-read at least once a second, as a safety net.
"""

from __future__ import annotations

import logging
import os
import secrets
import time
from collections import OrderedDict
from threading import Lock
from typing import Any

import redis
from redis.client import PubSub

log = logging.getLogger(__name__)
MAX_AGE_SECONDS = 1.0  # re-read a known generation at least this often, even without a message
RETRY_SECONDS = 5.0  # after a failed subscription, ask Redis directly for this long before retrying
EVERYTHING = b"*"


class LocalCache:
    """An LRU of ``(token, bytes)`` per key, bounded by total size (0 bytes: off)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple[int, str], tuple[str, bytes]] = OrderedDict()
        self._size = 0
        self._lock = Lock()  # threaded servers share one instance

    def get(self, key: tuple[int, str], token: str) -> bytes | None:
        """Return the bytes stored under ``key`` if they were built under ``token``."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != token:
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def entry(self, key: tuple[int, str]) -> tuple[str, bytes] | None:
        """Return the token and bytes stored under ``key``, whatever the token."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: tuple[int, str], token: str, body: bytes) -> None:
        """Keep ``body`` (skipped when off, or when one body would take over a quarter of the room)."""
        if len(body) * 4 > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= len(old[1])
            self._entries[key] = (token, body)
            self._size += len(body)
            while self._size > self.max_bytes:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._size -= len(dropped)

    def forget(self, article_ids: set[int] | None = None) -> None:
        """Drop entries of these articles (None: all)."""
        with self._lock:
            for key in [k for k in self._entries if article_ids is None or k[0] in article_ids]:
                self._size -= len(self._entries.pop(key)[1])


class GenerationWatch:
    """Current generations of recently read articles, kept fresh by a Redis subscription.

    Only redis-py's public API: a ``PubSub`` on a client of its own, named so that the subscription
    can be found in ``CLIENT LIST``. redis-py reconnects and subscribes again by itself after a broken
    connection; messages published meanwhile are lost, so any confirmation after the first (or any
    error) makes this process forget everything it knew and ask Redis again for a while.
    """

    def __init__(self, url: str, channel: str) -> None:
        self.url = url
        self.channel = channel
        self._listener: redis.Redis | None = None  # owns the PubSub's pool: closing it would cut the line
        self._pubsub: PubSub | None = None
        self.client_id: int | None = None  # the subscription's connection, as Redis numbers it
        self._pid = 0
        self._epoch = 0  # bumped whenever what is known may have missed a message
        self._retry_at = 0.0
        self._known: dict[int, tuple[str, float]] = {}
        self._lock = Lock()

    def _subscribed(self) -> bool:
        """Subscribe once per process, waiting for Redis to confirm before trusting anything."""
        if self._pubsub is not None and self._pid == os.getpid():
            return True
        self._pubsub = self._listener = None  # a forked worker must not share its parent's connection
        self._known.clear()
        if time.monotonic() < self._retry_at:
            return False
        name = f"forum-invalidations-{os.getpid()}-{secrets.token_hex(4)}"
        listener = redis.Redis.from_url(
            self.url, client_name=name, socket_connect_timeout=0.25, socket_timeout=0.25
        )
        pubsub = listener.pubsub()
        try:
            pubsub.subscribe(self.channel)
            confirmation = pubsub.get_message(timeout=1.0)
            if not confirmation or confirmation.get("type") != "subscribe":
                raise redis.ResponseError(f"unexpected answer to SUBSCRIBE: {confirmation!r}")
            clients: list[dict[str, Any]] = listener.client_list()  # type: ignore[assignment]
            client_id = next(int(c["id"]) for c in clients if c.get("name") == name)
        except (redis.RedisError, OSError, StopIteration) as exc:
            pubsub.close()
            self._retry_at = time.monotonic() + RETRY_SECONDS
            log.warning("thread cache: cannot subscribe to invalidations, asking Redis each time: %s", exc)
            return False
        self._listener, self._pubsub, self._pid, self.client_id = listener, pubsub, os.getpid(), client_id
        self._epoch += 1
        return True

    def _drain(self) -> None:
        """Apply every invalidation that has arrived (never blocks)."""
        pubsub = self._pubsub
        if pubsub is None:
            return
        try:
            while (message := pubsub.get_message(timeout=0)) is not None:
                if message.get("type") != "message":  # subscribed again: something may have been missed
                    raise redis.ConnectionError(f"the subscription was renewed ({message.get('type')})")
                self._apply(message["data"])
        except (redis.RedisError, OSError, ValueError):
            self._reset()

    def _apply(self, payload: bytes | str) -> None:
        data = payload.encode() if isinstance(payload, str) else payload
        if data == EVERYTHING:
            self._known.clear()
            return
        for part in data.split(b","):
            self._known.pop(int(part), None)

    def _reset(self) -> None:
        if self._pubsub is not None:
            self._pubsub.close()
        self._pubsub = self._listener = None
        self._known.clear()
        self._epoch += 1
        self._retry_at = time.monotonic() + RETRY_SECONDS

    def get(self, article_id: int) -> tuple[str | None, int]:
        """Return the known generations of the article (or None) and a token for :meth:`remember`."""
        with self._lock:
            if not self._subscribed():
                return None, -1
            self._drain()
            entry = self._known.get(article_id)
            if entry is not None and time.monotonic() - entry[1] < MAX_AGE_SECONDS:
                return entry[0], self._epoch
            return None, self._epoch

    def remember(self, article_id: int, generations: str, token: int) -> None:
        """Keep generations read from Redis after :meth:`get` gave ``token`` (if nothing broke since)."""
        with self._lock:
            if token == self._epoch and self._pubsub is not None:
                self._known[article_id] = (generations, time.monotonic())

    def forget(self, article_ids: set[int], everything: bool = False) -> None:
        """Drop what this process knows about articles it has just changed."""
        with self._lock:
            if everything:
                self._known.clear()
            for article_id in article_ids:
                self._known.pop(article_id, None)
