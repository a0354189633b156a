"""Hold the extension objects; ``create_app`` binds them to an application."""

from __future__ import annotations

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
# Limits are declared on the views; storage comes from RATELIMIT_STORAGE_URI (memory:// by default).
limiter = Limiter(key_func=get_remote_address)
