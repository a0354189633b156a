"""Measure the two choices the reshape had to make from figures, side by side in one run.

    .venv/bin/python bench/decisions.py [--blocks 30] [--runs 3] [--duration 5]

1. Posting: the forum's one INSERT … RETURNING with the counter update riding on it, against the
   ordinary ``session.add()`` + ``flush()`` (the unit of work issuing the counter update), swapped in
   by the bench app (``BENCH_POSTING_WRITE=flush``, ``bench/bench_app.py``). Same gunicorn,
   30 alternating blocks of 10 sequential posts, the insert floor alongside.
2. Thread-cache generations, warm reads of the 1,000-comment thread: each worker subscribed to the
   bumps (``THREAD_CACHE_SUBSCRIBE=1``, redis-py's PubSub), or one MGET round trip per request
   (``THREAD_CACHE_SUBSCRIBE=0``); and whether redis-py's own client-side caching (RESP3,
   server-assisted invalidation) can run against this Redis at all.

Uses the forum_bench database bench/run.py loads (it loads the two threads it needs if missing).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from load import PASSWORD, load_forum_thread  # noqa: E402
from measure import posting_side_by_side, request, token, wrk  # noqa: E402
from run import _words, clear_redis, ensure_database, ensure_tools, fresh_words_base  # noqa: E402
from servers import REDIS, ours  # noqa: E402
from workload import thread  # noqa: E402


def posting_choice(database: str, blocks: int) -> None:
    fresh = fresh_words_base(room=blocks * 10 * 2)
    with ExitStack() as stack:
        statement = stack.enter_context(
            ours("statement", 8321, database, redis=True, local_mb=32)
        )
        flush = stack.enter_context(
            ours("flush", 8322, database, redis=True, local_mb=32, extra={"BENCH_POSTING_WRITE": "flush"})
        )
        sides = {}
        for server, offset in ((statement, 0), (flush, blocks * 10)):
            secrets = [token(server.base, f"bench{i}@bench.example", PASSWORD) for i in range(10)]
            sides[server.name] = (
                f"{server.base}/api/v1/articles/bench-posting/comments",
                lambda i, o=offset: {"body": f"Posting check {_words(fresh + o + i)} about ward rounds."},
                lambda i, s=secrets: {"Authorization": f"Bearer {s[i % len(s)]}"},
            )
        floor_secrets = [token(statement.base, f"bench{i}@bench.example", PASSWORD) for i in range(10)]
        sides["floor: insert + commit"] = (
            f"{statement.base}/bench/floor/insert/bench-posting",
            lambda i: {"body": f"Floor check {_words(fresh + i)}."},
            lambda i: {"Authorization": f"Bearer {floor_secrets[i % len(floor_secrets)]}"},
        )
        found = posting_side_by_side(sides, blocks=blocks, per_block=10, reference="statement")
    print(f"\n## Posting: one INSERT with the counter CTE, or add() + flush() ({datetime.now(UTC):%H:%M} UTC)\n")
    print("| side | posts | median | / statement (median of block ratios) |")
    print("|---|---|---|---|")
    for name in sides:
        print(f"| {name} | {len(found[name])} | {statistics.median(found[name]):.2f} ms | "
              f"{statistics.median(found['ratios'][name]):.3f} |")


def cache_choice(database: str, runs: int, duration: int) -> None:
    paths = {
        "JSON page": "/api/v1/articles/bench-1000/comments",
        "HTML page": "/articles/bench-1000",
    }
    ways = ("watch", "mget")
    with ExitStack() as stack:
        servers = {
            way: stack.enter_context(
                ours(f"gen-{way}", 8330 + n, database, redis=True, local_mb=32,
                     extra={"THREAD_CACHE_SUBSCRIBE": "1" if way == "watch" else "0"})
            )
            for n, way in enumerate(ways)
        }
        for server in servers.values():
            for path in paths.values():
                request(server.base + path)  # fill the caches
        etags = {}
        for way, server in servers.items():
            etags[way] = request(server.base + paths["JSON page"])[1].get("ETag")
        rows: dict[tuple[str, str], list[float]] = {}
        for _ in range(runs):
            for label, path in paths.items():
                for way, server in servers.items():
                    rows.setdefault((label, way), []).append(wrk(server.base + path, duration)["rps"])
            for way, server in servers.items():
                found = wrk(server.base + paths["JSON page"], duration, {"If-None-Match": etags[way]}, expect=304)
                rows.setdefault(("304", way), []).append(found["rps"])
    print(f"\n## Thread-cache generations: subscription or a round trip ({datetime.now(UTC):%H:%M} UTC)\n")
    print("| read | " + " | ".join(f"{w} (req/s)" for w in ways) + " | mget / watch |")
    print("|---|" + "---|" * (len(ways) + 1))
    for label in (*paths, "304"):
        medians = {w: statistics.median(rows[(label, w)]) for w in ways}
        ratio = lambda w: statistics.median(a / b for a, b in zip(rows[(label, w)], rows[(label, "watch")]))  # noqa: E731
        print(f"| {label} | " + " | ".join(f"{medians[w]:.0f}" for w in ways)
              + f" | {ratio('mget'):.2f} |")
    print(f"\nredis-py's client-side caching (RESP3): {client_side_caching()}")


def client_side_caching() -> str:
    """Whether redis-py's own client-side caching can run against this Redis (it needs 7.4 or later)."""
    import redis
    from redis.cache import CacheConfig

    version = redis.Redis.from_url(REDIS).info("server")["redis_version"]
    try:
        redis.Redis.from_url(REDIS, protocol=3, cache_config=CacheConfig()).ping()
    except redis.RedisError as exc:
        return f"not available with Redis {version} (redis-py {redis.__version__}: {exc})"
    return f"available (Redis {version}); not measured by this script"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--blocks", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--only", choices=("posting", "cache"))
    args = parser.parse_args()
    if not shutil.which("wrk"):
        ensure_tools()  # installs wrk (and Isso, which this script does not use)
    clear_redis()
    database = ensure_database("forum_bench")
    load_forum_thread(database, "bench-1000", thread(1000))
    load_forum_thread(database, "bench-posting", thread(1))
    print(f"started {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, load average {os.getloadavg()}")
    if args.only in (None, "posting"):
        posting_choice(database, args.blocks)
    if args.only in (None, "cache"):
        cache_choice(database, args.runs, args.duration)
    print(f"\nended {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, load average {os.getloadavg()}")


if __name__ == "__main__":
    main()
