"""``kill -9`` the server in the middle of a write load: nothing acknowledged is lost, nothing is corrupt.

Four writers post comments as fast as the server answers. Once a hundred have been acknowledged,
the gunicorn master and all its workers get SIGKILL together, with requests in flight. A new
server starts on the same database; every comment that was acknowledged (a 201 with an id) must
be there with its text, readable through the API, and the database must pass its own checks:
SQLite's ``integrity_check`` and ``foreign_key_check`` (the WAL is recovered on opening),
PostgreSQL's ``amcheck`` on the comment and audit indexes (every heap row indexed, trees sound).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from tests.integration.load import Tally, deployment, integrity_problems, run_writers, stored_comments
from tests.integration.servers import call, start_gunicorn

BEFORE_KILL = 100


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_acknowledged_comments_survive_kill_9(backend: str, tmp_path: Path) -> None:
    with deployment(backend, tmp_path, writers=4, moderators=0) as setup:
        server = start_gunicorn(setup.env, tmp_path, workers=2, own_group=True)
        tally, stop = Tally(), threading.Event()
        writers = run_writers(server.base, setup.writer_tokens, 10_000, tally, stop)
        try:
            deadline = time.monotonic() + 120  # a bound on waiting, not an assertion about speed
            while len(tally.acknowledged) < BEFORE_KILL and time.monotonic() < deadline:
                time.sleep(0.05)
            assert len(tally.acknowledged) >= BEFORE_KILL, (len(tally.acknowledged), server.log()[-2000:])
            server.kill_hard()
        finally:
            stop.set()
            for thread in writers:
                thread.join(timeout=60)
        assert 500 not in tally.statuses and 429 not in tally.statuses
        acknowledged = dict(tally.acknowledged)

        restarted = start_gunicorn(setup.env, tmp_path, workers=1)
        try:
            assert call(restarted.base + "/readyz").status == 200
            for comment_id in sorted(acknowledged)[-20:]:  # the latest are the ones most at risk
                text = acknowledged[comment_id]
                writer = int(text.split(",")[0].removeprefix("Writer "))  # pending: only its author sees it
                reply = call(
                    f"{restarted.base}/api/v1/comments/{comment_id}", token=setup.writer_tokens[writer]
                )
                assert reply.status == 200 and reply.json()["body"] == text, (comment_id, reply.status)
        finally:
            restarted.stop()
        stored = stored_comments(setup.url)
        missing = [i for i, text in acknowledged.items() if stored.get(i) != [text]]
        assert not missing, f"{len(missing)} acknowledged comments lost or changed: {missing[:10]}"
        assert not integrity_problems(setup.url)
