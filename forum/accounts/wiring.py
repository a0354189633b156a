"""Plug accounts into an app: who is asking (flask-login), joining and account pages, the API, commands."""

from __future__ import annotations

from flask import Flask

from forum.accounts import api, commands
from forum.accounts.http import identity
from forum.accounts.services import credentials
from forum.accounts.web import account, helpers, login, recovery, security
from forum.platform import jobs
from forum.platform.http.openapi import register_api


def init_app(app: Flask) -> None:
    """Register the accounts feature on ``app`` (before the rate limiter: limits by account need it)."""
    identity.init_app(app)
    for module in (login, recovery, account, security):
        app.register_blueprint(module.bp)
    helpers.init_app(app)
    register_api(api.blp)
    commands.init_app(app)
    jobs.register(app, credentials.RESET_REQUESTED, credentials.send_reset, priority=10)
