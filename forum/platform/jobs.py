"""Run work after the commit and lose none of it: a job queue in production, this process otherwise.

A service asks for work with ``later("notifications.deliver", email=12)``; the work happens only if
the transaction commits (a rolled-back reply asks for nothing). Arguments are ids only: the queue
logs them, and the task reads what it needs when it runs, so it always sees the latest state.

Where the work runs (``JOB_RUNNER``):

- ``worker`` (production, PostgreSQL): the jobs are written to procrastinate's table in the same
  transaction as the change, all of a transaction's jobs in one statement just before the commit;
  ``flask --app forum worker`` runs them (forum/platform/worker.py), retrying what asks to be retried.
  Nothing is lost while the worker, the mail server or the database is down: the jobs wait.
- ``inline`` (development, ``make run`` with SQLite): run in this process right after the commit,
  each in its own transaction, the jobs they ask for in turn; a retry is logged, not repeated.
- ``manual`` (tests): kept until :func:`run_pending` runs them, so a request's statements are its own.

Tasks and periodic tasks are registered by the features (``register``, ``every``) in ``create_app``.
A task commits what it wrote when it returns; raising :class:`Retry` commits what it recorded and
asks to be run again later (with backoff, in the worker).
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app
from sqlalchemy.orm import Session

from forum.platform.database import db
from forum.platform.job_queue import defer_on
from forum.platform.unit_of_work import Transaction, transaction, unit_of_work

log = logging.getLogger(__name__)
_EXTENSION = "forum.jobs"
RUNNERS = ("worker", "inline", "manual")


class Retry(Exception):
    """Raised by a task: keep what it recorded, and run it again later (temporary failure)."""


@dataclass(frozen=True)
class TaskSpec:
    """A task the features registered: its function, whether it may be retried, its priority."""

    name: str
    func: Callable[..., Any]
    retry: bool = False
    priority: int = 0


@dataclass(frozen=True)
class Periodic:
    """A task the worker runs on a schedule (cron, with an optional sixth column for seconds)."""

    name: str
    func: Callable[..., Any]
    cron: str


@dataclass
class Jobs:
    """The app's tasks, schedules and, for the manual runner, the jobs waiting to be run."""

    runner: str
    tasks: dict[str, TaskSpec] = field(default_factory=dict)
    periodic: dict[str, Periodic] = field(default_factory=dict)
    pending: deque[tuple[str, dict[str, Any]]] = field(default_factory=deque)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Later(list[tuple[str, dict[str, Any]]]):
    """The jobs a transaction asks for, in order (one per task and arguments)."""


_draining = threading.local()  # inline: jobs asked for by a job run after it, not inside it


def jobs(app: Flask | None = None) -> Jobs:
    """The job registry of ``app`` (the current app by default)."""
    found: Jobs = (app or current_app).extensions[_EXTENSION]
    return found


def register(app: Flask, name: str, func: Callable[..., Any], retry: bool = False, priority: int = 0) -> None:
    """Make ``func`` runnable as the task ``name`` (a feature's wiring calls this)."""
    jobs(app).tasks[name] = TaskSpec(name, func, retry, priority)


def every(app: Flask, name: str, func: Callable[..., Any], cron: str) -> None:
    """Have the worker run ``func`` on the schedule ``cron`` (also runnable as the task ``name``)."""
    register(app, name, func)
    jobs(app).periodic[name] = Periodic(name, func, cron)


def later(task: str, **kwargs: Any) -> None:
    """Ask for ``task(**kwargs)`` to run once the current transaction commits (ids only, JSON values).

    :raises KeyError: for a task no feature registered (a typo should fail at once, not in the worker).
    """
    if task not in jobs().tasks:
        raise KeyError(f"no task named {task!r}")
    wanted = transaction().part(Later)
    if (task, kwargs) not in wanted:
        wanted.append((task, kwargs))


def run(app: Flask, task: str, kwargs: dict[str, Any]) -> Any:
    """Run one task in its own app context and transaction, committing when it returns (its result is
    returned) or asks to retry.

    :raises Retry: passed on after committing what the task recorded.
    """
    spec = jobs(app).tasks[task]
    with app.app_context():
        try:
            result = spec.func(**kwargs)
        except Retry:
            db.session.commit()
            raise
        except BaseException:
            db.session.rollback()
            raise
        else:
            db.session.commit()
            return result
        finally:
            db.session.remove()


def run_pending(app: Flask | None = None) -> int:
    """Run the jobs the manual runner kept, and those they ask for, until none is left; return how many."""
    target = app or current_app._get_current_object()  # type: ignore[attr-defined]
    registry = jobs(target)
    done = 0
    while True:
        with registry.lock:
            if not registry.pending:
                return done
            task, kwargs = registry.pending.popleft()
        _run_logged(target, task, kwargs)
        done += 1


def _run_logged(app: Flask, task: str, kwargs: dict[str, Any]) -> None:
    try:
        run(app, task, kwargs)
    except Retry:
        log.warning("job asked to be retried; run in-process, it is not", extra={"task": task})


def _defer(state: Transaction, session: Session) -> None:
    """Write the transaction's jobs to the queue on its own connection (worker runner), in one statement."""
    wanted = state.part(Later)
    if not wanted or jobs().runner != "worker":
        return
    tasks = jobs().tasks
    defer_on(
        session.connection().connection.driver_connection,
        [(task, kwargs, tasks[task].priority) for task, kwargs in wanted],
    )
    wanted.clear()


def _after_commit(state: Transaction) -> None:
    wanted = list(state.part(Later))
    if not wanted:
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    registry = jobs(app)
    if registry.runner == "worker":
        return
    with registry.lock:
        registry.pending.extend(wanted)
    if registry.runner == "inline" and not getattr(_draining, "active", False):
        _draining.active = True
        try:
            run_pending(app)
        finally:
            _draining.active = False


def init_app(app: Flask) -> None:
    """Give ``app`` its job registry and hand each committed transaction's jobs to the runner."""
    runner = app.config["JOB_RUNNER"]
    if runner not in RUNNERS:
        raise ValueError(f"JOB_RUNNER must be one of {', '.join(RUNNERS)}, not {runner!r}")
    app.extensions[_EXTENSION] = Jobs(runner)
    unit_of_work(app).before_commit(_defer)
    unit_of_work(app).on_commit(_after_commit)
