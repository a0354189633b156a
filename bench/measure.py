"""Measure: bounded wrk runs, a fixed-count load for very slow servers, sequential posting, worker memory."""

from __future__ import annotations

import http.cookies
import json
import math
import re
import statistics
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any

from servers import Server


def wrk(url: str, duration: int, headers: dict[str, str] | None = None, expect: int = 200) -> dict[str, Any]:
    """One bounded wrk run (-t2 -c4): requests/s and median latency; refuses any unexpected status."""
    argv = ["wrk", "-t2", "-c4", f"-d{duration}s", "--latency", "--timeout", "30s"]
    for k, v in (headers or {}).items():
        argv += ["-H", f"{k}: {v}"]
    out = subprocess.run([*argv, url], check=True, text=True, capture_output=True).stdout
    found = re.search(r"Requests/sec:\s+([\d.]+)", out)
    latency = re.search(r"50%\s+([\d.]+)(us|ms|s)\b", out)
    done = re.search(r"(\d+) requests in", out)
    if not (found and latency and done):
        raise RuntimeError(f"{url}: cannot read wrk's output\n{out}")
    if int(done.group(1)) < 3:
        raise TooSlow(url)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if bad:
        raise RuntimeError(f"{url}: {bad.group(1)} error responses\n{out}")
    check_status(url, headers, expect)
    value, unit = latency.groups()
    return {"rps": float(found.group(1)), "p50_ms": float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]}


class TooSlow(Exception):
    """wrk finished fewer than three requests in its time."""


def check_status(url: str, headers: dict[str, str] | None, expect: int) -> None:
    """Make sure the measured request answers as expected (a 304 must really be a 304)."""
    status = request(url, headers=headers)[0]
    if status != expect:
        raise RuntimeError(f"{url}: expected {expect}, got {status}")


def fixed(url: str, total: int, concurrency: int = 4) -> dict[str, Any]:
    """Throughput of ``total`` requests over ``concurrency`` connections (for servers too slow for wrk)."""
    latencies: list[float] = []
    lock = threading.Lock()
    count = iter(range(total))

    def client() -> None:
        while True:
            with lock:
                if next(count, None) is None:
                    return
            started = time.perf_counter()
            status = request(url, timeout=300)[0]
            if status != 200:
                raise RuntimeError(f"{url}: {status}")
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return {"rps": total / elapsed, "p50_ms": statistics.median(latencies), "method": f"{total} requests, c{concurrency}"}


def load(url: str, duration: int, headers: dict[str, str] | None = None, expect: int = 200) -> dict[str, Any]:
    """wrk when the server is fast enough; otherwise a fixed number of requests sized to the duration."""
    started = time.perf_counter()
    request(url, headers=headers, timeout=300)
    one = time.perf_counter() - started
    if one < 1.0:
        try:
            return wrk(url, duration, headers, expect)
        except TooSlow:
            pass
    return fixed(url, total=max(4, min(40, math.ceil(2 * duration / one))))


def request(
    url: str,
    method: str = "GET",
    data: Any = None,
    headers: dict[str, str] | None = None,
    timeout: float = 60,
    opener: urllib.request.OpenerDirector | None = None,
) -> tuple[int, dict[str, str], bytes]:
    """Make one request; any status is returned, not raised."""
    body = json.dumps(data).encode() if data is not None else None
    req = urllib.request.Request(
        url, data=body, method=method, headers={"Content-Type": "application/json", **(headers or {})}
    )
    try:
        with (opener or urllib.request.build_opener()).open(req, timeout=timeout) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def token(base: str, email: str, password: str) -> str:
    """Create a personal API token for the account."""
    status, _, body = request(base + "/api/v1/tokens", "POST", {"email": email, "password": password})
    if status != 201:
        raise RuntimeError(f"token for {email}: {status} {body[:200]!r}")
    return str(json.loads(body)["token"])


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _cookies(headers: Any, jar: dict[str, str]) -> dict[str, str]:
    for value in headers.get_all("Set-Cookie") or []:
        parsed = http.cookies.SimpleCookie()
        parsed.load(value)
        jar.update({name: morsel.value for name, morsel in parsed.items()})
    return jar


def session_cookie(base: str, email: str, password: str) -> str:
    """Log in through the HTML form (with its CSRF token) and return the Cookie header it earned.

    Production cookies are marked Secure, which urllib would not send back over plain HTTP on
    127.0.0.1, so they are carried by hand. As a browser does, it follows the redirect after the
    login and keeps the cookie that page sets (the session's CSRF secret, made by the first page with
    a form), and it sends no User-Agent, as wrk does not: the session is then wrk's own browser's.
    Without that, every read would make the session a new CSRF secret (and mark it as from another
    browser), and no page of a member could be the same twice.
    """
    opener = urllib.request.build_opener(_NoRedirect)
    opener.addheaders = []  # no User-Agent: wrk sends none
    jar: dict[str, str] = {}
    with opener.open(base + "/login", timeout=30) as answer:
        page = answer.read().decode()
        _cookies(answer.headers, jar)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
    if not csrf:
        raise RuntimeError("no CSRF token on the login page")
    form = urllib.parse.urlencode({"csrf_token": csrf.group(1), "email": email, "password": password}).encode()
    req = urllib.request.Request(
        base + "/login",
        data=form,
        headers={"Content-Type": "application/x-www-form-urlencoded",
                 "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())},
    )
    try:
        with opener.open(req, timeout=30) as answer:
            _cookies(answer.headers, jar)
    except urllib.error.HTTPError as redirect:  # the 302 after a successful login
        if redirect.code != 302:
            raise
        _cookies(redirect.headers, jar)
        landing = urllib.request.Request(
            urllib.parse.urljoin(base + "/login", redirect.headers["Location"]),
            headers={"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())},
        )
        with opener.open(landing, timeout=30) as answer:
            _cookies(answer.headers, jar)
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def posting(
    url: str, make: Callable[[int], dict[str, Any]], headers: Callable[[int], dict[str, str]], count: int
) -> list[float]:
    """Latencies (ms) of ``count`` sequential posts; every one must be accepted."""
    times = []
    for i in range(count):
        started = time.perf_counter()
        status, _, body = request(url, "POST", make(i), headers(i))
        times.append((time.perf_counter() - started) * 1000)
        if status not in (200, 201, 202):
            raise RuntimeError(f"{url}: {status} {body[:200]!r}")
    return times


def posting_side_by_side(
    sides: dict[str, tuple[str, Callable[[int], dict[str, Any]], Callable[[int], dict[str, str]]]],
    blocks: int,
    per_block: int = 10,
    reference: str = "isso",
) -> dict[str, Any]:
    """Post sequentially to each server in turn, ``per_block`` posts at a time, ``blocks`` times.

    Short alternating blocks put every server through the same moments of the shared machine
    (its speed drifts by a factor of two over minutes here), so ratios taken block by block are
    the fair comparison. Returns every latency per side and, per side, its block medians divided
    by the ``reference`` side's (``ratios``; ``block_ratios`` is the first side's, for the report).
    """
    times: dict[str, list[float]] = {name: [] for name in sides}
    ratios: dict[str, list[float]] = {name: [] for name in sides}
    for block in range(blocks):
        medians = {}
        for name, (url, make, headers) in sides.items():
            found = posting(url, lambda i, b=block, m=make: m(b * per_block + i), headers, per_block)
            times[name] += found
            medians[name] = statistics.median(found)
        for name in sides:
            ratios[name].append(medians[name] / medians[reference])
    return {**times, "ratios": ratios, "block_ratios": ratios[next(iter(sides))], "per_block": per_block}


class RssSampler:
    """Sample the resident memory of a server's workers while a load runs; keep each worker's peak."""

    def __init__(self, server: Server, every: float = 0.2) -> None:
        self.server = server
        self.every = every
        self.peaks: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for pid in self.server.worker_pids():
                try:
                    status = open(f"/proc/{pid}/status").read()
                except OSError:
                    continue
                found = re.search(r"VmRSS:\s+(\d+) kB", status)
                if found:
                    self.peaks[pid] = max(self.peaks.get(pid, 0), int(found.group(1)))
            self._stop.wait(self.every)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def peak_mb(self) -> list[float]:
        """Each worker's peak resident memory in MB (workers recycled by max_requests included)."""
        return sorted(round(kb / 1024, 1) for kb in self.peaks.values())
