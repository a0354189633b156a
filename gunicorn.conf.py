"""Run the forum in production: ``gunicorn -c gunicorn.conf.py wsgi:app`` (what ``make serve`` does)."""

import gc
import multiprocessing
import os

from forum.platform.http.observability import logging_config

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# Sync workers: the app is CPU- and database-bound and keeps no per-connection state.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))  # a stuck worker is killed and replaced
graceful_timeout = 30
keepalive = 5
# Recycle each worker after this many requests (0: never), so a slow leak cannot grow for ever; the
# jitter (a tenth unless set) keeps the workers from restarting together. 50,000, not 2,000: a
# restart costs about a second of a worker's throughput (its caches and connections start empty), and
# warm reads are fast, so 2,000 restarted a worker every ~2 s under load. Measured side by side in
# issue 23's run of record (`bench/recycling.py --rounds 2 --soak 60`: 2 x 15 s blocks of wrk -c8 on
# the warm 1,000-comment thread page per setting, 2 workers, 2026-12-03, load average 2-3 on 2 cores;
# docs/performance.md): never 2,289 req/s, p99 5.4 ms; 2,000: 0.79 x, p99 236 ms, 25 restarts;
# 10,000: 0.91 x, p99 30 ms, 6; 50,000: 0.98 x, p99 5.6 ms, 0 (earlier, at load 7-8: 0.64 x, 0.87 x,
# 0.95 x). What recycling guards against was not seen: a never-recycled worker stayed at 115-117 MB
# over 68,666 warm reads, and under the mixed load (90/8/2) grew 8 MB in its first minute (caches
# filling, bounded by THREAD_CACHE_LOCAL_MB) and then stayed flat.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "50000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", str(max_requests // 10)))
# Import the app once in the master and fork workers from it: a recycled worker starts in
# milliseconds instead of re-importing everything (1.3 s of CPU measured in bench/), and the
# workers share the imported code's memory. The app opens no connection at import time.
preload_app = True


def pre_fork(server, worker):
    """Freeze what the master imported and built before each worker is forked from it.

    The app's modules, its extensions and SQLAlchemy's and Jinja's machinery are some 176,000
    objects that live as long as the worker. Unfrozen, the garbage collector walks all of them at
    every full collection: about 100 ms, once every 15 or so pages of a 1,000-comment thread for a
    member (a tenth of their cost). Frozen (gc.freeze, Python's own tool for forking servers), a full
    collection walks only what the worker made since, and the workers keep sharing those pages of
    memory with the master instead of copying them when the collector writes to them. Measured in
    docs/performance.md (issue 23).
    """
    gc.freeze()


limit_request_line = 8190
# Only the proxy in front may set X-Forwarded-*; the app trusts TRUSTED_PROXY_COUNT hops (ProxyFix).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = None  # the app logs each request itself, as JSON with its request id
logconfig_dict = logging_config(os.environ.get("LOG_LEVEL", "INFO"))
