"""/metrics: Prometheus text with request latency per route, the moderation queue per kind, the job
queue, the thread cache and the database pool; only for METRICS_ALLOW addresses."""

from __future__ import annotations

import re
from datetime import timedelta

from prometheus_client.parser import text_string_to_metric_families

from forum.discussion.models import CommentStatus
from forum.platform.database import db
from forum.platform.models import utcnow
from tests.factories import make_article, make_comment, make_profile


def scrape(client, address="127.0.0.1"):
    response = client.get("/metrics", environ_base={"REMOTE_ADDR": address})
    return response


def samples(text):
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def test_metrics_show_latency_queue_cache_and_pool(client, app):
    article = make_article(slug="talk")
    author = make_profile("Pat Public")
    old = make_comment(article, author, "Waiting a while", status=CommentStatus.PENDING)
    old.created_at = utcnow() - timedelta(hours=2)
    make_comment(article, author, "Waiting a moment", status=CommentStatus.PENDING)
    db.session.commit()
    for _ in range(2):
        assert client.get("/articles/talk").status_code == 200
    response = scrape(client)
    assert response.status_code == 200 and response.mimetype == "text/plain"
    found = samples(response.get_data(as_text=True))
    assert found[("forum_moderation_queue_depth", (("kind", "pending"),))] == 2
    assert found[("forum_moderation_queue_depth", (("kind", "reported"),))] == 0
    wait = found[("forum_moderation_queue_oldest_wait_seconds", (("kind", "pending"),))]
    assert 7000 < wait < 7400
    key = (
        "forum_request_duration_seconds_count",
        (("method", "GET"), ("route", "/articles/<slug>"), ("status", "2xx")),
    )
    assert found[key] >= 2  # the route's rule, not its path
    assert found[("forum_thread_cache_total", (("state", "miss"), ("variant", "html")))] >= 1
    assert any(name.startswith("forum_db_pool_") for name, _ in found)
    if db.engine.dialect.name == "postgresql":
        assert ("forum_jobs_waiting", ()) in found and ("forum_jobs_oldest_wait_seconds", ()) in found
    assert not re.search(r'route="/articles/talk"', response.get_data(as_text=True))


def test_metrics_are_only_for_allowed_addresses(client, app):
    assert scrape(client, "203.0.113.9").status_code == 404
    app.config["METRICS_ALLOW"] = ["10.0.0.0/8"]
    assert scrape(client, "10.1.2.3").status_code == 200
    assert scrape(client, "127.0.0.1").status_code == 404
