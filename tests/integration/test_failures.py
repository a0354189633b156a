"""When Redis or PostgreSQL fails the forum degrades, answers clearly, and recovers by itself."""

from __future__ import annotations

import logging
import secrets

import pytest
from flask_migrate import upgrade

from forum import create_app
from forum.platform.database import db
from forum.seeding.services.loader import load_seeds
from tests.conftest import SEEDS_DIR
from tests.integration.servers import TcpProxy, create_database, free_port, need_services

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def database_url():
    need_services()
    url, drop = create_database()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        load_seeds(SEEDS_DIR)
        db.session.commit()
        db.engine.dispose()
    yield url
    drop()


def test_without_redis_the_forum_serves_uncached_and_limits_per_process(database_url, caplog):
    dead_redis = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "REDIS_URL": dead_redis,
            "RATELIMIT_STORAGE_URI": dead_redis,
            "RATELIMIT_LOGIN_IP": "2 per minute",
            "REDIS_PREFIX": f"t{secrets.token_hex(3)}:",
        }
    )
    client = app.test_client()
    with caplog.at_level(logging.WARNING):
        first = client.get("/api/v1/articles/shared-decision-making/comments")
        page = client.get("/articles/shared-decision-making")
    assert first.status_code == 200 and first.headers["X-Cache"] == "miss" and first.get_json()["count"] == 6
    assert page.status_code == 200 and "Marcus powell" in page.get_data(as_text=True)
    assert "redis unavailable" in caplog.text
    assert client.get("/readyz").get_json()["checks"]["redis"] == "down"
    statuses = [
        client.post("/api/v1/tokens", json={"email": "x@y.org", "password": "nope"}).status_code
        for _ in range(3)
    ]
    assert statuses == [401, 401, 429]  # Flask-Limiter fell back to in-memory counting


def test_database_outage_is_a_503_and_recovery_needs_no_restart(database_url):
    host_port = database_url.split("@", 1)[1].split("/", 1)[0]
    host, port = host_port.split(":")
    proxy = TcpProxy(host, int(port))
    try:
        proxied = database_url.replace(host_port, f"127.0.0.1:{proxy.port}")
        app = create_app({"SQLALCHEMY_DATABASE_URI": proxied})
        client = app.test_client()
        assert client.get("/articles/shared-decision-making").status_code == 200

        proxy.cut()
        page = client.get("/articles/shared-decision-making")
        assert page.status_code == 503 and page.headers["Retry-After"] == "30"
        assert "cannot reach our database" in page.get_data(as_text=True)
        api = client.get("/api/v1/articles")
        assert (
            api.status_code == 503
            and api.get_json()["code"] == 503
            and "Traceback" not in api.get_data(as_text=True)
        )
        ready = client.get("/readyz")
        assert ready.status_code == 503 and ready.get_json()["checks"]["database"] == "down"
        assert client.get("/healthz").status_code == 200

        proxy.restore()
        assert client.get("/articles/shared-decision-making").status_code == 200
        assert client.get("/api/v1/articles").get_json()["total"] == 5
    finally:
        proxy.close()


def test_a_pooled_connection_the_server_closed_is_replaced_without_failing_a_request(database_url):
    """A restart or pg_terminate_backend leaves dead connections in the pool; the next request
    must not see them (the pool's free liveness check, database.py, replaces them)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    client = app.test_client()
    assert client.get("/api/v1/articles").status_code == 200
    with app.app_context():
        pooled = db.engine.pool.checkedin()
        assert pooled >= 1  # the request's connection went back to the pool
        with db.engine.connect() as conn:
            killed = conn.exec_driver_sql(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND application_name = 'forum' AND pid <> pg_backend_pid()"
            ).scalar_one()
    assert killed >= 1
    for _ in range(3):  # every request after it succeeds: none is answered 503
        assert client.get("/api/v1/articles").get_json()["total"] == 5
    page = client.post("/api/v1/tokens", json={"email": "nobody@example.org", "password": "x" * 12})
    assert page.status_code == 401  # a write path too: the answer comes from the database, not a 503
