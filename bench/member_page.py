"""A member's thread page against a stranger's, and against the code before the overlay, in one run (issue 23).

    .venv/bin/python bench/member_page.py [--duration 5] [--runs 3] [--baseline c9f2d00]

The 1,000-comment thread of bench/thread_options.py (its own PostgreSQL database `forum_bench_overlay`,
commenters in nine roles, comments spread over a week). Two set-ups from bench/servers.py: **cold**
(no cache: every read builds the page) and **warm** (Redis and each worker's copies: anonymous pages
from the thread cache, members' from the frame with their marks, forum/discussion/web/overlay.py).
A member is logged in through the form and comes back after two hours before every run, so their page
has "New" marks and the count above the thread; their own comments and thanks are on the page. With
``--baseline REF`` the same two set-ups also run that commit's code (bench/mixed_load.py ``checkout``) on
the same database. Cases take turns within each run; figures are medians of ``--runs`` wrk runs
(-t2 -c4) and ratios are taken within each run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import psycopg  # noqa: E402
from load import PASSWORD  # noqa: E402
from measure import request, session_cookie, wrk  # noqa: E402
from run import clear_redis, ensure_database, ensure_tools  # noqa: E402
from mixed_load import check_code, check_schema, checkout  # noqa: E402
from servers import WORK, ours  # noqa: E402
from thread_options import SLUG, age_visits, prepare  # noqa: E402

MEMBER = "bench0@bench.example"


def thank_some(database: str) -> None:
    """The member said three comments on the first page helped them (their page shows it)."""
    with psycopg.connect(database, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO comment_thanks (comment_id, user_id, created_at)"
            " SELECT c.id, u.id, now() FROM comments c, users u WHERE u.email = %s"
            " AND c.author_id <> u.profile_id AND c.article_id = (SELECT id FROM articles WHERE slug = %s)"
            " ORDER BY c.id LIMIT 3 ON CONFLICT DO NOTHING",
            (MEMBER, SLUG),
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", help="also serve this commit's code (e.g. the one before the overlay)")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    ensure_tools()
    clear_redis()
    database = ensure_database("forum_bench_overlay")
    prepare(database)
    thank_some(database)
    url = f"/articles/{SLUG}"
    load_before = os.getloadavg()
    results: dict[str, list[float]] = {}
    with ExitStack() as stack:
        servers = {
            "": (stack.enter_context(ours("overlay-cold", 8481, database, redis=False, local_mb=0)),
                 stack.enter_context(ours("overlay-warm", 8482, database, redis=True, local_mb=32))),
        }  # fmt: skip
        if args.baseline:
            root = checkout(args.baseline)  # bench/mixed_load.py: the same checkout, schema and code checks
            check_schema(root)
            servers["baseline "] = (
                stack.enter_context(ours("overlay-base-cold", 8483, database, redis=False, local_mb=0, root=root)),
                stack.enter_context(ours("overlay-base-warm", 8484, database, redis=True, local_mb=32, root=root)),
            )
            for server in servers["baseline "]:
                check_code(server, root)
        member = {"Cookie": session_cookie(servers[""][0].base, MEMBER, PASSWORD)}
        cases = []
        for label, (cold, warm) in servers.items():
            cases += [
                (f"{label}anonymous, warm", warm.base, None),
                (f"{label}member, warm", warm.base, member),
                (f"{label}anonymous, cold", cold.base, None),
                (f"{label}member, cold", cold.base, member),
            ]
        for _, base, headers in cases:
            request(base + url, headers=headers)  # fill the caches, record the member's visit
        for _ in range(args.runs):
            for name, base, headers in cases:
                if headers is not None:
                    age_visits(database)  # a return visit: "New" marks and the count above the thread
                    request(base + url, headers=headers)
                results.setdefault(name, []).append(wrk(base + url, args.duration, headers)["rps"])
    load_after = os.getloadavg()

    def ratio(top: str, bottom: str) -> str:
        if top not in results or bottom not in results:
            return "–"
        return f"{statistics.median(a / b for a, b in zip(results[top], results[bottom], strict=True)):.2f} ×"

    print(f"\n`bench/member_page.py --duration {args.duration} --runs {args.runs}"
          f"{' --baseline ' + args.baseline if args.baseline else ''}`, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
          f"{os.cpu_count()} cores, load average before {load_before[0]:.2f}, after {load_after[0]:.2f}. "
          f"The 1,000-comment thread's first page, requests/s (median of {args.runs} runs).\n")
    print("| case | requests/s |\n|---|---|")
    for name in results:
        print(f"| {name} | {statistics.median(results[name]):.0f} |")
    print("\n| ratio | figure | target |\n|---|---|---|")
    print(f"| member warm / anonymous warm | {ratio('member, warm', 'anonymous, warm')} | ≥ 0.5 × |")
    print(f"| member cold / anonymous cold | {ratio('member, cold', 'anonymous, cold')} | |")
    print(f"| member cold / baseline member cold | {ratio('member, cold', 'baseline member, cold')} | ≥ 2 × |")
    print(f"| member warm / baseline member warm | {ratio('member, warm', 'baseline member, warm')} | |")


if __name__ == "__main__":
    main()
