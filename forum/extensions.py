"""Hold the extension objects; ``create_app`` binds them to an application."""

from __future__ import annotations

from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy

from forum.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
api = Api()
