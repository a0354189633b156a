"""Measure the forum side by side with a ceiling and with Isso 0.14, as production serves them.

    .venv/bin/python bench/run.py [--sizes 100 1000 10000] [--duration 10] [--runs 3] [--big]

Needs wrk (Debian package), PostgreSQL at 127.0.0.1:5432 and Redis at 127.0.0.1:6379. Servers run
under gunicorn with 2 sync workers on 127.0.0.1; every load is bounded (wrk -t2 -c4 -dNs). Each run
measures every case once, one after the other, so the ratios compare figures taken seconds apart;
the report gives medians over the runs. Results go to bench/results/<time>.json, and the Markdown
tables docs/performance.md uses are printed (and saved next to the JSON).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
import redis  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from load import PASSWORD, analyze, load_big, load_forum_thread, load_pending  # noqa: E402
from measure import RssSampler, load, posting_side_by_side, request, session_cookie, token, wrk  # noqa: E402
from plans import markdown as plans_markdown  # noqa: E402
from plans import plans  # noqa: E402
from report import markdown  # noqa: E402
from servers import ISSO_VENV, REDIS, WORK, isso, ours  # noqa: E402
from workload import thread  # noqa: E402

from forum import create_app  # noqa: E402
from forum.platform import cursors  # noqa: E402

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
POSTING_BLOCKS_PER_RUN = 10  # of 10 posts each, alternating ours and Isso's


def sh(*args: str, **kw: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, check=True, text=True, capture_output=True, **kw)


def ensure_tools() -> None:
    if not shutil.which("wrk"):
        sh("apt-get", "install", "-y", "-qq", "wrk")
    ensure_isso()


def ensure_isso() -> None:
    if not (ISSO_VENV / "bin" / "gunicorn").exists():
        sh(sys.executable, "-m", "venv", str(ISSO_VENV))
        sh(str(ISSO_VENV / "bin" / "pip"), "install", "-q", "isso==0.14.0", "gunicorn")


def ensure_database(name: str) -> str:
    """Create the database if needed and bring its schema up to date (data already there is kept)."""
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql://postgres@127.0.0.1:5432/{name}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
    return url


def clear_redis() -> None:
    """Forget every bench server's cached copies (a re-created database reuses article ids)."""
    client = redis.Redis.from_url(REDIS)
    for key in client.scan_iter("bench-*"):
        client.delete(key)


def median_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "rps": statistics.median(r["rps"] for r in runs),
        "p50_ms": statistics.median(r["p50_ms"] for r in runs),
        "runs": [r["rps"] for r in runs],
        **({"method": runs[0]["method"]} if "method" in runs[0] else {}),
    }


def measure_threads(args: argparse.Namespace, database: str, isso_db: Path, results: dict[str, Any]) -> None:
    """Every thread case for each N, plus posting, lists, queue and memory, in one set of servers."""
    with ExitStack() as stack:
        cold = stack.enter_context(ours("cold", 8301, database, redis=False, local_mb=0))
        warm = stack.enter_context(ours("warm", 8302, database, redis=True, local_mb=32))
        local = stack.enter_context(ours("local", 8304, database, redis=False, local_mb=32))
        isso_server = stack.enter_context(isso(8303, isso_db))
        for n in args.sizes:
            page, full, html = (f"/api/v1/articles/bench-{n}/comments", f"/api/v1/articles/bench-{n}/comments?limit=1000",
                                f"/articles/bench-{n}")
            for base in (warm.base, local.base):
                for path in (page, full, html):
                    request(base + path)  # fill the caches
            etag = request(warm.base + page)[1]["ETag"]
            local_etag = request(local.base + page)[1]["ETag"]
            cases = {
                "ceiling_json": (f"{warm.base}/bench/ceiling{page}", None, 200),
                "cold_json": (cold.base + page, None, 200),
                "warm_json": (warm.base + page, None, 200),
                "local_json": (local.base + page, None, 200),
                "ceiling_full": (f"{warm.base}/bench/ceiling{full}", None, 200),
                "cold_full": (cold.base + full, None, 200),
                "warm_full": (warm.base + full, None, 200),
                "ceiling_html": (f"{warm.base}/bench/ceiling{html}", None, 200),
                "cold_html": (cold.base + html, None, 200),
                "warm_html": (warm.base + html, None, 200),
                "ceiling_304": (f"{warm.base}/bench/ceiling{page}", {"If-None-Match": etag}, 304),
                "warm_304": (warm.base + page, {"If-None-Match": etag}, 304),
                "local_304": (local.base + page, {"If-None-Match": local_etag}, 304),
                "isso": (f"{isso_server.base}/?uri=/bench-{n}", None, 200),
            }
            runs: dict[str, list[dict[str, Any]]] = {key: [] for key in cases}
            for _ in range(args.runs):
                for key, (url, headers, expect) in cases.items():
                    runs[key].append(load(url, args.duration, headers, expect))
            results["sizes"][str(n)] = {key: median_of(found) for key, found in runs.items()}
            print(f"N={n}: " + ", ".join(f"{k} {v['rps']:.1f}/s" for k, v in results["sizes"][str(n)].items()),
                  flush=True)

        # Ten members take turns: one account posting 150 comments in minutes is not a real workload,
        # and the policy's duplicate check reads what the author posted in the last minutes.
        members = [token(warm.base, f"bench{i}@bench.example", PASSWORD) for i in range(10)]
        slug = "bench-posting"
        fresh = fresh_words_base()
        results["post_ms"] = posting_side_by_side(
            {
                "ours": (
                    f"{warm.base}/api/v1/articles/{slug}/comments",
                    lambda i: {"body": f"Benchmark post {_words(fresh + i)} about ward rounds."},
                    lambda i: {"Authorization": f"Bearer {members[i % len(members)]}"},
                ),
                # What any post costs in this stack before the forum's own work (bench_app.py).
                "floor: token + insert + commit": (
                    f"{warm.base}/bench/floor/insert/{slug}",
                    lambda i: {"body": f"Benchmark floor {_words(fresh + i)}."},
                    lambda i: {"Authorization": f"Bearer {members[i % len(members)]}"},
                ),
                "floor: JSON echo": (f"{warm.base}/bench/floor/echo", lambda i: {"body": "echo"}, lambda i: {}),
                "isso": (
                    f"{isso_server.base}/new?uri=/{slug}",
                    lambda i: {"text": f"Benchmark post {_words(fresh + i)} about ward rounds.", "author": "Bench"},
                    lambda i: {},
                ),
            },
            blocks=POSTING_BLOCKS_PER_RUN * args.runs,
        )
        moderator = token(warm.base, "moderator0@bench.example", PASSWORD)
        cookie = session_cookie(warm.base, "moderator0@bench.example", PASSWORD)
        list_cases = {
            "article list, JSON (page 1)": (f"{cold.base}/api/v1/articles", None),
            "article list, HTML (page 1)": (f"{cold.base}/", None),
            "moderation queue with 1,000 pending, JSON (200 oldest)": (
                f"{cold.base}/api/v1/moderation/queue", {"Authorization": f"Bearer {moderator}"}),
            "moderation queue with 1,000 pending, HTML (page 1 of 40)": (
                f"{warm.base}/moderation", {"Cookie": cookie}),
        }
        results["lists"] = {
            key: median_of([wrk(url, args.duration, headers) for _ in range(args.runs)])
            for key, (url, headers) in list_cases.items()
        }
        if 10000 in args.sizes:
            results["rss"] = {}
            for label, server, path in (
                ("cold, whole thread by pages of 1,000 (limit=1000)", cold, "/api/v1/articles/bench-10000/comments?limit=1000"),
                ("cold, default page (50 top-level)", cold, "/api/v1/articles/bench-10000/comments"),
                ("cold, HTML page", cold, "/articles/bench-10000"),
                ("warm (Redis + in-process), whole thread by pages of 1,000", warm,
                 "/api/v1/articles/bench-10000/comments?limit=1000"),
            ):
                with RssSampler(server) as sampler:
                    wrk(server.base + path, args.duration)
                results["rss"][label] = sampler.peak_mb()


def fresh_words_base(room: int = 1000) -> int:
    """A first index for _words that no run in the last hours used (the duplicate rule would hold a repeat)."""
    return (int(time.time()) // 10 % 400) * room


def _words(i: int) -> str:
    """A distinct phrase per post (the duplicate rule holds repeats), without digits (no false phone numbers)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    return "".join(letters[(i // 26**k) % 26] for k in range(4)) + " " + letters[i % 7] * 3


def measure_big(args: argparse.Namespace, results: dict[str, Any]) -> None:
    """The same reads on 100 articles x 100 comments and on 10,000 x 100: indexes, not scans."""
    small = ensure_database("forum_bench_10k")
    large = ensure_database("forum_bench_big")
    for url, count in ((small, 100), (large, 10_000)):
        load_forum_thread(url, "bench-seed", thread(10))  # profiles for the bulk rows to point at
        results.setdefault("big_load_seconds", {})[str(count)] = round(load_big(url, articles_count=count), 1)
    cases = {}
    for name, url, count in (("small", small, 100), ("large", large, 10_000)):
        last_page = math.ceil((count + 1) / 20)  # + the seed article
        cases[name] = {
            "thread": f"/api/v1/articles/big-{count // 2}/comments",
            "list_first": "/api/v1/articles",
            "list_last": f"/api/v1/articles?page={last_page}",
            "list_last_cursor": f"/api/v1/articles?after={_cursor_before_page(url, last_page)}",
        }
    with ours("bigsmall", 8311, small, redis=False, local_mb=0) as s, \
            ours("biglarge", 8312, large, redis=False, local_mb=0) as b:
        runs: dict[str, dict[str, list[dict[str, Any]]]] = {"small": {}, "large": {}}
        for _ in range(args.runs):
            for key in cases["small"]:
                for name, server in (("small", s), ("large", b)):
                    runs[name].setdefault(key, []).append(wrk(server.base + cases[name][key], args.duration))
    big: dict[str, Any] = {"small": {}, "large": {}, "ratios": {}}
    for name in ("small", "large"):
        big[name] = {key: median_of(found) for key, found in runs[name].items()}
    for key in cases["small"]:
        big["ratios"][key] = statistics.median(
            s_run["rps"] / l_run["rps"] for s_run, l_run in zip(runs["small"][key], runs["large"][key], strict=True)
        )
    big["paths"] = cases
    results["big"] = big
    found = plans(large, [cases["large"]["thread"], cases["large"]["thread"] + "?limit=1000",
                          cases["large"]["list_first"], cases["large"]["list_last"],
                          cases["large"]["list_last_cursor"]])
    results["plans"] = plans_markdown(found)


def _cursor_before_page(url: str, page: int, per_page: int = 20) -> str:
    """The next_cursor a reader holds after following "Older articles" to just before ``page``."""
    with psycopg.connect(url) as conn:
        when, number = conn.execute(
            "SELECT created_at, id FROM articles WHERE published ORDER BY created_at DESC, id DESC"
            " OFFSET %s LIMIT 1",
            ((page - 1) * per_page - 1,),
        ).fetchone()
    return cursors.encode(when, number)


def machine() -> dict[str, Any]:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    memory = next((line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")), "0")
    return {
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "memory_gb": round(int(memory) / 1024 / 1024, 1),
        "python": sys.version.split()[0],
        "postgres": sh("psql", "--version").stdout.strip(),
        "redis": sh("redis-server", "--version").stdout.split()[2] if shutil.which("redis-server") else "?",
        "load_average_at_start": os.getloadavg(),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--big", action="store_true", help="also compare 10,000 articles / 1,000,000 comments")
    parser.add_argument("--only-big", action="store_true", help="only the large-database comparison")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    ensure_tools()
    clear_redis()
    results: dict[str, Any] = {"started": datetime.now(UTC).isoformat(timespec="seconds"), "machine": machine(),
                               "command": " ".join(sys.argv), "sizes": {}}
    if not args.only_big:
        database = ensure_database("forum_bench")
        isso_db = WORK / "isso.db"
        for n in args.sizes:
            seconds = load_forum_thread(database, f"bench-{n}", thread(n))
            results.setdefault("load_seconds", {})[str(n)] = round(seconds, 1)
            sh(str(ISSO_VENV / "bin/python"), str(HERE / "isso_load.py"), str(isso_db), f"/bench-{n}", str(n), cwd=HERE)
        load_pending(database, "bench-queue")
        load_forum_thread(database, "bench-posting", thread(1))  # posts go here, so the measured threads keep N
        sh(str(ISSO_VENV / "bin/python"), str(HERE / "isso_load.py"), str(isso_db), "/bench-posting", "1", cwd=HERE)
        analyze(database)
        measure_threads(args, database, isso_db, results)
    if args.big or args.only_big:
        measure_big(args, results)
    results["machine"]["load_average_at_end"] = os.getloadavg()
    stamp = f"{datetime.now(UTC):%Y%m%dT%H%M%S}"
    out = HERE / "results" / f"{stamp}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    text = markdown(results) + ("\n\n### Query plans\n\n" + results["plans"] if "plans" in results else "")
    (HERE / "results" / f"{stamp}.md").write_text(text)
    print(text)
    print(f"\nsaved {out} and {out.with_suffix('.md')}")


if __name__ == "__main__":
    main()
