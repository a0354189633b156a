"""A load client for mixed requests: N connections, each request drawn at random by weight, latency per class.

wrk can mix requests with a Lua script but reports one latency distribution for all of them; this
client keeps one per class. Each connection is a thread with its own ``http.client`` connection
(keep-alive asked for; gunicorn's sync workers close after each answer, and ``http.client`` then
reconnects by itself, as wrk does) and its own seeded random draw, so a run is repeatable in what
it asks. The threads spend their time waiting on sockets (the GIL is released there); whether the
client is itself a bottleneck is measured against wrk on the ceiling route (bench/mixed_load.py).
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import random
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Call:
    """One request to make: method, path, headers, JSON body (or None) and the statuses accepted."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any = None
    accept: tuple[int, ...] = (200,)


# A class of requests: its weight and how to make its next request (given the thread's draw and a counter).
Maker = Callable[[random.Random, int], Call]


@dataclass
class ClassResult:
    """Everything one class of requests saw in a run."""

    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    outcomes: dict[str, int] = field(default_factory=dict)  # e.g. a post's "status" field: approved, pending

    def summary(self, seconds: float) -> dict[str, Any]:
        """Requests/s, p50 and p99 (ms), counts."""
        return {
            "requests": len(self.latencies_ms),
            "rps": len(self.latencies_ms) / seconds,
            "p50_ms": percentile(self.latencies_ms, 50),
            "p99_ms": percentile(self.latencies_ms, 99),
            "statuses": self.statuses,
            **({"outcomes": self.outcomes} if self.outcomes else {}),
        }


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (NaN for no values)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))  # ceil(n q / 100)
    return ordered[int(rank) - 1]


def run(
    base: str, classes: dict[str, tuple[float, Maker]], connections: int, duration: float, seed: int,
    processes: int = 1,
) -> dict[str, Any]:
    """Load ``base`` for ``duration`` seconds over ``connections`` connections; return per-class results.

    ``processes`` > 1 forks that many clients sharing the connections (one GIL each), for rates one
    process cannot drive. Any status a class does not accept stops the run with an error (a benchmark
    of error pages measures nothing).
    """
    if processes > 1:
        return _forked(base, classes, connections, duration, seed, processes)
    parts = urlsplit(base)
    names = list(classes)
    weights = [classes[n][0] for n in names]
    results = {n: ClassResult() for n in names}
    lock = threading.Lock()
    failures: list[str] = []
    counter = iter(range(10**9))
    deadline = time.perf_counter() + duration

    def worker(index: int) -> None:
        rng = random.Random(seed * 1000 + index)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        local = {n: ClassResult() for n in names}
        try:
            while time.perf_counter() < deadline and not failures:
                name = rng.choices(names, weights)[0]
                with lock:
                    number = next(counter)
                call = classes[name][1](rng, number)
                body = json.dumps(call.body).encode() if call.body is not None else None
                headers = {"Connection": "keep-alive", **call.headers}
                if body is not None:
                    headers["Content-Type"] = "application/json"
                started = time.perf_counter()
                try:
                    conn.request(call.method, call.path, body=body, headers=headers)
                    answer = conn.getresponse()
                    data = answer.read()
                except (http.client.HTTPException, OSError):  # a closed keep-alive socket: reconnect once
                    conn.close()
                    conn.request(call.method, call.path, body=body, headers=headers)
                    answer = conn.getresponse()
                    data = answer.read()
                elapsed = (time.perf_counter() - started) * 1000
                mine = local[name]
                mine.latencies_ms.append(elapsed)
                mine.statuses[str(answer.status)] = mine.statuses.get(str(answer.status), 0) + 1
                if answer.status not in call.accept:
                    failures.append(f"{name} {call.method} {call.path}: {answer.status} {data[:200]!r}")
                elif call.method == "POST":
                    outcome = str(json.loads(data).get("status", "?"))
                    mine.outcomes[outcome] = mine.outcomes.get(outcome, 0) + 1
        except Exception as error:
            failures.append(f"connection {index}: {error!r}")
        finally:
            conn.close()
            with lock:
                for n in names:
                    results[n].latencies_ms += local[n].latencies_ms
                    for key, value in local[n].statuses.items():
                        results[n].statuses[key] = results[n].statuses.get(key, 0) + value
                    for key, value in local[n].outcomes.items():
                        results[n].outcomes[key] = results[n].outcomes.get(key, 0) + value

    # A thread whose answer has arrived waits for the GIL; at the default 5 ms switch interval that
    # wait showed in the latencies (this client reached ~0.8 x wrk's rate on the ceiling route, ~1 x at 0.5 ms).
    interval = sys.getswitchinterval()
    sys.setswitchinterval(0.0005)
    cpu_before = time.process_time()
    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    client_cpu = time.process_time() - cpu_before
    sys.setswitchinterval(interval)
    if failures:
        raise RuntimeError(f"{base}: " + "; ".join(failures[:3]))
    total = sum(len(r.latencies_ms) for r in results.values())
    return {
        "seconds": seconds,
        "rps": total / seconds,
        "client_cpu_share": client_cpu / seconds,  # of one core
        "classes": {n: results[n].summary(seconds) for n in names},
        "latencies": {n: results[n].latencies_ms for n in names},
    }


def merge(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """One result from several runs against the same server (slices of one round): totals over their time."""
    seconds = sum(r["seconds"] for r in runs)
    names = list(runs[0]["latencies"])
    latencies = {n: [x for r in runs for x in r["latencies"][n]] for n in names}
    merged: dict[str, Any] = {
        "seconds": seconds,
        "rps": sum(len(v) for v in latencies.values()) / seconds,
        "client_cpu_share": sum(r["client_cpu_share"] * r["seconds"] for r in runs) / seconds,
        "latencies": latencies,
        "classes": {},
    }
    for n in names:
        result = ClassResult(latencies[n])
        for r in runs:
            for key, value in r["classes"][n]["statuses"].items():
                result.statuses[key] = result.statuses.get(key, 0) + value
            for key, value in r["classes"][n].get("outcomes", {}).items():
                result.outcomes[key] = result.outcomes.get(key, 0) + value
        merged["classes"][n] = result.summary(seconds)
    return merged


def _forked(
    base: str, classes: dict[str, tuple[float, Maker]], connections: int, duration: float, seed: int, processes: int
) -> dict[str, Any]:
    """run() in ``processes`` forked children at once; their results added up."""
    context = multiprocessing.get_context("fork")  # the request makers are closures: inherited, not pickled
    answers = context.Queue()
    shares = [connections // processes + (i < connections % processes) for i in range(processes)]

    def child(i: int) -> None:
        try:
            answers.put(run(base, classes, shares[i], duration, seed * 100 + i))
        except Exception as error:
            answers.put({"error": repr(error)})

    children = [context.Process(target=child, args=(i,)) for i in range(processes)]
    for c in children:
        c.start()
    found = [answers.get(timeout=duration + 120) for _ in children]
    for c in children:
        c.join()
    errors = [f["error"] for f in found if "error" in f]
    if errors:
        raise RuntimeError("; ".join(errors))
    seconds = max(f["seconds"] for f in found)
    names = list(found[0]["latencies"])
    merged = merge([{**f, "seconds": seconds} for f in found])
    merged.update(seconds=seconds, rps=sum(len(x) for f in found for x in f["latencies"].values()) / seconds,
                  client_cpu_share=sum(f["client_cpu_share"] for f in found))
    merged["classes"] = {n: {**merged["classes"][n], "rps": len(merged["latencies"][n]) / seconds} for n in names}
    return merged
