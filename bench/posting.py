"""Measure only posting, ours against Isso 0.14, as bench/run.py does (for quick iterations).

    .venv/bin/python bench/posting.py [--blocks 30] [--per-block 10] [--floors] [--sqlite]
        [--database forum_bench] [--port-base 8302] [--prefix bench]

Loads the posting article (one comment) into the PostgreSQL database, Isso's database and, with
``--sqlite``, the embedded one when they lack it (Isso 0.14 is installed in bench/.isso-venv when
missing); starts the warm server and Isso on 127.0.0.1, posts sequentially in short alternating
blocks, prints the medians, the median of the per-block ratios against Isso and against the
insert floor, and the load averages before and after. ``--database``, ``--port-base`` (ours, Isso,
ours on SQLite on the next three ports), ``--prefix`` (server names and Redis keys) and the
BENCH_WORK folder (logs, Isso's and the embedded database) let two runs share a machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from contextlib import ExitStack
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from load import PASSWORD, load_forum_thread  # noqa: E402
from measure import posting_side_by_side, token  # noqa: E402
from run import ISSO_VENV, _words, ensure_database, ensure_isso, fresh_words_base, sh  # noqa: E402
from servers import WORK, isso, ours  # noqa: E402
from workload import thread  # noqa: E402


def ensure_sqlite(path: Path) -> str:
    """The forum's embedded database with the posting article and the members (made once)."""
    from flask_migrate import upgrade

    from forum import create_app

    url = f"sqlite:///{path}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
    load_forum_thread(url, "bench-posting", thread(1))
    return url


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--blocks", type=int, default=30)
    parser.add_argument("--per-block", type=int, default=10)
    parser.add_argument("--floors", action="store_true", help="also post to the bench-only floor routes")
    parser.add_argument("--sqlite", action="store_true", help="also post to the forum on its embedded SQLite database")
    parser.add_argument("--database", default="forum_bench", help="PostgreSQL database (made and loaded if missing)")
    parser.add_argument("--port-base", type=int, default=8302, help="ours; Isso, ours on SQLite on the next ports")
    parser.add_argument("--prefix", default="bench", help="server names and Redis key prefix")
    args = parser.parse_args()
    load_before = os.getloadavg()
    WORK.mkdir(parents=True, exist_ok=True)
    ensure_isso()
    database = ensure_database(args.database)
    load_forum_thread(database, "bench-posting", thread(1))
    sh(str(ISSO_VENV / "bin/python"), str(HERE / "isso_load.py"), str(WORK / "isso.db"), "/bench-posting", "1", cwd=HERE)
    local_mb = int(os.environ.get("BENCH_LOCAL_MB", "32"))
    fresh = fresh_words_base(room=args.blocks * args.per_block)
    embedded = ensure_sqlite(WORK / "forum-posting.db") if args.sqlite else None
    named = lambda side: {"REDIS_PREFIX": f"{args.prefix}-{side}:"}  # noqa: E731
    with ExitStack() as stack:
        warm = stack.enter_context(ours(f"{args.prefix}-warm", args.port_base, database, redis=True,
                                        local_mb=local_mb, extra=named("warm")))
        other = stack.enter_context(isso(args.port_base + 1, WORK / "isso.db"))
        lite = stack.enter_context(ours(f"{args.prefix}-sqlite", args.port_base + 2, embedded, redis=False,
                                        local_mb=local_mb, production=False, extra=named("sqlite"))) \
            if embedded else None
        members = [token(warm.base, f"bench{i}@bench.example", PASSWORD) for i in range(10)]
        bearer = lambda i: {"Authorization": f"Bearer {members[i % len(members)]}"}  # noqa: E731
        body = lambda i: {"body": f"Posting check {_words(fresh + i)} about ward rounds."}  # noqa: E731
        sides = {"ours": (f"{warm.base}/api/v1/articles/bench-posting/comments", body, bearer)}
        if args.floors:
            sides["floor: insert + commit"] = (f"{warm.base}/bench/floor/insert/bench-posting", body, bearer)
            sides["floor: echo"] = (f"{warm.base}/bench/floor/echo", body, bearer)
        if lite is not None:
            lite_members = [token(lite.base, f"bench{i}@bench.example", PASSWORD) for i in range(10)]
            sides["ours on SQLite"] = (
                f"{lite.base}/api/v1/articles/bench-posting/comments",
                body,
                lambda i: {"Authorization": f"Bearer {lite_members[i % len(lite_members)]}"},
            )
        sides["isso"] = (
            f"{other.base}/new?uri=/bench-posting",
            lambda i: {"text": f"Posting check {_words(fresh + i)} about ward rounds.", "author": "Bench"},
            lambda i: {},
        )
        found = posting_side_by_side(sides, blocks=args.blocks, per_block=args.per_block)
    floor = "floor: insert + commit"
    for name in sides:
        line = (f"{name}: median {statistics.median(found[name]):.2f} ms over {len(found[name])} posts, "
                f"/ Isso's (median of {args.blocks} block ratios) {statistics.median(found['ratios'][name]):.2f}")
        if floor in sides:
            per_block = [ours_ / floored for ours_, floored in zip(found["ratios"][name], found["ratios"][floor],
                                                                   strict=True)]
            line += f", / the insert floor's {statistics.median(per_block):.2f}"
        print(line)
    after = os.getloadavg()
    print(f"load average before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, "
          f"after {after[0]:.2f} {after[1]:.2f} {after[2]:.2f}")


if __name__ == "__main__":
    main()
