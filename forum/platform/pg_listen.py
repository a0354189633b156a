"""Count, per key, the notifications PostgreSQL sends on one channel, in each worker, without a round trip.

A ``ChannelWatch`` holds one connection of its own (opened in the worker that first asks: never
shared across a fork) that LISTENs on a channel; triggers send the key whose rows changed
(migrations/versions/20261204_2302_member_change_notices.py). Before answering, the worker reads
what has arrived on that connection's socket (no round trip: the server pushed it at each commit)
and counts it per key. ``token(key)`` is then "the connection this count is from, and the count":
equal tokens mean no change to that key's rows was committed in between. If the connection fails,
or the ``ready`` query finds nothing to send on the channel (its triggers not migrated yet), every
token changes and none is given for ``RETRY_SECONDS``, so callers fall back to asking the database.

PostgreSQL delivers a notification a moment after the commit, not with it: a read that reaches a
worker within that moment is answered as before the commit (the same holds for the thread cache's
Redis generations). A worker reads its socket only when asked, so a worker that serves nothing
leaves notifications queued in PostgreSQL (8 GB of them before writes that notify would fail).
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from threading import Lock
from typing import Any

import psycopg
from psycopg import sql

log = logging.getLogger(__name__)
RETRY_SECONDS = 5.0
KEEPALIVES = {"keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2, "keepalives_count": 2}


class ChannelWatch:
    """The notifications of one channel, counted per payload (a key)."""

    def __init__(self, connect: dict[str, Any], channel: str, ready: str | None = None) -> None:
        self._connect = connect  # psycopg.connect's arguments (the app's database)
        self.channel = channel
        self._ready = ready  # a query that returns a row once something sends on the channel
        self._connection: psycopg.Connection[Any] | None = None
        self._pid = 0
        self._epoch = 0  # bumped whenever notifications may have been missed
        self._counts: dict[str, int] = {}
        self._retry_at = 0.0
        self._lock = Lock()

    def token(self, key: str) -> tuple[int, int] | None:
        """Read what has arrived, then the (connection, count) of ``key``; None while not listening."""
        with self._lock:
            if not self._listening():
                return None
            try:
                pgconn = self._connection.pgconn  # type: ignore[union-attr]
                pgconn.consume_input()
                while (notice := pgconn.notifies()) is not None:
                    payload = notice.extra.decode()
                    self._counts[payload] = self._counts.get(payload, 0) + 1
            except psycopg.Error as exc:
                self._lost(exc)
                return None
            return self._epoch, self._counts.get(key, 0)

    def _listening(self) -> bool:
        if self._connection is not None and self._pid == os.getpid():
            return True
        self._connection = None  # a forked worker must not read its parent's socket
        if time.monotonic() < self._retry_at:
            return False
        try:
            # Keepalives: a server gone without a word (a cut cable) is noticed within seconds, and
            # the socket then fails instead of staying quiet while notifications are lost.
            connection = psycopg.connect(
                **{**self._connect, **KEEPALIVES},
                autocommit=True,
                connect_timeout=3,
                application_name=f"forum listening on {self.channel}",
            )
            connection.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self.channel)))
            if self._ready is not None and connection.execute(self._ready).fetchone() is None:
                connection.close()  # nothing sends yet (a migration to run): hearing nothing proves nothing
                self._lost(LookupError(self._ready))
                return False
        except psycopg.Error as exc:
            self._lost(exc)
            return False
        self._connection, self._pid = connection, os.getpid()
        self._epoch += 1  # what was counted before may have missed something
        self._counts.clear()
        return True

    def _lost(self, exc: Exception) -> None:
        log.warning(
            "not listening on %s (%s): asking the database for a while", self.channel, type(exc).__name__
        )
        if self._connection is not None:
            with contextlib.suppress(psycopg.Error):  # closing a broken connection
                self._connection.close()
        self._connection = None
        self._epoch += 1
        self._counts.clear()
        self._retry_at = time.monotonic() + RETRY_SECONDS

    def close(self) -> None:
        """Stop listening (tests; a worker's connection otherwise ends with it)."""
        with self._lock:
            if self._connection is not None:
                self._connection.close()
            self._connection = None
