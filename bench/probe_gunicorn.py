"""A gunicorn config that is a checkout's gunicorn.conf.py plus one line in the log: which code runs.

    gunicorn -c bench/probe_gunicorn.py ...   with BENCH_GUNICORN_CONF=<checkout>/gunicorn.conf.py

bench/mixed_load.py serves two versions of the code from one .venv (PYTHONPATH and the working
directory point at a checkout), so it reads this line to be sure each server imported the
``forum`` package and bench app it was meant to.
"""

import os
import runpy
import sys

globals().update(
    {k: v for k, v in runpy.run_path(os.environ["BENCH_GUNICORN_CONF"]).items() if not k.startswith("__")}
)


def when_ready(server):
    """Log where the preloaded app's packages came from (WARNING, so it shows at every LOG_LEVEL)."""
    for name in ("forum", "bench_app"):
        module = sys.modules.get(name)
        server.log.warning("bench probe: %s from %s", name, getattr(module, "__file__", None))
