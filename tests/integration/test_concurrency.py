"""Many writers and two moderators at once through gunicorn, on SQLite and on PostgreSQL.

- 8 writers post 50 comments each at the same time: every comment the server acknowledged (201
  with an id) is stored exactly once with its text, nothing else appears, and no answer is a 5xx
  or a 429 (SQLite serialises writers with WAL, a busy timeout and BEGIN IMMEDIATE).
- Two moderators decide the same 100 pending comments at the same moment, one approving in one
  order, the other rejecting in the opposite order: each comment gets exactly one decision (one
  200, one 409), exactly one decision entry in the audit log, and the hash chain still verifies.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import psycopg
import pytest

from tests.integration.load import (
    Deployment,
    Tally,
    deployment,
    integrity_problems,
    run_writers,
    stored_comments,
)
from tests.integration.servers import PROJECT_ROOT, call, start_gunicorn

WRITERS, PER_WRITER, DECIDED = 8, 50, 100


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def served(request: pytest.FixtureRequest, tmp_path: Path):
    with deployment(request.param, tmp_path, writers=WRITERS) as setup:
        server = start_gunicorn(setup.env, tmp_path, workers=4)
        try:
            yield setup, server
        finally:
            server.stop()


def decision_entries(url: str) -> Counter[int]:
    """Count decision entries in the audit log per comment."""
    query = (
        "SELECT comment_id FROM audit_log WHERE action IN "
        "('comment.approved', 'comment.rejected', 'comment.removed', 'comment.redacted')"
    )
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            rows = conn.execute(query).fetchall()
    else:
        with psycopg.connect(url) as conn:
            rows = conn.execute(query).fetchall()
    return Counter(row[0] for row in rows)


def statuses_of(url: str, ids: list[int]) -> dict[int, str]:
    query = "SELECT id, status FROM comments"
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            rows = conn.execute(query).fetchall()
    else:
        with psycopg.connect(url) as conn:
            rows = conn.execute(query).fetchall()
    return {i: s for i, s in rows if i in set(ids)}


def decide_all(base: str, token: str, ids: list[int], body: dict, results: dict[int, int]) -> None:
    for comment_id in ids:
        reply = call(f"{base}/api/v1/moderation/comments/{comment_id}/decision", "POST", body, token=token)
        results[comment_id] = reply.status


def verify_audit_chain(setup: Deployment) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **setup.env, "FORUM_ENV": "development"}
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "forum", "audit", "verify"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_concurrent_writers_and_moderators_lose_nothing_and_decide_once(served) -> None:
    setup, server = served
    tally = Tally()
    stop = threading.Event()
    for thread in run_writers(server.base, setup.writer_tokens, PER_WRITER, tally, stop):
        thread.join(timeout=300)
    statuses = Counter(tally.statuses)
    assert statuses == {201: WRITERS * PER_WRITER}, (statuses, server.log()[-3000:])
    assert not tally.errors
    stored = stored_comments(setup.url)
    assert len(tally.acknowledged) == WRITERS * PER_WRITER
    for comment_id, text in tally.acknowledged.items():
        assert stored.get(comment_id) == [text], comment_id
    assert len(stored) == WRITERS * PER_WRITER  # nothing unacknowledged crept in

    # Two moderators, the same 100 pending comments, opposite orders, opposite decisions.
    ids = sorted(tally.acknowledged)[:DECIDED]
    approved: dict[int, int] = {}
    rejected: dict[int, int] = {}
    moderators = [
        threading.Thread(
            target=decide_all,
            args=(server.base, setup.moderator_tokens[0], ids, {"action": "approve"}, approved),
        ),
        threading.Thread(
            target=decide_all,
            args=(
                server.base,
                setup.moderator_tokens[1],
                list(reversed(ids)),
                {"action": "reject", "reason": "spam"},
                rejected,
            ),
        ),
    ]
    for thread in moderators:
        thread.start()
    for thread in moderators:
        thread.join(timeout=300)
    final = statuses_of(setup.url, ids)
    entries = decision_entries(setup.url)
    for comment_id in ids:
        pair = sorted([approved[comment_id], rejected[comment_id]])
        assert pair == [200, 409], (comment_id, approved[comment_id], rejected[comment_id])
        winner = "approved" if approved[comment_id] == 200 else "rejected"
        assert final[comment_id] == winner, comment_id
        assert entries[comment_id] == 1, (comment_id, entries[comment_id])
    verified = verify_audit_chain(setup)
    assert verified.returncode == 0 and "intact" in verified.stdout, verified.stdout + verified.stderr
    assert not integrity_problems(setup.url)
