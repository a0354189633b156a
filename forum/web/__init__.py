"""Mount the server-rendered pages."""

from __future__ import annotations

from flask import Flask

from forum.web.views import bp


def register_web(app: Flask) -> None:
    """Register the HTML blueprint."""
    app.register_blueprint(bp)
