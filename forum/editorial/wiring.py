"""Plug the editorial feature into an app: the editors' pages and the API's writes to articles."""

from __future__ import annotations

from flask import Flask

from forum.editorial import api
from forum.editorial.web import articles
from forum.platform.http.openapi import register_api


def init_app(app: Flask) -> None:
    """Register the editorial feature on ``app``."""
    app.register_blueprint(articles.bp)
    register_api(api.blp)
