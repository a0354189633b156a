"""Plug notifications into an app: the page, the API and the header's unread count."""

from __future__ import annotations

from flask import Flask

from forum.notifications import api, web
from forum.platform.http.openapi import register_api


def init_app(app: Flask) -> None:
    """Register the notifications feature on ``app``."""
    web.init_app(app)
    register_api(api.blp)
