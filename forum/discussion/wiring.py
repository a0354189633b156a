"""Plug the discussion into an app: reading and posting pages, the API, counters and the thread cache."""

from __future__ import annotations

from flask import Flask

from forum.discussion.api import articles, comments, profiles, search
from forum.discussion.http import caching
from forum.discussion.services import counters
from forum.discussion.web import comments as comment_pages
from forum.discussion.web import discovery, helpers, reading
from forum.platform.http.openapi import register_api
from forum.platform.unit_of_work import unit_of_work


def init_app(app: Flask) -> None:
    """Register the discussion feature on ``app``."""
    unit_of_work(app).on_flush(counters.apply)  # stored counts and versions move with every flush
    caching.init_app(app)  # ... and cached copies of the threads it touched go stale at its commit
    for module in (reading, comment_pages, discovery):
        app.register_blueprint(module.bp)
    helpers.init_app(app)
    for api_module in (articles, comments, profiles, search):
        register_api(api_module.blp)
