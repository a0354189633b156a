"""Plug privacy into an app: the download of your data, in pages and the API."""

from __future__ import annotations

from flask import Flask

from forum.platform.http.openapi import register_api
from forum.privacy import api, web


def init_app(app: Flask) -> None:
    """Register the privacy feature on ``app``."""
    app.register_blueprint(web.bp)
    register_api(api.blp)
