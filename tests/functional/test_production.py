"""Production settings: proxies, request ids, health checks, engine options, gunicorn config."""

from __future__ import annotations

import json
import logging
import runpy

from flask import Flask, request

from forum import create_app
from forum.platform.config import PROJECT_ROOT, engine_options
from forum.platform.http.observability import JsonFormatter


def test_proxy_headers_are_trusted_only_when_configured(app: Flask):
    for hops, expected in ((0, "127.0.0.1"), (1, "203.0.113.9")):
        configured = create_app(
            {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "TRUSTED_PROXY_COUNT": hops}
        )
        seen = {}

        @configured.get("/_who")
        def who():
            seen["addr"] = request.remote_addr
            seen["scheme"] = request.scheme
            return "ok"

        configured.test_client().get(
            "/_who",
            headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"},
            environ_base={"REMOTE_ADDR": "127.0.0.1"},
        )
        assert seen["addr"] == expected
        assert seen["scheme"] == ("https" if hops else "http")


def test_request_ids_are_echoed_or_made(client):
    given = client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert given.headers["X-Request-ID"] == "abc-123"
    made = client.get("/healthz", headers={"X-Request-ID": "bad id with spaces <script>"})
    assert (
        made.headers["X-Request-ID"] != "bad id with spaces <script>"
        and len(made.headers["X-Request-ID"]) == 32
    )


def test_json_log_lines(client, caplog):
    caplog.set_level(logging.INFO, logger="forum.request")
    client.get("/api/v1/articles?email=someone@example.org", headers={"X-Request-ID": "req-1"})
    record = next(r for r in caplog.records if r.name == "forum.request")
    line = json.loads(JsonFormatter().format(record))
    assert line["path"] == "/api/v1/articles" and line["status"] == 200 and line["method"] == "GET"
    assert "someone@example.org" not in json.dumps(line)  # query strings are never logged


def test_health_and_readiness(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.get_json()["checks"] == {"database": "ok", "migrations": "ok", "redis": "not configured"}


def test_postgres_engine_options_come_from_the_environment():
    env = {"DB_POOL_SIZE": "12", "DB_STATEMENT_TIMEOUT_MS": "2500"}
    options = engine_options("postgresql+psycopg://u@h/db", env)
    assert options["pool_size"] == 12 and "pool_pre_ping" not in options  # database.py checks for free
    assert options["connect_args"]["options"] == "-c statement_timeout=2500"
    assert engine_options("sqlite:///x.db", env) == {}


def test_gunicorn_config_reads_the_environment(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("PORT", "8123")
    config = runpy.run_path(str(PROJECT_ROOT / "gunicorn.conf.py"))
    assert config["workers"] == 3 and config["bind"] == "127.0.0.1:8123"
    assert config["timeout"] == 30 and config["logconfig_dict"]["formatters"]["json"]


def test_gunicorn_recycles_workers_as_the_environment_says(monkeypatch):
    monkeypatch.delenv("GUNICORN_MAX_REQUESTS", raising=False)
    monkeypatch.delenv("GUNICORN_MAX_REQUESTS_JITTER", raising=False)
    config = runpy.run_path(str(PROJECT_ROOT / "gunicorn.conf.py"))
    assert (config["max_requests"], config["max_requests_jitter"]) == (50_000, 5_000)
    monkeypatch.setenv("GUNICORN_MAX_REQUESTS", "0")
    config = runpy.run_path(str(PROJECT_ROOT / "gunicorn.conf.py"))
    assert (config["max_requests"], config["max_requests_jitter"]) == (0, 0)
    monkeypatch.setenv("GUNICORN_MAX_REQUESTS", "10000")
    monkeypatch.setenv("GUNICORN_MAX_REQUESTS_JITTER", "50")
    config = runpy.run_path(str(PROJECT_ROOT / "gunicorn.conf.py"))
    assert (config["max_requests"], config["max_requests_jitter"]) == (10_000, 50)


def test_workers_are_forked_with_what_the_master_built_frozen():
    """gunicorn calls pre_fork in the master before each fork: the app's long-lived objects are then
    out of the garbage collector's full collections in every worker (gunicorn.conf.py)."""
    import gc

    config = runpy.run_path(str(PROJECT_ROOT / "gunicorn.conf.py"))
    assert gc.get_freeze_count() == 0
    try:
        config["pre_fork"](None, None)
        assert gc.get_freeze_count() > 10_000  # the imported app and this test run's objects
    finally:
        gc.unfreeze()
