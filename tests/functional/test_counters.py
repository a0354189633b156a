"""Each article's public comment count and thread version stay right through every kind of change."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.accounts.models import Access
from forum.discussion.models import Article, ArticleState, Comment, CommentStatus
from forum.discussion.services import counters
from forum.platform.database import db
from tests.conftest import create_user
from tests.factories import bulk_thread, make_article, make_comment, make_profile

THREAD = "/api/v1/articles/talk/comments"


def public_rows(article_id: int) -> int:
    """Count the public comments from the rows themselves."""
    return db.session.scalar(
        select(func.count(Comment.id)).where(
            Comment.article_id == article_id,
            Comment.status == CommentStatus.APPROVED,
            Comment.deleted_at.is_(None),
        )
    )


class Watch:
    """Check after each step that the stored count equals the rows, and whether the version moved."""

    def __init__(self, client, article_id: int) -> None:
        self.client = client
        self.article_id = article_id
        self.version = self.stored()[1]

    def stored(self) -> tuple[int, int]:
        db.session.expire_all()
        article = db.session.get(Article, self.article_id)
        return article.comment_count, article.thread_version

    def expect(self, count: int, step: str, moves: bool = True) -> None:
        stored, version = self.stored()
        assert stored == public_rows(self.article_id) == count, step
        listed = {
            a["slug"]: a["comment_count"] for a in self.client.get("/api/v1/articles").get_json()["items"]
        }
        assert listed["talk"] == count, step
        assert self.client.get(THREAD).get_json()["count"] == count, step
        if moves:
            assert version > self.version, f"{step}: the thread version did not move"
        else:  # nothing the public sees changed: strangers must not learn of it (docs/security.md)
            assert version == self.version, f"{step}: the thread version moved"
        self.version = version


@pytest.fixture
def people(app):
    app.config.update(TRUST_AFTER_APPROVED=0, FLAGS_TO_HIDE=2)
    make_article(slug="talk")
    make_article(slug="other")  # changes to "talk" never touch it
    db.session.commit()
    return {
        "trusted": create_user("trusted@example.org", "Trusted"),
        "reporter1": create_user("r1@example.org", "Reporter One"),
        "reporter2": create_user("r2@example.org", "Reporter Two"),
        "moderator": create_user("mod@example.org", "Mod", access=Access.MODERATOR, role="staff"),
    }


def test_counts_follow_post_approve_reject_redact_hide_delete_and_removal(people, as_user, client):
    talk = db.session.scalar(select(Article).where(Article.slug == "talk"))
    other = db.session.scalar(select(Article).where(Article.slug == "other"))
    other_version = other.thread_version
    author, mod = as_user(people["trusted"]), as_user(people["moderator"])
    watch = Watch(client, talk.id)

    def post(body: str, parent_id: int | None = None, by=author) -> dict:
        answer = by.post(THREAD, json={"body": body, "parent_id": parent_id})
        assert answer.status_code == 201, answer.get_json()
        return answer.get_json()

    def decide(comment_id: int, **decision) -> None:
        answer = mod.post(f"/api/v1/moderation/comments/{comment_id}/decision", json=decision)
        assert answer.status_code == 200, answer.get_json()

    first = post("Published at once by a trusted member")
    assert first["status"] == "approved"
    watch.expect(1, "post, published")

    held = post("Call me on 07700 900123")  # personal data: held for review
    assert held["status"] == "pending"
    watch.expect(1, "post, held", moves=False)
    decide(held["id"], action="approve")
    watch.expect(2, "approve")

    rejected = post("Ring 07700 900456 any time")
    decide(rejected["id"], action="reject", reason="personal_data")
    watch.expect(2, "reject a held comment", moves=False)

    redacted = post("My number is 07700 900789")
    decide(redacted["id"], action="redact", body="My number is [removed]")
    watch.expect(3, "redact into publication")

    for reporter in ("reporter1", "reporter2"):
        answer = as_user(people[reporter]).post(
            f"/api/v1/comments/{first['id']}/flags", json={"reason": "spam"}
        )
        assert answer.status_code == 201, answer.get_json()
    assert db.session.get(Comment, first["id"]).status == CommentStatus.PENDING
    watch.expect(2, "hidden by reports")
    decide(first["id"], action="approve")
    watch.expect(3, "approved again after review")

    replier = as_user(people["reporter1"])  # the author has a rejection now, so is held again
    reply = post("A reply", parent_id=first["id"], by=replier)
    watch.expect(4, "reply")
    assert replier.delete(f"/api/v1/comments/{reply['id']}").status_code in (200, 204)
    watch.expect(3, "author deletes")

    decide(redacted["id"], action="remove", reason="off_topic")
    watch.expect(2, "moderator takes down a published comment")

    # The author has had a comment refused lately, so is pre-moderated again: the edit is held and
    # readers keep the approved text (a trusted member's edit: tests/functional/test_held_edits.py).
    edited = author.patch(f"/api/v1/comments/{first['id']}", json={"body": "Now with 07700 900999 in it"})
    assert edited.status_code == 200 and edited.get_json()["status"] == "approved"
    assert edited.get_json()["body"] == "Published at once by a trusted member"
    assert public_rows(talk.id) == 2
    decide(first["id"], action="approve_edit")
    watch.expect(2, "a held edit approved: the text changes, not the count")

    db.session.expire_all()
    assert db.session.get(Article, other.id).thread_version == other_version
    assert db.session.get(Article, other.id).comment_count == 0


def test_a_rolled_back_change_leaves_the_count_alone(app):
    article = make_article(slug="talk")
    make_comment(article, make_profile(), "kept")
    db.session.commit()
    make_comment(article, make_profile(), "never committed")
    db.session.flush()
    assert db.session.get(Article, article.id).comment_count == 2  # right inside the transaction
    db.session.rollback()
    assert db.session.get(Article, article.id).comment_count == 1 == public_rows(article.id)


def test_a_profile_change_bumps_the_version_of_threads_it_appears_in(app):
    talk, quiet = make_article(slug="talk"), make_article(slug="quiet")
    person = make_profile("Before")
    make_comment(talk, person, "hello")
    db.session.commit()
    versions = (talk.thread_version, quiet.thread_version)
    person.display_name = "After"
    db.session.commit()
    assert talk.thread_version == versions[0] + 1 and quiet.thread_version == versions[1]


def test_recount_repairs_counts_after_bulk_inserts(app):
    article = make_article(slug="bulk")
    bulk_thread(article, [make_profile()], 30)  # calls counters.recount
    db.session.commit()
    assert db.session.get(Article, article.id).comment_count == 30
    db.session.execute(
        Comment.__table__.update()
        .where(Comment.article_id == article.id, Comment.id % 3 == 0)
        .values(status="pending")
    )
    counters.recount([article.id])
    db.session.commit()
    assert db.session.get(Article, article.id).comment_count == public_rows(article.id) < 30


def test_the_article_list_total_follows_publishing_and_withdrawing(client, app):
    def total() -> int:
        return client.get("/api/v1/articles").get_json()["total"]

    articles = [make_article(slug=f"a{i}") for i in range(3)]
    db.session.commit()
    assert total() == 3
    articles[0].state = ArticleState.DRAFT
    db.session.commit()
    assert total() == 2 == len(client.get("/api/v1/articles").get_json()["items"])
    articles[0].state = ArticleState.PUBLISHED
    make_article(slug="late")
    db.session.commit()
    assert total() == 4
    db.session.delete(articles[1])
    db.session.commit()
    assert total() == 3
    make_article(slug="never")
    db.session.rollback()
    assert total() == 3


def test_posting_moves_the_counts_and_leaves_the_articles_own_fields_alone(as_user, moderator):
    """The counter update rides on the comment's INSERT (a CTE on PostgreSQL); none of the comment's
    values (its body, times, status) may leak into the article's row."""
    article = make_article(slug="talk", body="The article's own text.")
    db.session.commit()
    before = {
        c: getattr(article, c) for c in ("title", "body", "body_html", "created_at", "updated_at", "kind")
    }
    count, version = article.comment_count, article.thread_version
    answer = as_user(moderator).post(THREAD, json={"body": "A comment whose text must stay its own"})
    assert answer.status_code == 201 and answer.get_json()["status"] == "approved"
    db.session.expire_all()
    article = db.session.get(Article, article.id)
    assert {c: getattr(article, c) for c in before} == before
    assert (article.comment_count, article.thread_version) == (count + 1, version + 1)
