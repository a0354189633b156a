"""The thread page with each reading option, cold and warm, side by side in one run (issue 22).

    .venv/bin/python bench/thread_options.py [--duration 5] [--runs 3]

One 1,000-comment thread (bench/workload.py) in its own PostgreSQL database (`forum_bench_options`,
loaded once through the services, its 50 commenters then given nine different roles), served by two
gunicorn set-ups from bench/servers.py: **cold** (no cache: every read builds the page) and **warm**
(Redis and each worker's copies). Each option is read by an anonymous reader on both, and by a
logged-in member (never cached) on cold, with "New" markers from a visit two hours earlier. Every
figure is the median of ``--runs`` wrk runs (-t2 -c4); the ratios compare each option with the
default page measured in the same run.
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
from load import PASSWORD, analyze, load_forum_thread  # noqa: E402
from measure import request, session_cookie, wrk  # noqa: E402
from run import clear_redis, ensure_database, ensure_tools  # noqa: E402
from servers import WORK, ours  # noqa: E402
from workload import thread  # noqa: E402

ROLES = ("patient", "carer", "patient_leader", "clinician", "ned", "manager", "researcher", "staff", "other")
SLUG = "bench-1000"
OPTIONS = {
    "default (oldest first)": "",
    "newest first": "?sort=newest",
    "most replies": "?sort=replies",
    "patients' and carers' voices": "?roles=carer,patient,patient_leader",
    "most replies, clinicians only": "?sort=replies&roles=clinician",
}


def prepare(database: str) -> int:
    """Load the thread once, give its commenters nine roles; return a deep reply's id (a permalink)."""
    load_forum_thread(database, SLUG, thread(1000))
    with psycopg.connect(database, autocommit=True) as conn:
        conn.execute(
            "UPDATE profiles SET role = (ARRAY[" + ",".join(f"'{r}'" for r in ROLES) + "])[1 + id % 9]"
            " WHERE id IN (SELECT profile_id FROM users WHERE email LIKE 'bench%@bench.example')"
        )
        # Spread the comments over the last week (ten minutes apart), so a visit two hours ago has a
        # dozen comments "New" after it.
        conn.execute(
            "UPDATE comments c SET created_at = now() - interval '10 minutes' * (m.top - c.id),"
            " decided_at = CASE WHEN c.decided_at IS NULL THEN NULL ELSE now() - interval '10 minutes' * (m.top - c.id) END"
            " FROM (SELECT max(c2.id) AS top FROM comments c2 JOIN articles a ON a.id = c2.article_id WHERE a.slug = %s) m"
            " WHERE c.article_id = (SELECT id FROM articles WHERE slug = %s)",
            (SLUG, SLUG),
        )
        conn.execute("UPDATE articles SET thread_version = thread_version + 1 WHERE slug = %s", (SLUG,))
        deep = conn.execute(
            "SELECT c.id FROM comments c JOIN articles a ON a.id = c.article_id WHERE a.slug = %s AND c.depth >= 2"
            " ORDER BY c.id LIMIT 1",
            (SLUG,),
        ).fetchone()
    analyze(database)
    return int(deep[0]) if deep else 0


def age_visits(database: str) -> None:
    """Make the member's last visit two hours old, so the next read is a new visit with "New" marks."""
    with psycopg.connect(database, autocommit=True) as conn:
        conn.execute("UPDATE thread_visits SET seen_at = now() - interval '2 hours'")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    ensure_tools()
    clear_redis()
    database = ensure_database("forum_bench_options")
    deep = prepare(database)
    options = {**OPTIONS, "a permalink's page (?comment=, conversation opened)": f"?comment={deep}"}
    load_before = os.getloadavg()
    results: dict[str, dict[str, list[float]]] = {}
    with ExitStack() as stack:
        cold = stack.enter_context(ours("options-cold", 8311, database, redis=False, local_mb=0))
        warm = stack.enter_context(ours("options-warm", 8312, database, redis=True, local_mb=32))
        member = {"Cookie": session_cookie(cold.base, "bench0@bench.example", PASSWORD)}
        for query in options.values():
            request(f"{warm.base}/articles/{SLUG}{query}")  # fill the caches
            request(f"{cold.base}/articles/{SLUG}{query}", headers=member)  # record the member's visit
        for _ in range(args.runs):
            for label, query in options.items():
                url = f"/articles/{SLUG}{query}"
                for case, base, headers in (
                    ("anonymous, cold", cold.base, None),
                    ("anonymous, warm", warm.base, None),
                    ("member, cold", cold.base, member),
                ):
                    if case == "member, cold":
                        age_visits(database)  # every member read is a return visit: "New" marks and count
                    found = wrk(base + url, args.duration, headers)
                    results.setdefault(label, {}).setdefault(case, []).append(found["rps"])
    load_after = os.getloadavg()
    cases = ("anonymous, cold", "anonymous, warm", "member, cold")
    default = {case: statistics.median(results["default (oldest first)"][case]) for case in cases}
    print(f"\n`bench/thread_options.py --duration {args.duration} --runs {args.runs}`, "
          f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, load average before "
          f"{load_before[0]:.2f}, after {load_after[0]:.2f}. Requests/s (median of {args.runs} runs) and the "
          "ratio to the default page in the same run.\n")
    print("| 1,000-comment thread page | " + " | ".join(cases) + " |")
    print("|---|" + "---|" * len(cases))
    for label in options:
        cells: list[str] = []
        for case in cases:
            rps = statistics.median(results[label][case])
            cells.append(f"{rps:.0f}/s ({rps / default[case]:.2f} ×)")
        print(f"| {label} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()

