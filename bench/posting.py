"""Measure only posting, ours against Isso 0.14, as bench/run.py does (for quick iterations).

    .venv/bin/python bench/posting.py [--rounds 3] [--posts 50]

Uses the databases bench/run.py loaded (run it once first); starts the warm server and Isso on
127.0.0.1, posts sequentially in alternating rounds, prints the medians.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from load import PASSWORD  # noqa: E402
from measure import posting, token  # noqa: E402
from run import _words, ensure_database  # noqa: E402
from servers import WORK, isso, ours  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--posts", type=int, default=50)
    args = parser.parse_args()
    database = ensure_database("forum_bench")
    times: dict[str, list[float]] = {"ours": [], "isso": []}
    local_mb = int(os.environ.get("BENCH_LOCAL_MB", "32"))
    with ours("warm", 8302, database, redis=True, local_mb=local_mb) as warm, isso(8303, WORK / "isso.db") as other:
        members = [token(warm.base, f"bench{i}@bench.example", PASSWORD) for i in range(10)]
        for round_ in range(args.rounds):
            times["ours"] += posting(
                f"{warm.base}/api/v1/articles/bench-posting/comments",
                lambda i, r=round_: {"body": f"Posting check {_words(r * 1000 + i + 500_000)} about ward rounds."},
                lambda i: {"Authorization": f"Bearer {members[i % len(members)]}"},
                args.posts,
            )
            times["isso"] += posting(
                f"{other.base}/new?uri=/bench-posting",
                lambda i, r=round_: {"text": f"Posting check {_words(r * 1000 + i)} about ward rounds.",
                                     "author": "Bench"},
                lambda i: {},
                args.posts,
            )
    for name, found in times.items():
        print(f"{name}: median {statistics.median(found):.1f} ms over {len(found)} posts")


if __name__ == "__main__":
    main()
