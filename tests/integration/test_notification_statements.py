"""With the job queue, a comment in a thread with 1,000 followers costs the request at most one statement.

Statements are counted where psycopg sends them (every statement, SQLAlchemy's and the job
queue's alike), in the production runner (``JOB_RUNNER=worker``) on PostgreSQL.
"""

from __future__ import annotations

from contextlib import contextmanager

import psycopg
import pytest
from flask_migrate import upgrade
from sqlalchemy import func, insert, select, text

from forum import create_app
from forum.accounts.models import Access, Profile, User
from forum.discussion.models import Follow
from forum.notifications.models import NotificationSettings
from forum.platform.database import db
from tests.conftest import PASSWORD, create_user, log_in
from tests.factories import make_article
from tests.integration.servers import create_database, need_services


@contextmanager
def counted(monkeypatch):
    seen: list[str] = []
    original = psycopg.Cursor.execute

    def execute(self, query, *args, **kwargs):
        seen.append(str(query)[:80])
        return original(self, query, *args, **kwargs)

    monkeypatch.setattr(psycopg.Cursor, "execute", execute)
    try:
        yield seen
    finally:
        monkeypatch.setattr(psycopg.Cursor, "execute", original)


def add_followers(article_id: int, n: int, mode: str) -> None:
    start = (db.session.scalar(select(func.max(User.id))) or 0) + 1
    profiles = [
        {"id": start + i, "display_name": f"F{start + i}", "role": "patient", "role_source": "declared"}
        for i in range(n)
    ]
    db.session.execute(insert(Profile), profiles)
    db.session.execute(
        insert(User),
        [
            {
                "id": p["id"],
                "email": f"f{p['id']}@example.org",
                "password_hash": "x",
                "access": "member",
                "profile_id": p["id"],
            }
            for p in profiles
        ],
    )
    db.session.execute(insert(Follow), [{"user_id": p["id"], "article_id": article_id} for p in profiles])
    db.session.execute(
        insert(NotificationSettings), [{"user_id": p["id"], "followed": mode} for p in profiles]
    )
    for table in ("profiles", "users"):
        db.session.execute(text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))"))
    db.session.commit()


@pytest.fixture
def worker_app():
    need_services()
    url, drop = create_database()
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "TESTING": True,
            "JOB_RUNNER": "worker",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        upgrade()
        yield app
        db.session.remove()
        db.engine.dispose()
    drop()


def test_a_comment_with_1000_followers_adds_one_statement_and_none_without(worker_app, monkeypatch):
    author = create_user("author@example.org", "Au Thor", access=Access.MODERATOR)  # published at once
    make_article(slug="quiet")
    busy = make_article(slug="busy")
    db.session.commit()
    add_followers(busy.id, 1000, "immediate")
    client = log_in(worker_app.test_client(), author)
    for slug in ("quiet", "busy"):  # the author's first comment in each follows it (once)
        assert (
            client.post(f"/api/v1/articles/{slug}/comments", json={"body": f"Warm {slug}"}).status_code == 201
        )
    counts = {}
    for slug in ("quiet", "busy"):
        with counted(monkeypatch) as seen:
            response = client.post(f"/api/v1/articles/{slug}/comments", json={"body": f"Point on {slug}"})
        assert response.status_code == 201
        counts[slug] = [s for s in seen if not s.startswith(("BEGIN", "COMMIT"))]
    assert len(counts["busy"]) == len(counts["quiet"]) + 1, counts
    assert "procrastinate_defer_jobs" in " ".join(counts["busy"])
    jobs = db.session.execute(text("SELECT task_name, args FROM procrastinate_jobs")).all()
    assert [j.task_name for j in jobs].count("discussion.comment_published") == 2  # the warm-up and the point
    assert PASSWORD
