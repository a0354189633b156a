"""Measure whether a password-reset request's timing tells which addresses have accounts.

    .venv/bin/python -m bench.reset_timing [--rounds 400]

Needs PostgreSQL on 127.0.0.1:5432 (a throwaway database is made and dropped). The app runs in
this process as production runs it (JOB_RUNNER=worker: the request writes one job to the queue;
nobody runs it here), rate limits off. Known and unknown addresses alternate, through the form and
the API; the report gives each path's median and 90th percentile, the difference of medians and how
often a guess "slower than the overall median means an account" is right (50 % is a coin toss).
"""

from __future__ import annotations

import argparse
import logging
import statistics
import time

from flask_migrate import upgrade

from forum import create_app
from forum.platform.database import db
from tests.conftest import create_user
from tests.integration.servers import create_database


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=400)
    args = parser.parse_args()
    url, drop = create_database()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "JOB_RUNNER": "worker",
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "MAIL_BACKEND": "log",
                      "PUBLIC_URL": "https://forum.example.org"})
    try:
        with app.app_context():
            upgrade()
            known = [create_user(f"member{i}@example.org", f"Member Number {i}").email for i in range(20)]
            db.session.commit()
            client = app.test_client()
            times: dict[tuple[str, str], list[float]] = {}
            for route in ("/password/forgot", "/api/v1/password-resets"):
                for warm in range(20):
                    _ask(client, route, known[warm % 20])
                for n in range(args.rounds):
                    for kind, email in (("known", known[n % 20]), ("unknown", f"nobody{n}@example.org")):
                        times.setdefault((route, kind), []).append(_ask(client, route, email))
            db.engine.dispose()
    finally:
        drop()
    for route in ("/password/forgot", "/api/v1/password-resets"):
        k, u = times[(route, "known")], times[(route, "unknown")]
        middle = statistics.median(k + u)
        right = sum(t > middle for t in k) + sum(t <= middle for t in u)
        print(f"{route}: known median {statistics.median(k):.2f} ms p90 {_p90(k):.2f} ms; "
              f"unknown median {statistics.median(u):.2f} ms p90 {_p90(u):.2f} ms; "
              f"difference {statistics.median(k) - statistics.median(u):+.2f} ms; "
              f"guessing from one request is right {100 * right / (len(k) + len(u)):.0f} % of the time")


def _ask(client, route: str, email: str) -> float:
    start = time.perf_counter()
    if route.startswith("/api"):
        response = client.post(route, json={"email": email})
    else:
        response = client.post(route, data={"email": email})
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code in (200, 202), response.status_code
    return elapsed


def _p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1]


if __name__ == "__main__":
    main()
