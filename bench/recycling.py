"""Worker recycling (gunicorn ``max_requests``): what each setting costs under load, side by side.

    .venv/bin/python bench/recycling.py [--settings 0 2000 10000 50000] [--rounds 4] [--block 15]
                                        [--mix anonymous|mixed] [--soak 120]

One warm production server (bench/servers.py: Redis and each worker's copies, 2 sync workers,
gunicorn.conf.py) per setting, all at once on the thread of bench/mixed_load.py's database, each
started with GUNICORN_MAX_REQUESTS=<setting> and GUNICORN_MAX_REQUESTS_JITTER=<setting / 10>. The
rows take turns in ``--rounds`` blocks of ``--block`` seconds (the order rotating each round), wrk
(-t2 -c8) reading the 1,000-comment thread page anonymously (``--mix mixed``: bench/mixclient.py's 8
connections with bench/mixed_load.py's 90/8/2 mix), so each row gets ``rounds x block`` seconds of
load taken at the same moments of the shared machine as the others. p50/p99: the median of the
blocks' wrk percentiles (the mixed load's: over every request of the row). A row's restarts are the new worker
processes seen while it was loaded (the master's children, sampled every 0.1 s).

``--soak`` then loads the never-recycling server alone for that many seconds with the mixed load
and samples its workers' resident memory every 10 s: the growth that recycling exists to bound.
Markdown on stdout, every figure in bench/results/recycling-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import mixclient  # noqa: E402
from load import PASSWORD  # noqa: E402
from measure import request, session_cookie, token  # noqa: E402
from mixclient import Call  # noqa: E402
from mixed_load import POST_SLUGS, SLUG, classes, clear_my_redis, prepare  # noqa: E402
from run import ensure_tools  # noqa: E402
from servers import WORK, Server, ours  # noqa: E402

FIRST_PORT = 8450
PAGE = f"/articles/{SLUG}"


def anonymous(rng: Any, i: int) -> Call:
    """An anonymous reader's first load of the thread page."""
    return Call("GET", PAGE, {})


class Workers:
    """Watch a server's worker processes while a block runs: every pid seen, and new ones."""

    def __init__(self, server: Server, every: float = 0.1) -> None:
        self.server, self.every = server, every
        self.seen: set[int] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.seen.update(self.server.worker_pids())
            self._stop.wait(self.every)

    def __enter__(self) -> Workers:
        self.before = set(self.server.worker_pids())
        self.seen = set(self.before)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.seen.update(self.server.worker_pids())

    def restarts(self) -> int:
        """New workers that appeared during the block (each one a recycle, or a crash)."""
        return len(self.seen - self.before)


def wrk_block(server: Server, seconds: int) -> dict[str, Any]:
    """One wrk run (-t2 -c8) on the thread page: requests/s, requests, p50 and p99 (ms); errors refused."""
    argv = ["wrk", "-t2", "-c8", f"-d{seconds}s", "--latency", "--timeout", "30s", server.base + PAGE]
    out = subprocess.run(argv, check=True, text=True, capture_output=True).stdout
    if "Non-2xx" in out or "Socket errors" in out:
        raise RuntimeError(f"{server.name}: errors under load\n{out}")

    def ms(q: str) -> float:
        value, unit = re.search(rf"{q}%\s+([\d.]+)(us|ms|s)\b", out).groups()  # type: ignore[union-attr]
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    return {"rps": float(out.split("Requests/sec:")[1].split()[0]),
            "requests": int(re.search(r"(\d+) requests in", out).group(1)),  # type: ignore[union-attr]
            "p50_ms": ms("50"), "p99_ms": ms("99"), "seconds": seconds}


def rss_mb(server: Server) -> list[float]:
    """Each current worker's resident memory, MB."""
    sizes = []
    for pid in server.worker_pids():
        try:
            found = re.search(r"VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
        except OSError:
            continue
        if found:
            sizes.append(round(int(found.group(1)) / 1024, 1))
    return sorted(sizes)


def soak(server: Server, mix: dict[str, Any], seconds: int, every: int = 10) -> list[dict[str, Any]]:
    """Load one server for ``seconds`` in slices of ``every``; its workers' RSS after each slice."""
    samples = [{"seconds": 0, "requests": 0, "rss_mb": rss_mb(server), "pids": server.worker_pids()}]
    total = 0
    for i in range(seconds // every):
        found = mixclient.run(server.base, mix, 8, every, seed=1000 + i)
        total += sum(c["requests"] for c in found["classes"].values())
        samples.append({"seconds": (i + 1) * every, "requests": total, "rss_mb": rss_mb(server),
                        "pids": server.worker_pids()})
    return samples


def report(args: argparse.Namespace, found: dict[str, Any]) -> str:
    """The Markdown the doc uses."""
    rows = found["rows"]
    lines = [
        f"`bench/recycling.py --settings {' '.join(map(str, args.settings))} --rounds {args.rounds} --block "
        f"{args.block} --mix {args.mix} --soak {args.soak}`, {found['time']}, {os.cpu_count()} cores, load average "
        f"before {found['load_before'][0]:.2f}, after {found['load_after'][0]:.2f}. 8 connections; each row "
        f"{args.rounds} × {args.block} s, alternating; p50/p99 (ms): medians of the blocks' wrk figures "
        "(the mixed load: over every request of the row); jitter = max_requests / 10.",
        "",
        "| max_requests (jitter) | requests/s | / never recycling (median of rounds) | p50 | p99 | restarts "
        "| requests a worker serves between restarts |",
        "|---|---|---|---|---|---|---|",
    ]
    for setting, r in rows.items():
        between = f"{r['requests'] / r['restarts']:.0f}" if r["restarts"] else "—"
        lines.append(f"| {setting} ({int(setting) // 10}) | {r['rps']:.1f} | {r['ratio']:.2f} | {r['p50_ms']:.1f} "
                     f"| {r['p99_ms']:.1f} | {r['restarts']} | {between} |")
    if found.get("soak"):
        s = found["soak"]
        first, last = s[0], s[-1]
        lines += ["", f"Soak (max_requests 0, mixed load, {args.soak} s, {last['requests']:,} requests): workers' RSS "
                      f"{first['rss_mb']} MB at the start, {last['rss_mb']} MB at the end "
                      f"(same pids: {first['pids'] == last['pids']}); every 10 s: "
                      + ", ".join(str(x["rss_mb"]) for x in s) + "."]
        if "rss_before_rows" in found:
            lines.append(f"Never-recycling server's workers before the rows {found['rss_before_rows']} MB, after "
                         f"the rows {found['rss_after_rows']} MB ({found['requests_never']:,} requests).")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--settings", type=int, nargs="+", default=[0, 2000, 10000, 50000])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--block", type=int, default=15)
    parser.add_argument("--mix", choices=["anonymous", "mixed"], default="anonymous")
    parser.add_argument("--soak", type=int, default=120, help="seconds of mixed load on max_requests 0 (0: none)")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    ensure_tools()
    database = prepare()
    clear_my_redis()
    found: dict[str, Any] = {"time": f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC", "args": vars(args)}
    nonce = int(time.time()) + 7
    with ExitStack() as stack:
        servers: dict[int, Server] = {}
        for i, setting in enumerate(args.settings):
            servers[setting] = stack.enter_context(ours(
                f"mixed-recycle-{setting}", FIRST_PORT + i, database, redis=True, local_mb=32,
                extra={"REDIS_PREFIX": f"mixed-recycle-{setting}:", "GUNICORN_MAX_REQUESTS": str(setting),
                       "GUNICORN_MAX_REQUESTS_JITTER": str(setting // 10)}))
        anyone = next(iter(servers.values()))
        tokens = [token(anyone.base, f"bench{i}@bench.example", PASSWORD) for i in range(10)]
        mixes: dict[int, dict[str, Any]] = {}
        for setting, server in servers.items():
            cookies = [session_cookie(server.base, f"bench{i}@bench.example", PASSWORD) for i in range(20)]
            mixed = classes(cookies, tokens, POST_SLUGS, nonce)
            mixes[setting] = mixed if args.mix == "mixed" else {"anonymous": (1, anonymous)}
            request(server.base + PAGE)
            mixclient.run(server.base, mixes[setting], 8, 3, seed=0)  # every worker's copies
        never = servers.get(0)
        if never is not None:
            found["rss_before_rows"] = rss_mb(never)
        found["load_before"] = os.getloadavg()
        blocks: dict[int, list[dict[str, Any]]] = {s: [] for s in servers}
        restarts = dict.fromkeys(servers, 0)
        order = list(servers)
        for round_ in range(args.rounds):
            for setting in order[round_ % len(order):] + order[: round_ % len(order)]:
                with Workers(servers[setting]) as workers:
                    if args.mix == "anonymous":
                        blocks[setting].append(wrk_block(servers[setting], args.block))
                    else:
                        blocks[setting].append(mixclient.run(servers[setting].base, mixes[setting], 8, args.block,
                                                             seed=round_))
                restarts[setting] += workers.restarts()
        found["load_after"] = os.getloadavg()
        if never is not None:
            found["rss_after_rows"] = rss_mb(never)
            found["requests_never"] = sum(
                b["requests"] if "requests" in b else sum(len(v) for v in b["latencies"].values()) for b in blocks[0])
            if args.soak:
                never_mix = classes([session_cookie(never.base, f"bench{i}@bench.example", PASSWORD)
                                     for i in range(20)], tokens, POST_SLUGS, nonce + 1)
                found["soak"] = soak(never, never_mix, args.soak)
                found["load_after_soak"] = os.getloadavg()
    reference = args.settings[0]
    found["rows"] = {}
    for setting, bs in blocks.items():
        seconds = sum(b["seconds"] for b in bs)
        if args.mix == "anonymous":  # wrk: its own percentiles per block; the row's are their medians
            requests = sum(b["requests"] for b in bs)
            p50, p99 = (statistics.median(b[k] for b in bs) for k in ("p50_ms", "p99_ms"))
        else:
            latencies = [x for b in bs for v in b["latencies"].values() for x in v]
            requests = len(latencies)
            p50, p99 = mixclient.percentile(latencies, 50), mixclient.percentile(latencies, 99)
        found["rows"][str(setting)] = {
            "rps": requests / seconds,
            "ratio": statistics.median(b["rps"] / r["rps"] for b, r in zip(bs, blocks[reference], strict=True)),
            "p50_ms": p50,
            "p99_ms": p99,
            "restarts": restarts[setting],
            "requests": requests,
            "blocks_rps": [b["rps"] for b in bs],
            "blocks_p99_ms": [b["p99_ms"] if "p99_ms" in b else None for b in bs],
        }
    text = report(args, found)
    print(text)
    out = HERE / "results" / f"recycling-{datetime.now(UTC):%Y%m%d-%H%M%S}"
    out.parent.mkdir(exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(found, indent=2, default=str))
    out.with_suffix(".md").write_text(text + "\n")


if __name__ == "__main__":
    main()
