"""Fixtures for the attack tests: the app as production configures its limits and CSRF."""

from __future__ import annotations

import pytest
from flask import Flask

from forum import create_app


@pytest.fixture
def strict_app(app: Flask) -> Flask:
    """The same database, with rate limits switched on (CSRF stays off: these tests attack the limits)."""
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "JOB_RUNNER": "manual",
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "RATELIMIT_LOGIN_IP": "1000 per minute",
            "RATELIMIT_LOGIN_ACCOUNT": "5 per minute",
        }
    )
