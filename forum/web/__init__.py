"""Mount the server-rendered pages."""

from __future__ import annotations

from flask import Flask

from forum.web import account, auth, comments, discovery, health, moderation, views


def register_web(app: Flask) -> None:
    """Register the HTML blueprints."""
    for module in (views, auth, comments, account, moderation, discovery, health):
        app.register_blueprint(module.bp)
