"""Run the jobs the app servers queued: ``flask --app forum worker`` (and ``make worker``).

The worker is procrastinate's, fed with the tasks and schedules the features registered
(forum/platform/jobs.py). It listens for new jobs (LISTEN/NOTIFY, so a reply's email leaves within
moments), runs ``WORKER_CONCURRENCY`` of them at a time in threads, each in its own app context and
transaction, and retries those that ask for it with exponential backoff. Every worker sends a
heartbeat; a job left half done by a worker that died (SIGKILL, a lost machine) is handed out again
once that worker has been silent for ``WORKER_STALLED_SECONDS``: delivery is at least once, and the
tasks make a second run harmless (an email already sent is not sent again, save the one in flight).
SIGTERM or SIGINT stops taking jobs and lets the running ones finish.
"""

from __future__ import annotations

import logging
from typing import Any

import click
import procrastinate
import psycopg
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url
from sqlalchemy.exc import InterfaceError, OperationalError

from forum.platform import jobs as job_registry
from forum.platform.job_queue import QUEUE, Backoff

log = logging.getLogger(__name__)
# What a retried job may have met: its own temporary failure, or the database going away.
RETRYABLE: tuple[type[BaseException], ...] = (
    job_registry.Retry,
    OperationalError,
    InterfaceError,
    psycopg.OperationalError,
)


def libpq_url(app: Flask) -> str:
    """The database URL as psycopg wants it (no SQLAlchemy driver name)."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def build(app: Flask) -> procrastinate.App:
    """Make the procrastinate app that runs ``app``'s registered tasks and schedules."""
    registry = job_registry.jobs(app)
    queue = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=libpq_url(app)))
    backoff = Backoff(
        base=float(app.config["JOB_RETRY_BASE_SECONDS"]),
        cap=float(app.config["JOB_RETRY_MAX_SECONDS"]),
        retryable=RETRYABLE,
    )
    for name, spec in registry.tasks.items():
        periodic = registry.periodic.get(name)
        task = queue.task(
            name=name, queue=QUEUE, priority=spec.priority, retry=backoff if spec.retry else False
        )(_runner(app, name, periodic=periodic is not None))
        if periodic is not None:
            queue.periodic(cron=periodic.cron, periodic_id=name)(task)
    _schedule_stalled_check(app, queue)
    return queue


def _runner(app: Flask, name: str, periodic: bool) -> Any:
    """The function procrastinate calls for task ``name`` (a periodic run also gets its timestamp)."""

    def run_job(**kwargs: Any) -> None:
        if periodic:
            kwargs.pop("timestamp", None)
        job_registry.run(app, name, kwargs)

    run_job.__name__ = run_job.__qualname__ = name.replace(".", "_")
    return run_job


def _schedule_stalled_check(app: Flask, queue: procrastinate.App) -> None:
    """Hand out again the jobs of workers that stopped sending heartbeats (procrastinate's recipe)."""
    seconds = max(1, int(app.config["WORKER_STALLED_SECONDS"]))
    cron = f"*/{seconds} * * * * *" if seconds < 60 else "* * * * *"

    async def retry_stalled_jobs(timestamp: int) -> None:
        for job in await queue.job_manager.get_stalled_jobs(seconds_since_heartbeat=seconds):
            log.warning("retrying a job its worker left unfinished", extra={"task": job.task_name})
            await queue.job_manager.retry_job(job)

    stalled = queue.task(name="platform.retry_stalled_jobs", queue=QUEUE, priority=10)(retry_stalled_jobs)
    queue.periodic(cron=cron, periodic_id="stalled")(stalled)


def run(app: Flask, concurrency: int, until_idle: bool = False) -> None:
    """Run the worker until it is stopped (or, with ``until_idle``, until no job is left)."""
    build(app).run_worker(
        queues=[QUEUE],
        concurrency=concurrency,
        wait=not until_idle,
        delete_jobs="successful",  # the emails table keeps the record; the queue stays small
        fetch_job_polling_interval=float(app.config["WORKER_POLL_SECONDS"]),
        update_heartbeat_interval=float(app.config["WORKER_HEARTBEAT_SECONDS"]),
        stalled_worker_timeout=float(app.config["WORKER_STALLED_SECONDS"]),
        shutdown_graceful_timeout=30,
    )


@click.command("worker")
@click.option("--concurrency", type=int, default=None, help="Jobs run at once (WORKER_CONCURRENCY).")
@click.option(
    "--until-idle",
    is_flag=True,
    help="Stop at the first moment no job waits (one-off runs; jobs a job defers may be left for the next).",
)
@with_appcontext
def worker_command(concurrency: int | None, until_idle: bool) -> None:
    """Deliver email and run the scheduled jobs (digests, moderator alerts): one or more per site."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        raise click.ClickException(
            "The worker needs PostgreSQL (its job queue lives there). With SQLite (make run) "
            "the forum runs its jobs in-process after each commit: there is nothing to start."
        )
    if job_registry.jobs(app).runner != "worker":
        click.echo("note: JOB_RUNNER is not 'worker', so this app's own jobs run in-process;", err=True)
        click.echo("this worker runs the schedules and any jobs other servers queued.", err=True)
    run(app, concurrency or int(app.config["WORKER_CONCURRENCY"]), until_idle=until_idle)


def init_app(app: Flask) -> None:
    """Add ``flask worker`` to the app's commands."""
    app.cli.add_command(worker_command)
