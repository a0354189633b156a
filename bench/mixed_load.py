"""Mixed load on the thread page (issue 23): 90 % anonymous reads, 8 % member reads, 2 % posts.

    .venv/bin/python bench/mixed_load.py [--baseline <git-ref>] [--duration 20] [--runs 3]

One 1,000-comment thread (bench/workload.py) and four small articles to post to, in their own
PostgreSQL database (`forum_bench_mixed`, loaded once through the services, then reused). The
servers are the "warm" production set-up of bench/servers.py (Redis and each worker's copies, 2
gunicorn sync workers). Over 8 connections for ``--duration`` seconds (bench/mixclient.py), each
request is drawn at random (seeded, the same draws on every server):

- anonymous (90 %): GET /articles/bench-1000, the default page, as a first visit loads it (no ETag);
- member (8 %): the same page with the session cookie of one of 20 members (logged in through the
  form), each read a visit that records itself;
- post (2 %): POST /api/v1/articles/mixed-post-<0..3>/comments with one of 10 members' bearer
  tokens; the bench servers trust every member (TRUST_AFTER_APPROVED=0), so posts are published
  (approved) at once. They go to other articles so that the measured thread stays 1,000 comments
  run after run; ``--post-into-thread`` posts into the thread itself (every post then empties its
  cached copies, and the thread grows).

``--baseline <ref>`` also serves that commit, from a checkout made once with
``git worktree add --detach bench/.baseline-<sha>`` (git-ignored, reused), with this .venv and
PYTHONPATH and the working directory on the checkout; each server's log says which ``forum``
package it imported (bench/probe_gunicorn.py) and the run stops if it is not the expected one.
Both use the same database, so the baseline must have the same migration head. The servers take
turns so background load touches both alike: each of the ``--runs`` runs splits its ``--duration``
into ``--slices`` slices per server, in the order A B B A A B ... (this machine's speed drifts by a
factor of two within a minute when other work runs, so whole 20 s runs one after the other did not
compare fairly); a run's figures are its slices' totals, and the ratio is the median of the runs'.
Before measuring, the client itself is checked against wrk on the ceiling route (bytes from memory).
Markdown on stdout, every figure in bench/results/mixed-<time>.json.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import mixclient  # noqa: E402
import redis  # noqa: E402
from alembic.config import Config  # noqa: E402
from alembic.script import ScriptDirectory  # noqa: E402
from load import PASSWORD, analyze, load_forum_thread  # noqa: E402
from measure import request, session_cookie, token  # noqa: E402
from mixclient import Call  # noqa: E402
from run import ensure_database, ensure_tools  # noqa: E402
from servers import REDIS, WORK, Server, imported_from, ours  # noqa: E402
from workload import thread  # noqa: E402

DATABASE = "forum_bench_mixed"
SLUG = "bench-1000"
POST_SLUGS = [f"mixed-post-{i}" for i in range(4)]
PORTS = {"current": 8440, "baseline": 8441}
WEIGHTS = {"anonymous": 90, "member": 8, "post": 2}
LETTERS = "abcdefghijklmnopqrstuvwxyz"
# Posts' numbers, shared by every server of a run: the same text twice by one member within ten minutes
# would be held as a repeat (the draws are the same on every server, so the authors are too).
NUMBERS = itertools.count()


def prepare() -> str:
    """The database with the thread and the posting articles (loaded once); return its URL."""
    database = ensure_database(DATABASE)
    loaded = load_forum_thread(database, SLUG, thread(1000))
    for slug in POST_SLUGS:
        loaded += load_forum_thread(database, slug, thread(1))
    if loaded:
        analyze(database)
    return database


def git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *args], check=True, text=True, capture_output=True).stdout.strip()


def checkout(ref: str) -> Path:
    """The baseline's working tree, bench/.baseline-<sha>: made once with git worktree, then reused."""
    full = git("rev-parse", "--verify", f"{ref}^{{commit}}")
    path = HERE / f".baseline-{full[:7]}"
    if not path.exists():
        git("worktree", "add", "--detach", str(path), full)
    have = subprocess.run(["git", "-C", str(path), "rev-parse", "HEAD"], check=True, text=True,
                          capture_output=True).stdout.strip()
    if have != full:
        raise SystemExit(f"{path} is at {have[:7]}, not {full[:7]}: remove it (git worktree remove) and rerun")
    return path


def heads(root: Path) -> set[str]:
    """The migration heads of a checkout (alembic's script directory, without touching a database)."""
    config = Config()
    config.set_main_option("script_location", str(root / "migrations"))
    return set(ScriptDirectory.from_config(config).get_heads())


# Migrations after a baseline's head that only add indexes or triggers: the baseline runs on them unchanged (and
# gains what they speed up, so the comparison is of the code alone).
INDEX_ONLY = {"2301", "2302", "2303"}  # 2302, 2303: triggers that notify, no column or table


def check_schema(root: Path) -> None:
    """Refuse a baseline whose migrations end elsewhere: both servers share one database. A baseline
    whose head is ours but for migrations that only add indexes (``INDEX_ONLY``) may run on it."""
    ours_, theirs = heads(ROOT), heads(root)
    if ours_ == theirs:
        return
    config = Config()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    script = ScriptDirectory.from_config(config)
    later = {r.revision for head in theirs for r in script.iterate_revisions(sorted(ours_)[0], head)} - theirs
    if len(ours_) == 1 and later and later <= INDEX_ONLY:
        added = sorted(later)
        print(f"baseline head {sorted(theirs)} runs on {sorted(ours_)}: only indexes or triggers added since ({added})")
        return
    raise SystemExit(
        f"schema heads differ: current {sorted(ours_)}, baseline {sorted(theirs)}. The two servers share "
        f"{DATABASE}, migrated to the current head; a baseline with another head cannot run on it "
        "side by side (choose a baseline with the same migrations)."
    )


def check_code(server: Server, root: Path) -> dict[str, str]:
    """Make sure the server imported ``forum`` and the bench app from ``root``."""
    found = imported_from(server)
    expected = {"forum": root / "forum" / "__init__.py", "bench_app": root / "bench" / "bench_app.py"}
    for name, path in expected.items():
        if Path(found.get(name, "?")).resolve() != path.resolve():
            raise SystemExit(f"{server.name} imported {name} from {found.get(name)}, not {path}")
    return found


def letters(n: int) -> str:
    """A number written in letters (no digits in a post: they could read as a phone number)."""
    out = ""
    while True:
        n, r = divmod(n, 26)
        out += LETTERS[r]
        if not n:
            return out


def classes(cookies: list[str], tokens: list[str], post_slugs: list[str], nonce: int) \
        -> dict[str, tuple[float, mixclient.Maker]]:
    """The three kinds of request and their weights."""
    page = f"/articles/{SLUG}"

    def anonymous(rng: Any, i: int) -> Call:
        return Call("GET", page, {})

    def member(rng: Any, i: int) -> Call:
        return Call("GET", page, {"Cookie": rng.choice(cookies)})

    def post(rng: Any, i: int) -> Call:
        text = f"Mixed load {letters(nonce)} {letters(os.getpid())} {letters(next(NUMBERS))} about ward rounds and waiting times."
        return Call("POST", f"/api/v1/articles/{rng.choice(post_slugs)}/comments",
                    {"Authorization": f"Bearer {rng.choice(tokens)}"}, {"body": text}, (201,))

    return {"anonymous": (WEIGHTS["anonymous"], anonymous), "member": (WEIGHTS["member"], member),
            "post": (WEIGHTS["post"], post)}


def client_check(server: Server, connections: int, seconds: int, processes: int) -> dict[str, Any]:
    """This client against wrk on the ceiling route (the page's bytes from memory): is it the bottleneck?"""
    path = f"/bench/ceiling/articles/{SLUG}"
    request(server.base + path)
    mine, theirs, shares = [], [], []
    for _ in range(3):  # alternating, as the machine's speed drifts
        found = mixclient.run(server.base, {"ceiling": (1, lambda rng, i: Call("GET", path, {}))},
                              connections, seconds, seed=1, processes=processes)
        mine.append(found["rps"])
        shares.append(found["client_cpu_share"])
        argv = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", server.base + path]
        out = subprocess.run(argv, check=True, text=True, capture_output=True).stdout
        theirs.append(float(out.split("Requests/sec:")[1].split()[0]))
    return {"client_rps": statistics.median(mine), "wrk_rps": statistics.median(theirs),
            "client_over_wrk": statistics.median(m / t for m, t in zip(mine, theirs, strict=True)),
            "client_cpu_share": statistics.median(shares), "page_bytes": len(request(server.base + path)[2])}


def clear_my_redis() -> None:
    """Forget this script's cached copies and rate-limit counters (keys mixed-*; nobody else's)."""
    client = redis.Redis.from_url(REDIS)
    for key in client.scan_iter("mixed-*"):
        client.delete(key)


def pooled(runs: list[dict[str, Any]], name: str) -> list[float]:
    return [x for r in runs for x in r["latencies"][name]]


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians over the runs of the rates; p50/p99 over every request of every run."""
    out: dict[str, Any] = {"rps": statistics.median(r["rps"] for r in runs), "runs_rps": [r["rps"] for r in runs],
                           "client_cpu_share": statistics.median(r["client_cpu_share"] for r in runs), "classes": {}}
    for name in WEIGHTS:
        latencies = pooled(runs, name)
        out["classes"][name] = {
            "rps": statistics.median(r["classes"][name]["rps"] for r in runs),
            "requests": len(latencies),
            "p50_ms": mixclient.percentile(latencies, 50),
            "p99_ms": mixclient.percentile(latencies, 99),
            "outcomes": [r["classes"][name].get("outcomes", {}) for r in runs],
        }
    c = out["classes"]
    out["member_p99_over_anonymous_p99"] = c["member"]["p99_ms"] / c["anonymous"]["p99_ms"]
    return out


def report(args: argparse.Namespace, found: dict[str, Any]) -> str:
    """The Markdown the doc uses."""
    lines = [
        f"`bench/mixed_load.py{' --baseline ' + args.baseline if args.baseline else ''} --duration {args.duration}"
        f" --runs {args.runs} --slices {args.slices}{f' --processes {args.processes}' if args.processes > 1 else ''}`, "
        f"{found['time']}, {os.cpu_count()} cores, load average before "
        f"{found['load_before'][0]:.2f}, after {found['load_after'][0]:.2f}. {args.connections} connections, "
        f"weights anonymous/member/post {WEIGHTS['anonymous']}/{WEIGHTS['member']}/{WEIGHTS['post']}; rates are "
        f"medians of {args.runs} runs per server (each run {args.slices} slices, the servers alternating), "
        "p50/p99 over every request of them (ms).",
        "",
        "| server | code | total req/s | anonymous req/s, p50, p99 | member req/s, p50, p99 | post req/s, p50, p99 "
        "| member p99 / anonymous p99 |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, s in found["servers"].items():
        cells = [f"{s['classes'][k]['rps']:.1f}, {s['classes'][k]['p50_ms']:.0f}, {s['classes'][k]['p99_ms']:.0f}"
                 for k in WEIGHTS]
        lines.append(f"| {name} | {found['code'][name]} | {s['rps']:.1f} | " + " | ".join(cells)
                     + f" | {s['member_p99_over_anonymous_p99']:.2f} |")
    if "ratio" in found:
        r = found["ratio"]
        lines += ["", f"Throughput current / baseline: **{r['median']:.2f}** (median of the per-round ratios "
                      f"{', '.join(f'{x:.2f}' for x in r['rounds'])})."]
    c = found["client_check"] or {"page_bytes": 0, "client_rps": 0, "wrk_rps": 0, "client_over_wrk": 0,
                                  "client_cpu_share": 0}
    lines += ["", f"Client check (ceiling route, {c['page_bytes']:,} bytes a page, {args.connections} connections): "
                  f"this client {c['client_rps']:.0f}/s, wrk {c['wrk_rps']:.0f}/s ({c['client_over_wrk']:.2f} ×); "
                  f"the client used {c['client_cpu_share']:.0%} of a core there and "
                  f"{statistics.median(s['client_cpu_share'] for s in found['servers'].values()):.0%} in the runs.",
              f"Posts: {found['post_outcomes']}."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline", help="also serve this commit, side by side (e.g. c9f2d00)")
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--slices", type=int, default=10,
                        help="each run's time is split into this many slices, the servers alternating A B B A")
    parser.add_argument("--processes", type=int, default=1, help="client processes sharing the connections")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seed", type=int, default=23)
    parser.add_argument("--warmup", type=int, default=3, help="seconds of unrecorded load per server first")
    parser.add_argument("--check-seconds", type=int, default=3,
                        help="the client check: 3 alternations of this many seconds, this client and wrk (0: skip)")
    parser.add_argument("--post-into-thread", action="store_true", help="post into the measured thread")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    ensure_tools()
    database = prepare()
    roots = {"current": ROOT}
    if args.baseline:
        roots["baseline"] = checkout(args.baseline)
        check_schema(roots["baseline"])
    clear_my_redis()
    post_slugs = [SLUG] if args.post_into_thread else POST_SLUGS
    found: dict[str, Any] = {"time": f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC", "args": vars(args), "code": {},
                             "imported": {}}
    nonce = int(datetime.now(UTC).timestamp())
    with ExitStack() as stack:
        servers: dict[str, Server] = {}
        for name, root in roots.items():
            servers[name] = stack.enter_context(ours(
                f"mixed-{name}", PORTS[name], database, redis=True, local_mb=32, root=root,
                extra={"REDIS_PREFIX": f"mixed-{name}:"}))
            found["imported"][name] = check_code(servers[name], root)
            found["code"][name] = subprocess.run(["git", "-C", str(root), "rev-parse", "--short=7", "HEAD"],
                                                 check=True, text=True, capture_output=True).stdout.strip() + (
                " + changes" if name == "current" and git("status", "--porcelain", "--", "forum") else "")
        tokens = [token(servers["current"].base, f"bench{i}@bench.example", PASSWORD) for i in range(10)]
        mixes = {}
        for name, server in servers.items():
            cookies = [session_cookie(server.base, f"bench{i}@bench.example", PASSWORD) for i in range(20)]
            for cookie in cookies[:2]:
                status = request(server.base + f"/articles/{SLUG}", headers={"Cookie": cookie})[0]
                if status != 200:
                    raise SystemExit(f"{name}: a member's read answered {status}")
            request(server.base + f"/articles/{SLUG}")  # fill the caches
            mixes[name] = classes(cookies, tokens, post_slugs, nonce)
        found["client_check"] = client_check(servers["current"], args.connections, args.check_seconds,
                                                   args.processes) \
            if args.check_seconds else {}
        for name, server in servers.items():  # sessions, connections and copies of every worker in use
            if args.warmup:
                mixclient.run(server.base, mixes[name], args.connections, args.warmup, seed=0,
                              processes=args.processes)
        found["load_before"] = os.getloadavg()
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in servers}
        for round_ in range(args.runs):
            slices: dict[str, list[dict[str, Any]]] = {name: [] for name in servers}
            for k in range(args.slices):  # A B B A ...: a drift in the machine's speed touches both alike
                order = list(servers) if (round_ + k) % 2 == 0 else list(reversed(servers))
                for name in order:
                    slices[name].append(mixclient.run(servers[name].base, mixes[name], args.connections,
                                                      args.duration / args.slices, seed=args.seed + 100 * round_ + k,
                                                      processes=args.processes))
            for name in servers:
                runs[name].append(mixclient.merge(slices[name]))
        found["load_after"] = os.getloadavg()
    found["servers"] = {name: summarise(r) for name, r in runs.items()}
    outcomes: dict[str, int] = {}
    for r in (x for rs in runs.values() for x in rs):
        for key, value in r["classes"]["post"].get("outcomes", {}).items():
            outcomes[key] = outcomes.get(key, 0) + value
    found["post_outcomes"] = outcomes
    if "baseline" in runs:
        rounds = [c["rps"] / b["rps"] for c, b in zip(runs["current"], runs["baseline"], strict=True)]
        found["ratio"] = {"median": statistics.median(rounds), "rounds": rounds}
    text = report(args, found)
    print(text)
    out = HERE / "results" / f"mixed-{datetime.now(UTC):%Y%m%d-%H%M%S}"
    out.parent.mkdir(exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(found, indent=2, default=str))
    out.with_suffix(".md").write_text(text + "\n")


if __name__ == "__main__":
    main()
