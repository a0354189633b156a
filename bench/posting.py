"""Measure only posting, ours against Isso 0.14, as bench/run.py does (for quick iterations).

    .venv/bin/python bench/posting.py [--blocks 30] [--per-block 10]

Uses the databases bench/run.py loaded (run it once first); starts the warm server and Isso on
127.0.0.1, posts sequentially in short alternating blocks, prints the medians and the median of
the per-block ratios.
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
from run import _words, ensure_database, fresh_words_base  # noqa: E402
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
    args = parser.parse_args()
    database = ensure_database("forum_bench")
    local_mb = int(os.environ.get("BENCH_LOCAL_MB", "32"))
    fresh = fresh_words_base(room=args.blocks * args.per_block)
    embedded = ensure_sqlite(WORK / "forum-posting.db") if args.sqlite else None
    with ExitStack() as stack:
        warm = stack.enter_context(ours("warm", 8302, database, redis=True, local_mb=local_mb))
        other = stack.enter_context(isso(8303, WORK / "isso.db"))
        lite = stack.enter_context(ours("sqlite", 8306, embedded, redis=False, local_mb=local_mb, production=False)) \
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
    for name in sides:
        print(f"{name}: median {statistics.median(found[name]):.2f} ms over {len(found[name])} posts, "
              f"/ Isso's (median of {args.blocks} block ratios) {statistics.median(found['ratios'][name]):.2f}")


if __name__ == "__main__":
    main()
