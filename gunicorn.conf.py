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
max_requests = 2000  # recycle workers now and then so a slow leak cannot grow for ever
max_requests_jitter = 200
# Import the app once in the master and fork workers from it: a recycled worker starts in
# milliseconds instead of re-importing everything (1.3 s of CPU measured in bench/), and the
# workers share the imported code's memory. The app opens no connection at import time.
preload_app = True
limit_request_line = 8190
# Only the proxy in front may set X-Forwarded-*; the app trusts TRUSTED_PROXY_COUNT hops (ProxyFix).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = None  # the app logs each request itself, as JSON with its request id
logconfig_dict = logging_config(os.environ.get("LOG_LEVEL", "INFO"))
