"""Hold the extension objects; ``create_app`` binds them to an application."""

from __future__ import annotations

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from forum.models.base import Base
from forum.openapi import ForumApi

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
api = ForumApi()  # every status documented, in the one error shape (forum/openapi.py)
login_manager = LoginManager()
csrf = CSRFProtect()


class ViewLimiter(Limiter):
    """Flask-Limiter for limits declared on views, which is all this forum uses.

    Each decorated view checks its own limits. The extension's before_request pass exists for
    application-wide, default and meta limits; here it found nothing to count on every request and
    cost about 0.07 ms doing so, so it is skipped, and init_app refuses the settings that need it.
    """

    PASS_SETTINGS = ("RATELIMIT_DEFAULT", "RATELIMIT_APPLICATION", "RATELIMIT_META")

    def init_app(self, app: Flask) -> None:
        needing = [name for name in self.PASS_SETTINGS if app.config.get(name)]
        if needing:
            raise RuntimeError(
                f"{', '.join(needing)}: declare limits on the views instead (forum/ratelimits.py)"
            )
        super().init_app(app)

    def _check_request_limit(self, callable_name: str | None = None, in_middleware: bool = True) -> None:
        if not in_middleware:  # the view's own decorator
            super()._check_request_limit(callable_name=callable_name, in_middleware=False)


# Limits are declared on the views; storage comes from RATELIMIT_STORAGE_URI (memory:// by default).
limiter = ViewLimiter(key_func=get_remote_address)
