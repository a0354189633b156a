"""Keep built thread bytes in each worker's memory, and know when they are stale without asking Redis.

``LocalCache`` is a size-bounded LRU of bytes, each stored with the validity token it was built
under (Redis generations, or the article's thread version from the database); a lookup with any
other token misses. ``GenerationWatch`` keeps the current Redis generations of recently read
articles in memory: every bump is published on a channel this worker subscribes to (its own
connection, no silent reconnects), so a change made by any server reaches every worker before a
request that follows it can. If the subscription breaks, everything known is forgotten and Redis
is asked again; what is known is also re-read at least once a second, as a safety net.
"""

from __future__ import annotations

import logging
import os
import time
from collections import OrderedDict
from threading import Lock

import redis

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
    """Current generations of recently read articles, kept fresh by a Redis subscription."""

    def __init__(self, client: redis.Redis, channel: str) -> None:
        self.client = client
        self.channel = channel
        self._conn: redis.Connection | None = None
        self.client_id: int | None = None  # the subscription's connection, as Redis numbers it
        self._pid = 0
        self._epoch = 0  # bumped whenever what is known may have missed a message
        self._retry_at = 0.0
        self._known: dict[int, tuple[str, float]] = {}
        self._lock = Lock()

    def _subscribed(self) -> bool:
        """Subscribe once per process, waiting for Redis to confirm before trusting anything."""
        if self._conn is not None and self._pid == os.getpid():
            return True
        self._conn = None
        self._known.clear()
        if time.monotonic() < self._retry_at:
            return False
        pool = self.client.connection_pool
        conn = pool.connection_class(**pool.connection_kwargs)
        try:
            conn.connect()
            conn.send_command("CLIENT", "ID")
            client_id = int(conn.read_response())
            conn.send_command("SUBSCRIBE", self.channel)
            confirmation = conn.read_response()
            if not (isinstance(confirmation, list) and confirmation[0] in (b"subscribe", "subscribe")):
                raise redis.ResponseError(f"unexpected answer to SUBSCRIBE: {confirmation!r}")
        except (redis.RedisError, OSError) as exc:
            conn.disconnect()
            self._retry_at = time.monotonic() + RETRY_SECONDS
            log.warning("thread cache: cannot subscribe to invalidations, asking Redis each time: %s", exc)
            return False
        self._conn, self._pid, self.client_id = conn, os.getpid(), client_id
        self._epoch += 1
        return True

    def _drain(self) -> None:
        """Apply every invalidation that has arrived (never blocks)."""
        conn = self._conn
        if conn is None:
            return
        if (
            getattr(conn, "_sock", None) is None
        ):  # closed: can_read would quietly open a new, unsubscribed one
            self._reset()
            return
        try:
            while conn.can_read(timeout=0):
                message = conn.read_response()
                if isinstance(message, list) and len(message) == 3 and message[0] in (b"message", "message"):
                    self._apply(message[2])
                else:  # anything else means the stream is not what we think it is
                    raise redis.ResponseError(f"unexpected message {message!r}")
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
        if self._conn is not None:
            self._conn.disconnect()
        self._conn = None
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
            if token == self._epoch and self._conn is not None:
                self._known[article_id] = (generations, time.monotonic())

    def forget(self, article_ids: set[int], everything: bool = False) -> None:
        """Drop what this process knows about articles it has just changed."""
        with self._lock:
            if everything:
                self._known.clear()
            for article_id in article_ids:
                self._known.pop(article_id, None)
