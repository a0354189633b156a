"""Measure the forum side by side with a ceiling and with Isso 0.14, as production serves them.

    .venv/bin/python bench/run.py [--sizes 100 1000 10000] [--duration 5] [--runs 3] [--big]

Needs wrk (Debian package), PostgreSQL at 127.0.0.1:5432 and Redis at 127.0.0.1:6379. Servers run
under gunicorn with 2 sync workers on 127.0.0.1; every load is bounded (wrk -t2 -c4 -dNs, 3 runs,
median). Results go to bench/results/<time>.json and a Markdown table on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from forum import create_app  # noqa: E402
from load import PASSWORD, load_big, load_forum_thread, load_pending  # noqa: E402
from workload import thread  # noqa: E402

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS = "redis://127.0.0.1:6379/0"
ISSO_VENV = HERE / ".isso-venv"
WORK = Path(os.environ.get("BENCH_WORK", "/tmp/forum-bench"))


def sh(*args: str, **kw: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, check=True, text=True, capture_output=True, **kw)


def ensure_tools() -> None:
    if not shutil.which("wrk"):
        sh("apt-get", "install", "-y", "-qq", "wrk")
    if not (ISSO_VENV / "bin" / "gunicorn").exists():
        sh(sys.executable, "-m", "venv", str(ISSO_VENV))
        sh(str(ISSO_VENV / "bin" / "pip"), "install", "-q", "isso==0.14.0", "gunicorn")


def ensure_database(name: str) -> str:
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql://postgres@127.0.0.1:5432/{name}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
    return url


@contextmanager
def gunicorn(name: str, argv: list[str], env: dict[str, str], port: int, cwd: Path) -> Any:
    log = (WORK / f"{name}.log").open("w")
    process = subprocess.Popen(argv, cwd=cwd, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + env.get("BENCH_PROBE", "/healthz"), timeout=2)
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def ours(name: str, port: int, database: str, redis: bool) -> Any:
    env = {"FORUM_ENV": "production", "SECRET_KEY": "bench-secret", "DATABASE_URL": database, "PORT": str(port),
           "WEB_CONCURRENCY": "2", "TRUST_AFTER_APPROVED": "0", "RATELIMIT_POST_ACCOUNT": "100000 per minute",
           "RATELIMIT_LOGIN_IP": "100000 per minute", "RATELIMIT_LOGIN_ACCOUNT": "100000 per minute",
           "REDIS_PREFIX": f"bench-{name}:", "RATELIMIT_STORAGE_URI": REDIS}
    if redis:
        env["REDIS_URL"] = REDIS
    argv = [str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "--pythonpath", "bench", "bench_app:app"]
    return gunicorn(name, argv, env, port, ROOT)


def isso(port: int, db_path: Path) -> Any:
    cfg = WORK / "isso.cfg"
    cfg.write_text(f"[general]\ndbpath = {db_path}\nhost = http://127.0.0.1:{port}/\n"
                   "[moderation]\nenabled = false\n[guard]\nenabled = false\n"
                   f"[server]\nlisten = http://127.0.0.1:{port}/\n")
    argv = [str(ISSO_VENV / "bin/gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "--preload", "isso.run"]
    return gunicorn("isso", argv, {"ISSO_SETTINGS": str(cfg), "BENCH_PROBE": "/info"}, port, WORK)


def wrk(url: str, duration: int, runs: int, headers: dict[str, str] | None = None) -> dict[str, float]:
    """Median requests/s and latency over ``runs`` bounded wrk runs."""
    rates, latencies = [], []
    for _ in range(runs):
        argv = ["wrk", "-t2", "-c4", f"-d{duration}s", "--latency"]
        for k, v in (headers or {}).items():
            argv += ["-H", f"{k}: {v}"]
        out = sh(*argv, url).stdout
        rates.append(float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)))
        value, unit = re.search(r"50%\s+([\d.]+)(us|ms|s)", out).groups()
        latencies.append(float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit])
        non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        if non2xx:
            raise RuntimeError(f"{url}: {non2xx.group(1)} error responses\n{out}")
    return {"rps": statistics.median(rates), "p50_ms": statistics.median(latencies), "runs": rates}


def request(url: str, method: str = "GET", data: Any = None, headers: dict[str, str] | None = None) -> Any:
    body = json.dumps(data).encode() if data is not None else None
    req = urllib.request.Request(url, data=body, method=method,
                                 headers={"Content-Type": "application/json", **(headers or {})})
    with urllib.request.urlopen(req, timeout=30) as answer:
        return answer.status, dict(answer.headers), answer.read()


def token(base: str, email: str) -> str:
    return json.loads(request(base + "/api/v1/tokens", "POST", {"email": email, "password": PASSWORD})[2])["token"]


def posting(url: str, make: Any, headers: dict[str, str], count: int = 100) -> float:
    """Median latency (ms) of ``count`` sequential posts."""
    times = []
    for i in range(count):
        started = time.perf_counter()
        request(url, "POST", make(i), headers)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--big", action="store_true", help="also build and measure 10,000 articles / 1,000,000 comments")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    ensure_tools()
    results: dict[str, Any] = {"started": datetime.now(UTC).isoformat(), "machine": machine(), "sizes": {}}
    database = ensure_database("forum_bench")
    isso_db = WORK / "isso.db"
    for n in args.sizes:
        seconds = load_forum_thread(database, f"bench-{n}", thread(n))
        results.setdefault("load_seconds", {})[n] = round(seconds, 1)
        sh(str(ISSO_VENV / "bin/python"), str(HERE / "isso_load.py"), str(isso_db), f"/bench-{n}", str(n), cwd=HERE)
    load_pending(database, "bench-queue")
    load_forum_thread(database, "bench-posting", thread(1))  # posts go here, so the measured threads keep N
    sh(str(ISSO_VENV / "bin/python"), str(HERE / "isso_load.py"), str(isso_db), "/bench-posting", "1", cwd=HERE)

    with ours("cold", 8301, database, redis=False) as cold, ours("warm", 8302, database, redis=True) as warm, \
            isso(8303, isso_db) as isso_base:
        for n in args.sizes:
            path = f"api/v1/articles/bench-{n}/comments"
            full = f"{path}?limit=1000"
            row: dict[str, Any] = {}
            request(f"{warm}/{path}")  # fill the cache
            request(f"{warm}/{full}")
            request(f"{warm}/articles/bench-{n}")
            etag = request(f"{warm}/{path}")[1]["ETag"]
            row["ceiling_json"] = wrk(f"{warm}/bench/ceiling/{path}", args.duration, args.runs)
            row["cold_json"] = wrk(f"{cold}/{path}", args.duration, args.runs)
            row["cold_json_full"] = wrk(f"{cold}/{full}", args.duration, args.runs)
            row["warm_json"] = wrk(f"{warm}/{path}", args.duration, args.runs)
            row["not_modified"] = wrk(f"{warm}/{path}", args.duration, args.runs, {"If-None-Match": etag})
            row["cold_html"] = wrk(f"{cold}/articles/bench-{n}", args.duration, args.runs)
            row["warm_html"] = wrk(f"{warm}/articles/bench-{n}", args.duration, args.runs)
            row["isso_json"] = wrk(f"{isso_base}/?uri=/bench-{n}", args.duration, args.runs)
            results["sizes"][n] = row
            print(f"N={n}: " + ", ".join(f"{k} {v['rps']:.0f}/s" for k, v in row.items()), flush=True)
        member = token(warm, "bench0@bench.example")
        slug = "bench-posting"
        results["post_ms"] = {
            "ours": posting(f"{warm}/api/v1/articles/{slug}/comments",
                            lambda i: {"body": f"Benchmark post number {chr(97 + i % 26)} {i} about ward rounds."},
                            {"Authorization": f"Bearer {member}"}),
            "isso": posting(f"{isso_base}/new?uri=/{slug}",
                            lambda i: {"text": f"Benchmark post number {i} about ward rounds.", "author": "Bench"},
                            {}),
        }
        results["article_list"] = wrk(f"{warm}/api/v1/articles", args.duration, args.runs)
        moderator = token(warm, "moderator0@bench.example")
        results["queue_1000_pending"] = wrk(f"{warm}/api/v1/moderation/queue", args.duration, args.runs,
                                            {"Authorization": f"Bearer {moderator}"})
    if args.big:
        big = ensure_database("forum_bench_big")
        load_forum_thread(big, "bench-seed", thread(10))  # profiles for the bulk rows to point at
        results["big_load_seconds"] = round(load_big(big), 1)
        with ours("bigcold", 8311, big, redis=False) as cold, ours("bigwarm", 8312, big, redis=True) as warm:
            path = "api/v1/articles/big-5000/comments"
            request(f"{warm}/{path}")
            results["big"] = {
                "cold_json": wrk(f"{cold}/{path}", args.duration, args.runs),
                "warm_json": wrk(f"{warm}/{path}", args.duration, args.runs),
                "article_list_page_1": wrk(f"{cold}/api/v1/articles", args.duration, args.runs),
                "article_list_page_400": wrk(f"{cold}/api/v1/articles?page=400", args.duration, args.runs),
            }
    out = HERE / "results" / f"{datetime.now(UTC):%Y%m%dT%H%M%S}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(report(results))
    print(f"\nsaved {out}")


def machine() -> dict[str, Any]:
    return {"cpus": os.cpu_count(), "python": sys.version.split()[0],
            "postgres": sh("psql", "--version").stdout.strip(), "wrk": "wrk -t2 -c4 (bounded)"}


def report(r: dict[str, Any]) -> str:
    lines = ["| N | ceiling | cold JSON (page) | cold JSON (all) | warm JSON | 304 | cold HTML | warm HTML | Isso | "
             "warm/ceiling | 304/ceiling | cold/Isso | cold all/Isso | cold HTML time / cold JSON time |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for n, row in r["sizes"].items():
        rps = {k: v["rps"] for k, v in row.items()}
        lines.append(
            f"| {n} | {rps['ceiling_json']:.0f} | {rps['cold_json']:.0f} | {rps['cold_json_full']:.0f} | "
            f"{rps['warm_json']:.0f} | {rps['not_modified']:.0f} | {rps['cold_html']:.0f} | {rps['warm_html']:.0f} | "
            f"{rps['isso_json']:.1f} | {rps['warm_json'] / rps['ceiling_json']:.0%} | "
            f"{rps['not_modified'] / rps['ceiling_json']:.0%} | {rps['cold_json'] / rps['isso_json']:.1f}x | "
            f"{rps['cold_json_full'] / rps['isso_json']:.1f}x | {rps['cold_json'] / rps['cold_html']:.2f} |"
        )
    lines.append("")
    lines.append(f"Posting (median of 100 sequential): ours {r['post_ms']['ours']:.1f} ms, Isso {r['post_ms']['isso']:.1f} ms")
    lines.append(f"Article list: {r['article_list']['rps']:.0f}/s; moderation queue with 1,000 pending: "
                 f"{r['queue_1000_pending']['rps']:.1f}/s")
    if "big" in r:
        lines.append("Large database (10,000 articles, 1,000,000 comments): " + ", ".join(
            f"{k} {v['rps']:.0f}/s (p50 {v['p50_ms']:.1f} ms)" for k, v in r["big"].items()))
    return "\n".join(lines)


if __name__ == "__main__":
    main()
