"""Load benchmark data: the N-comment threads into the forum (through the services) and into Isso,
1,000 pending comments for the moderation queue, and the large database (bulk COPY)."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta

import psycopg
from sqlalchemy import select
from workload import COMMENTERS, Spec, body, thread

from forum import create_app
from forum.accounts.models import Access, User
from forum.accounts.services import accounts
from forum.accounts.services.viewer import Viewer
from forum.discussion.models import ArticleKind, Comment
from forum.discussion.services import articles, posting
from forum.platform.database import db

PASSWORD = "benchmark password"


def commenters(prefix: str, count: int = COMMENTERS, access: Access = Access.MEMBER) -> list[User]:
    """Create (or find) the benchmark's commenters."""
    users = []
    for i in range(count):
        email = f"{prefix}{i}@bench.example"
        user = accounts.find_user_by_email(email) or accounts.register(
            {"email": email, "password": PASSWORD, "display_name": f"{prefix.title()} {i}", "role": "patient"},
            access=access,
        )
        users.append(user)
    db.session.commit()
    return users


def load_forum_thread(database_url: str, slug: str, specs: list[Spec]) -> float:
    """Post every comment through posting.post_comment (trusted authors, so each is published); return seconds."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TRUST_AFTER_APPROVED": 0, "RATELIMIT_ENABLED": False})
    started = time.perf_counter()
    with app.app_context():
        article, _ = articles.upsert_article(slug=slug, title=f"Benchmark thread {slug}", kind=ArticleKind.BLOG_POST,
                                             body="A thread for the benchmark.")
        db.session.commit()
        if db.session.scalar(select(Comment.id).where(Comment.article_id == article.id).limit(1)):
            return 0.0  # already loaded
        users = commenters("bench")
        ids: list[int] = []
        for spec in specs:
            user = users[spec.author]
            viewer = Viewer(user_id=user.id, profile_id=user.profile_id)
            parent = ids[spec.parent] if spec.parent is not None else None
            ids.append(posting.post_comment(user, viewer, slug, spec.body, parent).id)
            if len(ids) % 250 == 0:
                db.session.commit()
        db.session.commit()
    return time.perf_counter() - started


def load_pending(database_url: str, slug: str, count: int = 1000) -> None:
    """Have new members post ``count`` comments, which wait for moderation."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": False})
    with app.app_context():
        article, _ = articles.upsert_article(slug=slug, title="Queue benchmark", kind=ArticleKind.BLOG_POST,
                                             body="Pending comments for the queue benchmark.")
        db.session.commit()
        if db.session.scalar(select(Comment.id).where(Comment.article_id == article.id).limit(1)):
            return
        users = commenters("newcomer", 100)
        rng = random.Random(7)
        for i in range(count):
            user = users[i % len(users)]
            viewer = Viewer(user_id=user.id, profile_id=user.profile_id)
            posting.post_comment(user, viewer, slug, body(rng, 50_000 + i), None)
            if i % 250 == 0:
                db.session.commit()
        commenters("moderator", 1, Access.MODERATOR)
        db.session.commit()


def analyze(database_url: str) -> None:
    """Refresh PostgreSQL's statistics after a load, as autovacuum would soon do by itself."""
    with psycopg.connect(database_url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def load_big(database_url: str, articles_count: int = 10_000, per_article: int = 100) -> float:
    """Bulk-load a large database with COPY: 10,000 articles and 1,000,000 comments by default.

    Posting a million comments through the services would take hours, so this one load goes
    straight to PostgreSQL (same columns the services fill, bodies pre-rendered); return seconds.
    """
    started = time.perf_counter()
    raw = database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(raw) as conn:
        have = conn.execute("SELECT count(*) FROM articles WHERE slug LIKE 'big-%'").fetchone()[0]
        if have >= articles_count:
            return 0.0
        profile_ids = [r[0] for r in conn.execute("SELECT id FROM profiles ORDER BY id LIMIT 50")]
        now = datetime.now(UTC)
        with conn.cursor().copy(
            "COPY articles (slug, title, kind, summary, body, body_html, state, comments_mode, created_at,"
            " updated_at, published_at, comment_count) FROM STDIN"
        ) as copy:
            for a in range(articles_count):  # every bulk comment below is public: the stored count is per_article
                copy.write_row((f"big-{a}", f"Big article {a}", "blog_post", "Summary.", "Body.", "<p>Body.</p>",
                                "published", "open", now - timedelta(minutes=a), now,
                                now - timedelta(minutes=a), per_article))
        first_article = conn.execute("SELECT min(id) FROM articles WHERE slug LIKE 'big-%'").fetchone()[0]
        next_id = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM comments").fetchone()[0]
        specs = thread(per_article, seed=99)
        with conn.cursor().copy(
            "COPY comments (id, article_id, parent_id, root_id, author_id, body, body_html, status, created_at,"
            " updated_at, version) FROM STDIN"
        ) as copy:
            for a in range(articles_count):
                ids: list[int] = []
                roots: list[int] = []
                for spec in specs:
                    cid = next_id
                    next_id += 1
                    parent = ids[spec.parent] if spec.parent is not None else None
                    root = roots[spec.parent] if spec.parent is not None else cid
                    ids.append(cid)
                    roots.append(root)
                    created = now - timedelta(days=1) + timedelta(seconds=spec.index)
                    copy.write_row((cid, first_article + a, parent, root if parent else None,
                                    profile_ids[spec.author % len(profile_ids)], spec.body, f"<p>{spec.body}</p>",
                                    "approved", created, created, 1))
        conn.execute("SELECT setval(pg_get_serial_sequence('comments', 'id'), (SELECT max(id) FROM comments))")
        # COPY bypasses the session hooks that keep the list's total (forum/services/counters.py).
        conn.execute("UPDATE site_counters SET value = (SELECT count(*) FROM articles WHERE published)"
                     " WHERE name = 'published_articles'")
    analyze(database_url)  # also sets the visibility map, so the listing's index-only scans stay index-only
    return time.perf_counter() - started


