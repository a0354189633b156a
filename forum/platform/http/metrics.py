"""Expose what operators watch at ``/metrics``, in Prometheus's text format (prometheus-client).

- ``forum_request_duration_seconds`` (histogram): every request, by route (the URL rule, never the
  path: ids and slugs would make a series each), method and status class.
- ``forum_thread_cache_total`` (counter): anonymous thread reads answered from the cache (``hit``) or
  built (``miss``), by variant (page, JSON); counted by the discussion (:func:`count_cache`).
- Read when scraped: the database pool (``forum_db_pool_*``), the job queue's backlog and lag
  (``forum_jobs_waiting``, ``forum_jobs_oldest_wait_seconds``; PostgreSQL's procrastinate table)
  and whatever the features add with :func:`add_gauges` (moderation: the queue's depth and oldest
  wait per kind).

Only addresses in ``METRICS_ALLOW`` (addresses or networks, comma-separated; this machine by
default) are answered; anyone else gets the ordinary 404, so the page's existence is not revealed.
Several gunicorn workers: set ``PROMETHEUS_MULTIPROC_DIR`` to an empty directory shared by them (and
emptied at each start) and the counters and histograms of every worker are summed; the scrape-time
gauges are read from the database, so they are the same whichever worker answers.
"""

from __future__ import annotations

import ipaddress
import os
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from flask import Blueprint, Flask, Response, abort, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import text

from forum.platform.database import db

bp = Blueprint("metrics", __name__)
_GAUGES = "forum.metrics_gauges"

REQUEST_SECONDS = Histogram(
    "forum_request_duration_seconds",
    "Time to answer a request, by route, method and status class.",
    ["route", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
CACHE_READS = Counter(
    "forum_thread_cache", "Anonymous thread reads answered from the cache or built.", ["variant", "state"]
)

Gauge = tuple[str, str, dict[str, str], float]  # name, help, labels, value
GaugeSource = Callable[[], Iterable[Gauge]]


def add_gauges(app: Flask, source: GaugeSource) -> None:
    """Have ``source()`` read when /metrics is scraped (a feature's numbers: name, help, labels, value)."""
    app.extensions.setdefault(_GAUGES, []).append(source)


def count_cache(variant: str, state: str) -> None:
    """Count one anonymous thread read: ``state`` is "hit" or "miss"."""
    CACHE_READS.labels(variant=variant, state=state).inc()


def _allowed(address: str | None) -> bool:
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for entry in current_app.config["METRICS_ALLOW"]:
        try:
            if ip in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


class _ScrapeTime:
    """The numbers read when scraped, as one collector."""

    def __init__(self, gauges: list[Gauge]) -> None:
        self.gauges = gauges

    def collect(self) -> Iterator[GaugeMetricFamily]:
        families: dict[str, GaugeMetricFamily] = {}
        for name, help_text, labels, value in self.gauges:
            family = families.get(name)
            if family is None:
                family = families[name] = GaugeMetricFamily(name, help_text, labels=sorted(labels))
            family.add_metric([labels[key] for key in sorted(labels)], value)
        yield from families.values()


def _pool() -> Iterator[Gauge]:
    pool: Any = db.engine.pool
    for name, what in (("size", "connections the pool keeps"), ("checkedout", "connections in use")):
        reader = getattr(pool, name, None)
        if callable(reader):
            yield f"forum_db_pool_{name}", f"Database pool: {what}.", {}, float(reader())
    overflow = getattr(pool, "overflow", None)
    if callable(overflow):
        yield "forum_db_pool_overflow", "Database pool: connections beyond its size.", {}, float(overflow())


def _job_queue() -> Iterator[Gauge]:
    """The worker's backlog and how long the oldest waiting job has waited (PostgreSQL only)."""
    if db.engine.dialect.name != "postgresql":
        return
    row = db.session.execute(
        text(
            "SELECT count(*) AS waiting,"
            " EXTRACT(EPOCH FROM now() - min(COALESCE(j.scheduled_at, e.at))) AS oldest"
            " FROM procrastinate_jobs j LEFT JOIN LATERAL (SELECT min(at) AS at FROM procrastinate_events"
            " WHERE job_id = j.id) e ON true"
            " WHERE j.status = 'todo' AND (j.scheduled_at IS NULL OR j.scheduled_at <= now())"
        )
    ).one()
    yield "forum_jobs_waiting", "Jobs waiting for the worker (due now).", {}, float(row.waiting or 0)
    yield (
        "forum_jobs_oldest_wait_seconds",
        "How long the oldest due job has waited: the worker's lag.",
        {},
        float(row.oldest or 0),
    )


@bp.get("/metrics")
def metrics() -> Response:
    """The metrics, for the addresses in METRICS_ALLOW; a 404 for anyone else."""
    if not _allowed(request.remote_addr):
        abort(404)
    gauges: list[Gauge] = list(_pool())
    try:
        gauges += _job_queue()
        for source in current_app.extensions.get(_GAUGES, []):
            gauges += source()
    finally:
        db.session.rollback()
    scrape = CollectorRegistry()
    scrape.register(_ScrapeTime(gauges))
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        shared = CollectorRegistry()
        MultiProcessCollector(shared)
        body = generate_latest(shared)
    else:
        body = generate_latest(REGISTRY)
    response = Response(body + generate_latest(scrape), mimetype=CONTENT_TYPE_LATEST)
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    """Mount /metrics and time every request."""

    @app.before_request
    def start_timer() -> None:
        g.metrics_started = time.perf_counter()

    @app.after_request
    def observe(response: Response) -> Response:
        started = g.pop("metrics_started", None)
        if started is not None:
            route = request.url_rule.rule if request.url_rule is not None else "unmatched"
            REQUEST_SECONDS.labels(
                route=route, method=request.method, status=f"{response.status_code // 100}xx"
            ).observe(time.perf_counter() - started)
        return response

    app.register_blueprint(bp)
