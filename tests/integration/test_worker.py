"""The real worker (procrastinate on PostgreSQL) delivering to a real SMTP server (aiosmtpd).

A worker process is started with ``flask --app forum worker``, killed with SIGKILL in the middle of
a batch and started again: every email is delivered, and none twice beyond the one in flight.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from forum import create_app
from forum.accounts.models import Access
from forum.accounts.services import accounts
from forum.accounts.services.viewer import viewer_of
from forum.discussion.models import Follow
from forum.discussion.services import posting
from forum.notifications.models import Email, EmailState, NotificationSettings
from forum.platform.database import db
from tests.factories import make_article, make_comment
from tests.integration.servers import create_database, need_services
from tests.smtp import SMTPServer

PROJECT_ROOT = Path(__file__).resolve().parents[2]
FOLLOWERS = 40


@pytest.fixture
def world(tmp_path):
    need_services()
    url, drop = create_database()
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "TESTING": True,
            "JOB_RUNNER": "worker",
            "PUBLIC_URL": "https://forum.example.org",
            "RATELIMIT_ENABLED": False,
        }
    )
    smtp = SMTPServer()
    smtp.start()
    with app.app_context():
        upgrade()
        yield app, url, smtp, tmp_path
        db.session.remove()
        db.engine.dispose()
    smtp.stop()
    drop()


def _member(email: str, name: str, access: Access = Access.MEMBER):
    return accounts.register(
        {
            "email": email,
            "password": "correct horse battery",
            "display_name": name,
            "role": "patient",
            "job_title": None,
            "organisation": None,
        },
        access=access,
    )


def start_worker(url: str, smtp: SMTPServer, log: Path, concurrency: int = 1) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "MAIL_SMTP_URL": smtp.url,
        "MAIL_BACKEND": "smtp",
        "PUBLIC_URL": "https://forum.example.org",
        "JOB_RUNNER": "worker",
        "WORKER_POLL_SECONDS": "0.2",
        "WORKER_HEARTBEAT_SECONDS": "0.5",
        "WORKER_STALLED_SECONDS": "2",
        "JOB_RETRY_BASE_SECONDS": "0.3",
        "JOB_RETRY_MAX_SECONDS": "1",
        "FORUM_ENV": "development",
    }
    return subprocess.Popen(
        [
            str(PROJECT_ROOT / ".venv/bin/flask"),
            "--app",
            "forum",
            "worker",
            "--concurrency",
            str(concurrency),
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
        process.wait(timeout=30)


def wait_for(condition, timeout: float = 60.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def sent_count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(Email.id)).where(Email.state == EmailState.SENT)) or 0


def attempts_made() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.max(Email.attempts))) or 0


def test_a_reply_is_one_email_and_smtp_down_for_a_while_delays_it_only(world):
    _app, url, smtp, tmp = world
    member = _member("parent@example.org", "Parent Person")
    moderator = _member("mod@example.org", "Mod Erator", Access.MODERATOR)
    article = make_article(slug="talk", title="Let's talk")
    parent = make_comment(article, member.profile, "My thought")
    db.session.commit()
    smtp.stop()  # the mail server is down when the reply is posted
    posting.post_comment(moderator, viewer_of(moderator), "talk", "An answer while SMTP is down", parent.id)
    db.session.commit()
    worker = start_worker(url, smtp, tmp / "worker.log")
    try:
        wait_for(lambda: attempts_made() >= 1)
        time.sleep(1.5)  # a few retries while it is down
        smtp.start()
        wait_for(lambda: sent_count() == 1)
        time.sleep(1.0)
    finally:
        stop(worker)
    received = smtp.mailbox.to("parent@example.org")
    assert (
        len(received) == 1
        and "An answer while SMTP is down" in received[0].get_body(("plain",)).get_content()
    )
    email = db.session.scalar(select(Email).where(Email.kind == "comment.reply"))
    assert email.attempts >= 2  # it failed at least once, then went out once


def test_a_worker_killed_mid_batch_and_restarted_delivers_every_email_and_repeats_at_most_the_one_in_flight(
    world,
):
    _app, url, smtp, tmp = world
    author = _member("author@example.org", "Author Person", Access.MODERATOR)
    article = make_article(slug="busy", title="A busy thread")
    followers = [_member(f"f{n}@example.org", f"Follower {n}") for n in range(FOLLOWERS)]
    db.session.flush()
    for user in followers:
        db.session.add(Follow(user_id=user.id, article_id=article.id))
        db.session.add(NotificationSettings(user_id=user.id, followed="immediate"))
    db.session.commit()
    posting.post_comment(author, viewer_of(author), "busy", "News for forty followers", None)
    db.session.commit()
    smtp.mailbox.delay = 0.1  # a slow server, so the kill lands mid-batch
    log = tmp / "worker.log"
    worker = start_worker(url, smtp, log)
    try:
        wait_for(lambda: len(smtp.mailbox.received) >= 10, timeout=90)
        stop(worker, signal.SIGKILL)
        delivered_before = len(smtp.mailbox.received)
        assert delivered_before < FOLLOWERS, "the kill must land in the middle of the batch"
        worker = start_worker(url, smtp, log)
        wait_for(lambda: sent_count() == FOLLOWERS, timeout=120)
        time.sleep(1.0)
    finally:
        stop(worker)
    per_address = Counter(m["To"] for m in smtp.mailbox.received)
    assert set(per_address) == {f"f{n}@example.org" for n in range(FOLLOWERS)}
    repeats = sum(count - 1 for count in per_address.values())
    assert repeats <= 1, per_address  # concurrency 1: at most the one in flight when it was killed
    ids = Counter(m["Message-ID"] for m in smtp.mailbox.received)
    assert len(ids) == FOLLOWERS  # a repeat carries the same Message-ID
