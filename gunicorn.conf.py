"""Run the forum in production: ``gunicorn -c gunicorn.conf.py wsgi:app`` (what ``make serve`` does)."""

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
# warm reads are fast, so 2,000 restarted a worker every ~2 s under load. Measured side by side
# (`bench/recycling.py`, 4 x 15 s blocks of wrk -c8 on the warm 1,000-comment thread page per setting,
# 2 workers, 2026-12-03, load average 7-8 on 2 cores): never 992 req/s, p99 30 ms; 2,000: 0.64 x,
# p99 1,185 ms, 19 restarts a minute; 10,000: 0.87 x, p99 40 ms, 3; 50,000: 0.95 x, p99 30 ms, 0
# (and `--settings 0 50000 --block 30`: 1.03 x, p99 31 ms, with 2 restarts in its 2 minutes). What
# recycling guards against was not seen: a never-recycled worker stayed at 115-117 MB over 59,545
# warm reads, and under the mixed load (issue 23's 90/8/2) grew 10 MB in its first 10 s (caches
# filling, bounded by THREAD_CACHE_LOCAL_MB) and then 0.3 MB over the next 7,000 requests.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "50000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", str(max_requests // 10)))
# Import the app once in the master and fork workers from it: a recycled worker starts in
# milliseconds instead of re-importing everything (1.3 s of CPU measured in bench/), and the
# workers share the imported code's memory. The app opens no connection at import time.
preload_app = True
limit_request_line = 8190
# Only the proxy in front may set X-Forwarded-*; the app trusts TRUSTED_PROXY_COUNT hops (ProxyFix).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = None  # the app logs each request itself, as JSON with its request id
logconfig_dict = logging_config(os.environ.get("LOG_LEVEL", "INFO"))
