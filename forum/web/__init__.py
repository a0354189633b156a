"""Mount the server-rendered pages."""

from __future__ import annotations

from flask import Flask

from forum.web import (
    account,
    account_security,
    auth,
    comments,
    dev,
    discovery,
    health,
    moderation,
    recovery,
    views,
)


def register_web(app: Flask) -> None:
    """Register the HTML blueprints."""
    for module in (views, auth, comments, account, moderation, discovery, health):
        app.register_blueprint(module.bp)
    for module in (recovery, account_security):
        app.register_blueprint(module.bp)
    if app.config["MAIL_BACKEND"] == "outbox":  # never in production (forum/config.py refuses it)
        app.register_blueprint(dev.bp)
