"""Configuration comes from the environment; create_app has no side effects."""

from __future__ import annotations

import pytest

from forum import create_app
from forum.platform.config import DEV_SECRET_KEY, ConfigError, load_config


def test_defaults_are_for_development(monkeypatch):
    for name in ("DATABASE_URL", "SECRET_KEY", "FORUM_ENV"):
        monkeypatch.delenv(name, raising=False)
    config = load_config()
    assert config["SQLALCHEMY_DATABASE_URI"] == "sqlite:///forum.db"
    assert config["SECRET_KEY"] == DEV_SECRET_KEY
    assert config["SESSION_COOKIE_SECURE"] is False


def test_environment_is_read(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db/forum")
    monkeypatch.setenv("SECRET_KEY", "s3cret")
    config = load_config()
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db/forum"
    assert config["SECRET_KEY"] == "s3cret"


def test_production_refuses_missing_secret_and_sqlite(monkeypatch):
    monkeypatch.setenv("FORUM_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db/forum")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_config()
    monkeypatch.setenv("SECRET_KEY", "s3cret")
    monkeypatch.delenv("DATABASE_URL")
    with pytest.raises(ConfigError, match="PostgreSQL"):
        load_config()
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db/forum")
    with pytest.raises(ConfigError, match="PUBLIC_URL"):
        load_config()
    monkeypatch.setenv("PUBLIC_URL", "https://forum.example.org")
    config = load_config()
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SERVER_NAME"] == "forum.example.org" and config["TRUSTED_HOSTS"] == ["forum.example.org"]


def test_create_app_touches_nothing(tmp_path):
    target = tmp_path / "never.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{target}"})
    assert app.name == "forum"
    assert not target.exists()
