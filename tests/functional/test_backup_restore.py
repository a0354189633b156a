"""Backups that restore: the procedure in docs/deployment.md (pg_dump's custom format, pg_restore into
a fresh database) brings back every row, the same thread pages and an intact audit chain."""

from __future__ import annotations

import secrets
import shutil
import subprocess
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import func, select, text

from forum import create_app
from forum.discussion.models import Article, ArticleState, Comment, CommentStatus
from forum.platform.database import db
from tests.conftest import PG_ADMIN_URL


def libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def table_counts() -> dict[str, int]:
    names = [t.name for t in db.metadata.sorted_tables] + ["alembic_version", "procrastinate_jobs"]
    return {
        name: int(db.session.execute(text(f'SELECT count(*) FROM "{name}"')).scalar() or 0) for name in names
    }


def threads(client, slugs):
    return {slug: client.get(f"/api/v1/articles/{slug}/comments?limit=1000").get_json() for slug in slugs}


def test_a_dump_restores_into_a_fresh_database(app, seeded, as_user, moderator, tmp_path: Path):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the backup procedure is PostgreSQL's (SQLite: copy the file with .backup)")
    if not shutil.which("pg_dump") or not shutil.which("pg_restore"):
        pytest.skip("pg_dump and pg_restore are not installed")
    # Some moderation, so the audit log has a chain to check.
    article = db.session.scalar(select(Article).where(Article.state == ArticleState.PUBLISHED).limit(1))
    author = db.session.scalar(select(Comment.author_id).limit(1))
    pending = [
        Comment(
            article_id=article.id,
            author_id=author,
            body=f"held {i}",
            body_html=f"<p>held {i}</p>",
            status=CommentStatus.PENDING,
        )
        for i in range(3)
    ]
    db.session.add_all(pending)
    db.session.commit()
    staff = as_user(moderator)
    assert (
        staff.post(
            f"/api/v1/moderation/comments/{pending[0].id}/decision", json={"action": "approve"}
        ).status_code
        == 200
    )
    assert (
        staff.post(
            f"/api/v1/moderation/comments/{pending[1].id}/decision",
            json={"action": "reject", "reason": "off_topic"},
        ).status_code
        == 200
    )
    slugs = list(db.session.scalars(select(Article.slug).where(Article.state == ArticleState.PUBLISHED)))
    before_counts = table_counts()
    before_threads = threads(app.test_client(), slugs)
    before_pages = {s: app.test_client().get(f"/articles/{s}").status_code for s in slugs}
    db.session.remove()

    dump = tmp_path / "forum.dump"
    source = libpq(app.config["SQLALCHEMY_DATABASE_URI"])
    subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file", str(dump), source], check=True)
    fresh = f"forum_restore_{secrets.token_hex(5)}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{fresh}"')
    target = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + fresh
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", "--dbname", target, str(dump)], check=True
        )
        restored = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": target,
                "TESTING": True,
                "JOB_RUNNER": "manual",
                "RATELIMIT_ENABLED": False,
                "SERVER_NAME": "forum.test",
            }
        )
        with restored.app_context():
            assert table_counts() == before_counts
            assert before_counts["comments"] > 0 and before_counts["audit_log"] >= 2
            assert threads(restored.test_client(), slugs) == before_threads
            assert {
                s: restored.test_client().get(f"/articles/{s}").status_code for s in slugs
            } == before_pages
            assert db.session.scalar(select(func.count(Comment.id))) == before_counts["comments"]
            result = restored.test_cli_runner().invoke(args=["audit", "verify"])
            assert result.exit_code == 0 and "intact" in result.output, result.output
            assert restored.test_client().get("/readyz").status_code == 200  # migrated to head
            db.session.remove()
            db.engine.dispose()
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
