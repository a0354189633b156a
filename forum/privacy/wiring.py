"""Plug privacy into an app: the download of your data (pages, API), retention (command, nightly job)."""

from __future__ import annotations

from flask import Flask

from forum.platform import jobs
from forum.platform.http.openapi import register_api
from forum.privacy import api, commands, web
from forum.privacy.services import retention


def init_app(app: Flask) -> None:
    """Register the privacy feature on ``app``."""
    app.register_blueprint(web.bp)
    register_api(api.blp)
    commands.init_app(app)
    jobs.every(app, "privacy.retention", retention.run, cron="17 3 * * *")  # nightly, off the hour
