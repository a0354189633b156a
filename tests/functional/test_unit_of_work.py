"""A domain error rolls back what it flushed, whatever the view answers; listeners belong to the app."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint
from sqlalchemy import event, func, select

from forum import create_app
from forum.accounts.models import Registration
from forum.discussion.models import Comment, CommentStatus
from forum.moderation.models import AuditEntry
from forum.platform.database import ForumSession, db
from forum.platform.digests import digest
from forum.platform.errors import Conflict
from forum.platform.models import utcnow
from forum.platform.unit_of_work import _LISTENERS
from tests.conftest import PASSWORD
from tests.factories import make_article, make_comment, make_profile


def _statuses(ids):
    db.session.expire_all()
    return [db.session.get(Comment, i).status for i in ids]


def test_a_bulk_decision_that_fails_on_one_comment_changes_none_in_the_page(as_user, moderator):
    """Three waiting, one decided already: the page says nothing changed, and nothing did."""
    article = make_article(slug="talk")
    author = make_profile()
    waiting = [
        make_comment(article, author, f"Waiting {n}", status=CommentStatus.PENDING).id for n in range(3)
    ]
    decided = make_comment(article, author, "Already published").id
    db.session.commit()
    entries_before = db.session.scalar(select(func.count(AuditEntry.id)))
    response = as_user(moderator).post(
        "/moderation/decisions",
        data={"comment_ids": [str(i) for i in (*waiting, decided)], "action": "approve"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "Nothing was changed" in response.get_data(as_text=True)
    assert _statuses(waiting) == [CommentStatus.PENDING] * 3
    assert db.session.scalar(select(func.count(AuditEntry.id))) == entries_before


def test_confirming_a_sign_up_for_a_taken_address_keeps_its_waiting_sign_ups(client, member):
    """signup.confirm deletes the address's sign-ups, then refuses the link: the delete is undone."""
    db.session.add(
        Registration(
            email=member.email,
            password_hash="not used",
            display_name="Twin",
            role="patient",
            token_hash=digest("a-secret-only-the-mailbox-has"),
            expires_at=utcnow() + timedelta(hours=1),
        )
    )
    db.session.commit()
    response = client.post(
        "/register/confirm?token=a-secret-only-the-mailbox-has", data={"password": PASSWORD}
    )
    assert response.status_code == 400
    assert "already has an account" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Registration.id))) == 1


def test_a_view_that_catches_a_domain_error_after_a_flush_and_answers_200_commits_nothing(database_url):
    """The mechanism itself: a made-up view flushes a comment, catches a Conflict and answers 200."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True, "WTF_CSRF_ENABLED": False})
    probe = Blueprint("probe", __name__)

    @probe.post("/probe")
    def flush_then_refuse() -> str:
        article = make_article(slug="probe")
        make_comment(article, make_profile(), "Flushed before the refusal")
        try:
            raise Conflict("refused after the flush")
        except Conflict:
            return "friendly answer"

    app.register_blueprint(probe)
    with app.app_context():
        try:
            assert app.test_client().post("/probe").status_code == 200
            db.session.remove()
            assert db.session.scalar(select(func.count(Comment.id))) == 0
        finally:
            db.session.rollback()
            db.session.remove()
            db.engine.dispose()


def test_the_unit_of_works_listeners_are_on_the_forums_own_session_class(app):
    assert isinstance(db.session(), ForumSession)
    for name, listener in _LISTENERS.items():
        assert event.contains(ForumSession, name, listener), name


def test_a_read_keeps_nothing_it_wrote_and_a_read_that_only_read_keeps_its_prepared_statements(database_url):
    """A GET that wrote is rolled back; one that only read ends with COMMIT, so psycopg keeps the
    statements it prepared on that connection (a ROLLBACK makes it forget them all)."""
    from sqlalchemy import text, update

    from forum.discussion.models import Article

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True})
    probe = Blueprint("probe", __name__)

    @probe.get("/probe/write")
    def write_on_a_read() -> str:
        db.session.execute(update(Article).values(title="Written by a read"))
        return "read"

    @probe.get("/probe/change")
    def change_on_a_read() -> str:
        found = db.session.scalar(select(Article).where(Article.slug == "probe"))
        found.title = "Changed by a read, never flushed"  # a COMMIT would flush it
        return "read"

    @probe.get("/probe/read")
    def read() -> str:
        db.session.scalar(select(func.count(Article.id)).where(Article.slug == "probe"))
        if db.engine.dialect.name != "postgresql":
            return "0"
        return str(db.session.scalar(text("SELECT count(*) FROM pg_prepared_statements")))

    app.register_blueprint(probe)
    with app.app_context():
        try:
            make_article(slug="probe", title="As written")
            db.session.commit()
            client = app.test_client()
            assert client.get("/probe/write").status_code == 200
            assert client.get("/probe/change").status_code == 200
            db.session.remove()
            assert db.session.scalar(select(Article.title).where(Article.slug == "probe")) == "As written"
            db.session.remove()
            answers = [int(client.get("/probe/read").get_data(as_text=True)) for _ in range(8)]
            if db.engine.dialect.name == "postgresql":  # psycopg prepares a statement at its 5th run
                assert answers[-1] >= 1 and answers[-1] == answers[-2]
        finally:
            db.session.rollback()
            db.session.remove()
            with db.engine.begin() as conn:
                conn.execute(text("DELETE FROM articles WHERE slug = 'probe'"))
            db.engine.dispose()
