"""Ours side by side with django-comments-xtd on the same PostgreSQL: thread reads and posting (issue 23).

    .venv/bin/python bench/peer_xtd.py [--duration 5] [--runs 3] [--blocks 30]

Installs Django, django-comments-xtd, Django REST framework, psycopg and gunicorn into
bench/.xtd-venv when missing. Loads the same 1,000-comment thread (bench/workload.py) once into
each side through its own write path: ours through the services (`forum_bench_xtd_ours`), xtd
through its comment form and model (`forum_bench_xtd_peer`, bench/xtd_load.py); a second run loads
nothing. Then serves, all with gunicorn and 2 sync workers on 127.0.0.1: ours **cold** (production
profile, no Redis cache, THREAD_CACHE_LOCAL_MB=0: every read builds the thread), ours **warm**
(production with Redis: posting goes here, as in bench/posting.py) and xtd (bench/xtd/, --preload).

Reads: each case once per run, ``--runs`` runs (wrk -t2 -c4 for ``--duration`` s; a fixed count of
requests when one takes over a second); ratios are the median of the ratios within each run.
Posting: ``--blocks`` alternating blocks of 10 sequential posts per side, top-level comments on a
one-comment article; the ratio is the median of the per-block ratios of medians. Prints Markdown
tables and writes every figure to bench/results/xtd-<time>.json and .md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import psycopg  # noqa: E402
import redis  # noqa: E402
from load import PASSWORD, analyze, load_forum_thread  # noqa: E402
from measure import load, posting_side_by_side, request, token  # noqa: E402
from run import PG_ADMIN, _words, ensure_database, fresh_words_base, median_of, sh  # noqa: E402
from servers import REDIS, XTD_VENV, ours, xtd  # noqa: E402
from workload import thread  # noqa: E402

# The versions measured; a venv made with other ones is rebuilt.
XTD_PACKAGES = (
    "django-comments-xtd==2.10.13",
    "django-contrib-comments==2.2.0",
    "Django==5.2.19",
    "djangorestframework==3.18.3",
    "psycopg[binary]==3.3.9",
    "gunicorn==27.0.1",
)
OURS_DB, PEER_DB = "forum_bench_xtd_ours", "forum_bench_xtd_peer"
PORTS = {"cold": 8401, "warm": 8402, "xtd": 8403}
SLUG = "bench-1000"
XTD_LIST = "/comments/api/articles-article/{slug}/"
MEMBERS = 10  # take turns posting on both sides, as in bench/posting.py


def ensure_tools() -> None:
    """wrk (Debian), and bench/.xtd-venv with the pinned packages unless it already has them."""
    if not shutil.which("wrk"):
        sh("apt-get", "install", "-y", "-qq", "wrk")
    marker = XTD_VENV / ".installed"
    if marker.exists() and marker.read_text() == "\n".join(XTD_PACKAGES):
        return
    sh(sys.executable, "-m", "venv", "--clear", str(XTD_VENV))
    sh(str(XTD_VENV / "bin/pip"), "install", "-q", *XTD_PACKAGES)
    marker.write_text("\n".join(XTD_PACKAGES))


def ensure_peer_database() -> None:
    """Create xtd's database if needed (its loader migrates it)."""
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (PEER_DB,)).fetchone():
            admin.execute(f'CREATE DATABASE "{PEER_DB}"')


def load_xtd() -> list[str]:
    """Load the thread (with members, and again from anonymous commenters) and the posting article."""
    out = sh(
        str(XTD_VENV / "bin/python"),
        str(HERE / "xtd_load.py"),
        SLUG,
        "1000",
        f"{SLUG}-anon",
        "1000",
        "bench-posting",
        "1",
        env={**os.environ, "XTD_DATABASE": PEER_DB},
        cwd=HERE,
    )
    tokens: list[str] = json.loads(out.stdout)
    analyze(f"postgresql://postgres@127.0.0.1:5432/{PEER_DB}")
    return tokens


def clear_own_redis() -> None:
    """Forget our servers' cached copies and rate-limit counters (only this script's xtd-* keys)."""
    client = redis.Redis.from_url(REDIS)
    for key in client.scan_iter("xtd-*"):
        client.delete(key)


def count_comments(body: bytes) -> int:
    """Comments in a thread answer: xtd's flat list, or our conversations with nested replies."""
    found = json.loads(body)
    items = found if isinstance(found, list) else found.get("items") or found.get("comments") or []

    def walk(nodes: list[dict[str, Any]]) -> int:
        return sum(1 + walk(node.get("replies") or []) for node in nodes)

    return walk(items)


def measure_reads(args: argparse.Namespace, cases: dict[str, str]) -> dict[str, Any]:
    """Every read case once per run, ``runs`` times; sizes and comment counts checked once first."""
    shape = {}
    for label, url in cases.items():
        status, _, body = request(url, timeout=300)
        if status != 200:
            raise RuntimeError(f"{url}: {status}")
        shape[label] = {"url": url, "bytes": len(body), "comments": count_comments(body)}
    runs: dict[str, list[dict[str, Any]]] = {label: [] for label in cases}
    for run in range(args.runs):
        for label, url in cases.items():
            runs[label].append(load(url, args.duration))
        print(
            f"reads, run {run + 1}: " + ", ".join(f"{k} {v[-1]['rps']:.1f}/s" for k, v in runs.items()),
            flush=True,
        )
    found = {label: {**median_of(r), **shape[label]} for label, r in runs.items()}
    ratios = {}
    for mine in (k for k in cases if k.startswith("ours")):
        for theirs in (k for k in cases if k.startswith("xtd")):
            ratios[f"{mine} / {theirs}"] = statistics.median(
                a["rps"] / b["rps"] for a, b in zip(runs[mine], runs[theirs], strict=True)
            )
    return {"cases": found, "ratios": ratios}


def markdown(results: dict[str, Any]) -> str:
    """The two tables: reads (requests/s, ours/theirs) and posting (median ms, ours/theirs)."""
    reads, post = results["reads"], results["posting"]
    lines = [
        f"`{results['command']}`, {results['started']}, {results['cpus']} cores, load average before "
        f"{results['load_before'][0]:.2f}, after {results['load_after'][0]:.2f}.",
        "",
        "| 1,000-comment thread, cold | URL | comments | bytes | requests/s (median) | p50 ms | runs |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, case in reads["cases"].items():
        path = case["url"].split("/", 3)[3]
        method = f" ({case['method']})" if "method" in case else ""
        runs = ", ".join(f"{r:.2f}" for r in case["runs"])
        lines.append(
            f"| {label} | `/{path}` | {case['comments']} | {case['bytes']:,} "
            f"| {case['rps']:.2f}{method} | {case['p50_ms']:.1f} | {runs} |"
        )
    lines += ["", "| reads, ours / theirs (requests/s, median of per-run ratios) | ratio |", "|---|---|"]
    lines += [f"| {name} | {ratio:.1f} × |" for name, ratio in reads["ratios"].items()]
    lines += [
        "",
        f"| posting ({post['blocks']} alternating blocks of {post['per_block']}) | median ms | p90 ms "
        "| posts | ours / theirs (median of block ratios) |",
        "|---|---|---|---|---|",
    ]
    for name in ("ours", "xtd"):
        times = sorted(post[name])
        p90 = times[int(0.9 * (len(times) - 1))]
        ratio = statistics.median(post["ratios"][name])
        median = statistics.median(times)
        lines.append(f"| {name} | {median:.1f} | {p90:.1f} | {len(times)} | {ratio:.2f} × |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--blocks", type=int, default=30, help="alternating posting blocks of 10 posts")
    args = parser.parse_args()
    ensure_tools()
    ensure_peer_database()
    database = ensure_database(OURS_DB)
    load_forum_thread(database, SLUG, thread(1000))
    load_forum_thread(database, "bench-posting", thread(1))  # posts go here, so the read thread keeps 1,000
    analyze(database)
    xtd_tokens = load_xtd()[:MEMBERS]
    clear_own_redis()
    results: dict[str, Any] = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "command": f"bench/peer_xtd.py --duration {args.duration} --runs {args.runs} --blocks {args.blocks}",
        "load_before": os.getloadavg(),
    }
    with ExitStack() as stack:
        cold = stack.enter_context(
            ours(
                "xtd-cold",
                PORTS["cold"],
                database,
                redis=False,
                local_mb=0,
                extra={"REDIS_PREFIX": "xtd-cold:"},
            )
        )
        warm = stack.enter_context(
            ours(
                "xtd-warm",
                PORTS["warm"],
                database,
                redis=True,
                local_mb=32,
                extra={"REDIS_PREFIX": "xtd-warm:"},
            )
        )
        peer = stack.enter_context(xtd("xtd-peer", PORTS["xtd"], PEER_DB))
        results["reads"] = measure_reads(
            args,
            {
                "ours, whole thread (limit=1000)": f"{cold.base}/api/v1/articles/{SLUG}/comments?limit=1000",
                "ours, default first page": f"{cold.base}/api/v1/articles/{SLUG}/comments",
                "xtd, comment list API": peer.base + XTD_LIST.format(slug=SLUG),
                "xtd, same thread, anonymous commenters": peer.base + XTD_LIST.format(slug=f"{SLUG}-anon"),
            },
        )
        members = [token(warm.base, f"bench{i}@bench.example", PASSWORD) for i in range(MEMBERS)]
        fresh = fresh_words_base(room=args.blocks * 10)
        text = lambda i: f"Posting check {_words(fresh + i)} about ward rounds."  # noqa: E731
        results["posting"] = posting_side_by_side(
            {
                "ours": (
                    f"{warm.base}/api/v1/articles/bench-posting/comments",
                    lambda i: {"body": text(i)},
                    lambda i: {"Authorization": f"Bearer {members[i % MEMBERS]}"},
                ),
                # name and email left blank: xtd fills them from the authenticated user.
                "xtd": (
                    f"{peer.base}/comments/api/comment/",
                    lambda i: {
                        "content_type": "articles.article",
                        "object_pk": "bench-posting",
                        "name": "",
                        "email": "",
                        "comment": text(i),
                    },
                    lambda i: {"Authorization": f"Token {xtd_tokens[i % MEMBERS]}"},
                ),
            },
            blocks=args.blocks,
            reference="xtd",
        )
        results["posting"]["blocks"] = args.blocks
    results["load_after"] = os.getloadavg()
    stamp = f"{datetime.now(UTC):%Y%m%dT%H%M%S}"
    out = HERE / "results" / f"xtd-{stamp}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    text_out = markdown(results)
    out.with_suffix(".md").write_text(text_out + "\n")
    print("\n" + text_out + f"\n\nsaved {out} and {out.with_suffix('.md')}")


if __name__ == "__main__":
    try:
        main()
    except subprocess.CalledProcessError as error:  # show what pip or a loader said
        sys.exit(f"{error.cmd}: {error.stderr}")
