"""Keep jobs in PostgreSQL with procrastinate: write them in the caller's transaction, retry with backoff.

Procrastinate (docs/architecture.md says why it was chosen) stores each job as a row of its own
tables, in the forum's database, so a job deferred on the request's connection commits or rolls back
with the change that asked for it. This module is the only one that knows procrastinate's API for
deferring; forum/platform/worker.py runs the jobs.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from procrastinate import BaseRetryStrategy, RetryDecision, SyncPsycopgConnector
from procrastinate.jobs import Job
from procrastinate.manager import JobManager

QUEUE = "default"
# Used only with a connection the caller hands over (its pool is never opened).
_manager = JobManager(SyncPsycopgConnector())


def defer_on(connection: Any, wanted: list[tuple[str, dict[str, Any], int]]) -> None:
    """Write jobs ``(task, kwargs, priority)`` on ``connection``, in its transaction, in one statement."""
    _manager.batch_defer_jobs(
        [
            Job(
                id=None,
                queue=QUEUE,
                lock=None,
                queueing_lock=None,
                task_name=task,
                task_kwargs=kwargs,
                priority=priority,
            )
            for task, kwargs, priority in wanted
        ],
        connection=connection,
    )


class Backoff(BaseRetryStrategy):
    """Retry what failed for a passing reason, waiting twice as long each time (up to ``cap`` seconds).

    Only the exception types given are retried (a task's :class:`~forum.platform.jobs.Retry`, the
    database going away); anything else is a bug, recorded as the job's failure. The task itself
    decides when to give up (it stops raising ``Retry``), so no attempt limit is kept here.
    """

    def __init__(self, base: float, cap: float, retryable: tuple[type[BaseException], ...]) -> None:
        self.base = base
        self.cap = cap
        self.retryable = retryable

    def delay(self, attempts: int) -> float:
        """Seconds to wait after ``attempts`` failed attempts."""
        return float(min(self.cap, self.base * 2 ** min(attempts, 30)))

    def get_retry_decision(self, *, exception: BaseException, job: Job) -> RetryDecision | None:
        if not isinstance(exception, self.retryable):
            return None
        return RetryDecision(retry_at=datetime.now(UTC) + timedelta(seconds=self.delay(job.attempts)))
