"""Measure email notifications: the statements a comment costs with 0 and 1,000 followers, and how
long the worker takes to deliver 1,000 emails to a local SMTP server.

    .venv/bin/python -m bench.notifications [--followers 1000] [--concurrency 4]

Needs PostgreSQL on 127.0.0.1:5432 (a throwaway database is made and dropped). Everything runs in
this process: the app, the worker (procrastinate, until the queue is empty) and aiosmtpd on a free
port of 127.0.0.1. Statements are counted where psycopg sends them.
"""

from __future__ import annotations

import argparse
import logging
import time

import psycopg
from flask_migrate import upgrade
from sqlalchemy import func, select

from forum import create_app
from forum.accounts.models import Access
from forum.notifications.models import Email, EmailState
from forum.platform import worker
from forum.platform.database import db
from tests.conftest import create_user, log_in
from tests.factories import make_article
from tests.integration.servers import create_database
from tests.integration.test_notification_statements import add_followers
from tests.smtp import SMTPServer


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--followers", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    url, drop = create_database()
    smtp = SMTPServer()
    smtp.start()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "JOB_RUNNER": "worker",
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "MAIL_BACKEND": "smtp",
                      "MAIL_SMTP_URL": smtp.url, "PUBLIC_URL": "https://forum.example.org",
                      "WORKER_POLL_SECONDS": 0.2})
    try:
        with app.app_context():
            upgrade()
            author = create_user("author@example.org", "Au Thor", access=Access.MODERATOR)
            make_article(slug="quiet")
            busy = make_article(slug="busy")
            db.session.commit()
            add_followers(busy.id, args.followers, "immediate")
            client = log_in(app.test_client(), author)
            for slug in ("quiet", "busy"):
                client.post(f"/api/v1/articles/{slug}/comments", json={"body": f"Warm {slug}"})
            counts = {}
            original = psycopg.Cursor.execute
            for slug in ("quiet", "busy"):
                seen: list[str] = []

                def execute(self, query, *a, _seen=seen, **k):  # type: ignore[no-untyped-def]
                    _seen.append(str(query))
                    return original(self, query, *a, **k)

                psycopg.Cursor.execute = execute  # type: ignore[method-assign]
                started = time.perf_counter()
                client.post(f"/api/v1/articles/{slug}/comments", json={"body": f"Point on {slug}"})
                counts[slug] = (len([s for s in seen if not s.startswith(("BEGIN", "COMMIT"))]),
                                (time.perf_counter() - started) * 1000)
                psycopg.Cursor.execute = original  # type: ignore[method-assign]
            print(f"posting with 0 followers:     {counts['quiet'][0]} statements, {counts['quiet'][1]:.1f} ms")
            print(f"posting with {args.followers} followers: {counts['busy'][0]} statements, {counts['busy'][1]:.1f} ms")
            db.session.remove()
            started = time.perf_counter()
            # until_idle stops at the first empty fetch, which can come while the fan-out job is still
            # deferring the deliveries: run again until no email waits.
            for _ in range(10):
                worker.run(app, concurrency=args.concurrency, until_idle=True)
                waiting = db.session.scalar(select(func.count(Email.id)).where(Email.state == EmailState.QUEUED))
                db.session.remove()
                if not waiting:
                    break
            elapsed = time.perf_counter() - started
            sent = db.session.scalar(select(func.count(Email.id)).where(Email.state == EmailState.SENT))
            print(f"worker (concurrency {args.concurrency}): {sent} emails sent, {len(smtp.mailbox.received)} "
                  f"received by SMTP, in {elapsed:.2f} s ({len(smtp.mailbox.received) / elapsed:.0f} a second)")
            db.session.remove()
            db.engine.dispose()
    finally:
        smtp.stop()
        drop()


if __name__ == "__main__":
    main()
