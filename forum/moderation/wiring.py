"""Plug moderation into an app: its pages and API, the report form, the header count, its commands."""

from __future__ import annotations

from flask import Flask

from forum.discussion.services import gate
from forum.moderation import api, commands
from forum.moderation.http import queue_copies
from forum.moderation.services import alerts, queue_depth
from forum.moderation.services.policy import GATE
from forum.moderation.web import appeals, bp, helpers, log, members, queue, reports, safeguarding, words
from forum.platform import jobs
from forum.platform.http.metrics import add_gauges
from forum.platform.http.openapi import register_api

_VIEWS = (queue, log, members, words, safeguarding)  # each adds its routes to the one moderation blueprint


def init_app(app: Flask) -> None:
    """Register the moderation feature on ``app``."""
    assert all(module.bp is bp for module in _VIEWS)
    app.extensions[gate.EXTENSION] = GATE  # every comment and edit passes the moderation policy
    app.register_blueprint(bp)
    app.register_blueprint(reports.bp)
    app.register_blueprint(appeals.bp)
    helpers.init_app(app)
    queue_copies.init_app(app)
    register_api(api.blp)
    register_api(api.reports_blp)
    commands.init_app(app)
    jobs.every(app, "moderation.waiting_alerts", alerts.check_waiting, cron="*/5 * * * *")
    add_gauges(app, queue_depth.queue_gauges)  # the queue's depth and oldest wait on /metrics
