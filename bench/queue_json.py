"""The moderation queue's JSON, 200 items, through the schema and through the fast path, side by side (issue 23).

    .venv/bin/python bench/queue_json.py [--database forum_bench_queue] [--runs 5] [--duration 5]

One PostgreSQL database (``--database``, loaded once through the services): a published thread of
30 comments, 1,000 pending comments from 100 new members (every third a reply, so the queue shows its
parent; every fifth with a link and every seventh with a phone number, so rules matched and say why),
and 20 published comments reported by members (one reported by three, so it is hidden). A moderator
reads ``/api/v1/moderation/queue?limit=200`` with a bearer token (20 reports, then 180 pending) from
one gunicorn set-up (bench/servers.py ``ours()``, 2 workers): the forum's own route (the fast path)
and ``/api/v1/bench/queue-schema``, the same service answer dumped by ``QueueSchema`` as before issue 23
(bench_app.py), with the worker's copies off (``QUEUE_COPIES_MB=0``: every read builds the answer);
and the forum's route on a second set-up with its copies on, as production runs it (a read while
nothing in the queue changed: forum/moderation/http/queue_copies.py). wrk (-t2 -c4) reads them in
turn, ``--runs`` times each; the ratios are the medians of the ratios within each run.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from load import PASSWORD, analyze, commenters, load_forum_thread  # noqa: E402
from measure import request, token, wrk  # noqa: E402
from run import ensure_database, ensure_tools  # noqa: E402
from servers import WORK, ours  # noqa: E402
from sqlalchemy import select  # noqa: E402
from workload import body, thread  # noqa: E402

from forum import create_app  # noqa: E402
from forum.accounts.models import Access  # noqa: E402
from forum.accounts.services.viewer import Viewer  # noqa: E402
from forum.discussion.models import Article, Comment, CommentStatus  # noqa: E402
from forum.discussion.services import posting  # noqa: E402
from forum.moderation.services import reports  # noqa: E402
from forum.platform.database import db  # noqa: E402

SLUG = "queue-json"
PORT = 8421
QUEUE = "/api/v1/moderation/queue?limit=200"
SCHEMA, BUILT, COPY = "schema (marshmallow dump)", "fast path, built (rows + orjson)", "fast path, the worker's copy"
CASES = {SCHEMA: "/api/v1/bench/queue-schema?limit=200", BUILT: QUEUE, COPY: QUEUE}


def load_queue(database_url: str, pending: int = 1000, reported: int = 20) -> None:
    """Fill the queue once through the services: pending comments from new members, reported ones."""
    load_forum_thread(database_url, SLUG, thread(30))
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": False})
    with app.app_context():
        article_id = db.session.scalar(select(Article.id).where(Article.slug == SLUG))
        published = db.session.execute(
            select(Comment.id, Comment.author_id)
            .where(Comment.article_id == article_id, Comment.status == CommentStatus.APPROVED)
            .order_by(Comment.id)
        ).all()
        if db.session.scalar(select(Comment.id).where(Comment.article_id == article_id,
                                                      Comment.status == CommentStatus.PENDING).limit(1)):
            return  # already loaded
        newcomers = commenters("queuenew", 100)
        rng = random.Random(23)
        for i in range(pending):
            user = newcomers[i % len(newcomers)]
            text = body(rng, 70_000 + i)
            if i % 5 == 0:
                text += f" More at https://example.org/page/{i} for anyone who wants it."
            if i % 7 == 0:
                text += " Ring me on 07700 900123 if you like."
            parent = published[i % len(published)][0] if i % 3 == 0 else None
            posting.post_comment(user, Viewer(user_id=user.id, profile_id=user.profile_id), SLUG, text, parent)
            if i % 250 == 0:
                db.session.commit()
        reporters = commenters("bench")  # the thread's own (trusted) commenters
        for n, (comment_id, author_id) in enumerate(published[:reported]):
            others = [r for r in reporters if r.profile_id != author_id]
            for reporter in others[: 3 if n == 0 else 1]:  # the first is hidden by three reports
                reports.flag(reporter, comment_id, "spam" if n % 2 else "abusive", f"Report {n}")
        commenters("queuemod", 1, Access.MODERATOR)
        db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="forum_bench_queue")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    ensure_tools()
    database = ensure_database(args.database)
    load_queue(database)
    analyze(database)
    load_before = os.getloadavg()
    results: dict[str, list[float]] = {label: [] for label in CASES}
    ratios: list[float] = []
    ratios_copy: list[float] = []
    built = {"REDIS_PREFIX": "queue-json:", "QUEUE_COPIES_MB": "0"}
    copying = {"REDIS_PREFIX": "queue-json-copies:", "QUEUE_COPIES_MB": "8"}
    with (
        ours("queue-json", PORT, database, redis=False, local_mb=0, extra=built) as server,
        ours("queue-json-copies", PORT + 1, database, redis=False, local_mb=0, extra=copying) as copies,
    ):
        bases = {SCHEMA: server.base, BUILT: server.base, COPY: copies.base}
        headers = {"Authorization": f"Bearer {token(server.base, 'queuemod0@bench.example', PASSWORD)}"}
        bodies = {label: request(bases[label] + path, headers=headers)[2] for label, path in CASES.items()}
        assert bodies[BUILT] == bodies[COPY], "the copy says what the built answer says"
        sizes = {label: len(body) for label, body in bodies.items()}
        for _ in range(args.runs):
            run = {label: wrk(bases[label] + path, args.duration, headers)["rps"] for label, path in CASES.items()}
            for label, rps in run.items():
                results[label].append(rps)
            ratios.append(run[BUILT] / run[SCHEMA])
            ratios_copy.append(run[COPY] / run[SCHEMA])
    load_after = os.getloadavg()
    print(f"\n`bench/queue_json.py --database {args.database} --runs {args.runs} --duration {args.duration}`, "
          f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, load average before "
          f"{load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, after {load_after[0]:.2f} "
          f"{load_after[1]:.2f} {load_after[2]:.2f}. Requests/s, median of {args.runs} runs (each run's figures).\n")
    print("| moderation queue JSON, 200 items | requests/s | runs | body |")
    print("|---|---|---|---|")
    for label in CASES:
        runs = ", ".join(f"{r:.0f}" for r in results[label])
        print(f"| {label} | {statistics.median(results[label]):.1f} | {runs} | {sizes[label]:,} bytes |")
    for name, found in (("built / schema", ratios), ("copy / schema", ratios_copy)):
        print(f"\n{name}: {statistics.median(found):.2f} × (median of the runs' ratios: "
              + ", ".join(f"{r:.2f}" for r in found) + ")")


if __name__ == "__main__":
    main()
