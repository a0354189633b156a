"""Start the servers a benchmark run compares: the forum under gunicorn (three cache set-ups), Isso 0.14, xtd.

Everything listens on 127.0.0.1 and is stopped (by its own process id) when the ``with`` block ends.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ISSO_VENV = HERE / ".isso-venv"
XTD_VENV = HERE / ".xtd-venv"
REDIS = "redis://127.0.0.1:6379/0"
WORK = Path(os.environ.get("BENCH_WORK", "/tmp/forum-bench"))


@dataclass
class Server:
    """A running gunicorn: its base URL and master process (the workers are its children)."""

    name: str
    base: str
    process: subprocess.Popen[bytes]

    def worker_pids(self) -> list[int]:
        """Return the worker processes' ids (children of the gunicorn master)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []


@contextmanager
def gunicorn(name: str, argv: list[str], env: dict[str, str], port: int, cwd: Path, probe: str) -> Iterator[Server]:
    """Run ``argv`` until the block ends; wait until ``probe`` answers."""
    WORK.mkdir(parents=True, exist_ok=True)
    log = (WORK / f"{name}.log").open("w")
    process = subprocess.Popen(argv, cwd=cwd, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + probe, timeout=2)
                break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited; see {WORK / (name + '.log')}") from None
                time.sleep(0.2)
        yield Server(name, base, process)
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def ours(
    name: str, port: int, database: str, redis: bool, local_mb: int, production: bool = True,
    extra: dict[str, str] | None = None, root: Path | None = None,
) -> Iterator[Server]:
    """The forum as production runs it (gunicorn.conf.py, 2 sync workers), plus the ceiling route.

    ``redis``: share the thread cache through Redis; ``local_mb``: each worker's in-process copies
    (0 turns caching off: every read builds the thread, the "cold" case). ``root``: serve the code of
    that checkout (its ``forum``, bench app and gunicorn.conf.py) with this .venv, and log which
    code was imported (bench/probe_gunicorn.py; :func:`imported_from` reads it).
    """
    env = {
        "FORUM_ENV": "production",
        "PUBLIC_URL": "http://127.0.0.1",
        "SECRET_KEY": "bench-secret",
        "DATABASE_URL": database,
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "TRUST_AFTER_APPROVED": "0",
        "RATELIMIT_POST_ACCOUNT": "100000 per minute",
        "RATELIMIT_LOGIN_IP": "100000 per minute",
        "RATELIMIT_LOGIN_ACCOUNT": "100000 per minute",
        "REDIS_PREFIX": f"bench-{name}:",
        "RATELIMIT_STORAGE_URI": REDIS,
        "THREAD_CACHE_LOCAL_MB": str(local_mb),
        "LOG_LEVEL": "WARNING",  # the per-request JSON line goes to a file nobody reads here
    }
    if redis:
        env["REDIS_URL"] = REDIS
    if not production:  # the embedded SQLite database, which production refuses
        env["FORUM_ENV"] = "development"
    env.update(extra or {})
    config = "gunicorn.conf.py"
    if root is not None:
        env["PYTHONPATH"] = f"{root}:{root / 'bench'}"  # before the editable install's finder
        env["BENCH_GUNICORN_CONF"] = str(root / "gunicorn.conf.py")
        config = str(HERE / "probe_gunicorn.py")
    argv = [str(ROOT / ".venv/bin/gunicorn"), "-c", config, "--pythonpath", "bench", "bench_app:app"]
    return gunicorn(name, argv, env, port, root or ROOT, "/healthz")


def imported_from(server: Server) -> dict[str, str]:
    """Where a server started with ``root`` imported ``forum`` and the bench app from (its probe lines)."""
    found: dict[str, str] = {}
    for _ in range(50):
        text = (WORK / f"{server.name}.log").read_text()
        found = dict(re.findall(r'bench probe: (\w+) from ([^\s"]+)', text))
        if len(found) == 2:
            break
        time.sleep(0.1)
    return found


def isso(port: int, db_path: Path) -> Iterator[Server]:
    """Isso 0.14 as its documentation runs it: gunicorn, 2 workers, --preload; guard and moderation off.

    The worker timeout is raised (120 s) so its 10,000-comment thread can be answered at all.
    """
    cfg = WORK / "isso.cfg"
    cfg.write_text(
        f"[general]\ndbpath = {db_path}\nhost = http://127.0.0.1:{port}/\n"
        "[moderation]\nenabled = false\n[guard]\nenabled = false\n"
        f"[server]\nlisten = http://127.0.0.1:{port}/\n"
    )
    argv = [
        str(ISSO_VENV / "bin/gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "--timeout", "120",
        "--preload", "isso.run",
    ]
    return gunicorn("isso", argv, {"ISSO_SETTINGS": str(cfg)}, port, WORK, "/info")


def xtd(name: str, port: int, database: str) -> Iterator[Server]:
    """django-comments-xtd (bench/xtd/) served like Isso: gunicorn, 2 sync workers, --preload, DEBUG off.

    The worker timeout is raised (120 s) as for Isso: its 1,000-comment list takes seconds.
    """
    argv = [
        str(XTD_VENV / "bin/gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "--timeout", "120",
        "--preload", "xtdsite.wsgi",
    ]
    env = {"XTD_DATABASE": database, "DJANGO_SETTINGS_MODULE": "xtdsite.settings"}
    probe = "/comments/api/articles-article/bench-posting/count/"
    return gunicorn(name, argv, env, port, HERE / "xtd", probe)
