"""A bulk decision of 1, 10 or 200 comments costs the same number of SQL statements, all or nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.discussion.models import Article, Comment, CommentStatus
from forum.moderation.models import AuditEntry, Flag, FlagReason
from forum.moderation.services import audit
from forum.notifications.models import Notification
from forum.platform.database import db
from tests.conftest import create_user
from tests.factories import make_article, make_comment, make_profile


def _selection(n: int, authors, reporter) -> list[int]:
    """``n`` waiting comments over several threads: pending ones (some replies), and reported ones."""
    ids = []
    for i in range(n):
        article = make_article(slug=f"bulk-{n}-{i % 7}") if i < 7 else None
        article = article or db.session.scalar(select(Article).where(Article.slug == f"bulk-{n}-{i % 7}"))
        author = authors[i % len(authors)]
        if i % 3 == 0:  # the first is reported, so every selection updates reports
            comment = make_comment(article, author, f"reported {n}-{i}")
            db.session.add(Flag(comment_id=comment.id, flagger_id=reporter.id, reason=FlagReason.SPAM))
        else:
            comment = make_comment(article, author, f"pending {n}-{i}", status=CommentStatus.PENDING)
        ids.append(comment.id)
    db.session.commit()
    return ids


@pytest.mark.parametrize("action", ["approve", "reject"])
def test_bulk_statements_do_not_grow_with_the_selection(as_user, moderator, count_queries, action):
    reporter = create_user("reporter@example.org", "Rep Orter")
    authors = [create_user(f"a{i}@example.org", f"Author {i}").profile for i in range(4)] + [make_profile()]
    client = as_user(moderator)
    client.get("/moderation")  # warm the session and the login
    counts = {}
    for n in (1, 10, 200):
        ids = _selection(n, authors, reporter)
        with count_queries() as counter:
            answer = client.post(
                "/api/v1/moderation/decisions", json={"comment_ids": ids, "action": action, "reason": "spam"}
            )
        assert answer.status_code == 200, answer.get_json()
        assert len(answer.get_json()["decided"]) == n
        counts[n] = counter.count
    print("bulk statements", action, counts)
    assert counts[1] == counts[10] == counts[200], counts
    db.session.expire_all()
    assert audit.verify().ok
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 211
    with_accounts = db.session.scalar(
        select(func.count(Comment.id)).join(User, User.profile_id == Comment.author_id)
    )
    assert db.session.scalar(select(func.count(Notification.id))) == with_accounts > 0  # each author told


def test_bulk_stays_all_or_nothing_when_one_was_decided_meanwhile(as_user, moderator, admin):
    article = make_article(slug="talk")
    author = make_profile()
    ids = [make_comment(article, author, f"p{i}", status=CommentStatus.PENDING).id for i in range(5)]
    db.session.commit()
    assert as_user(admin).post(f"/api/v1/moderation/comments/{ids[3]}/decision", json={"action": "approve"})
    answer = as_user(moderator).post(
        "/api/v1/moderation/decisions", json={"comment_ids": ids, "action": "reject", "reason": "spam"}
    )
    assert answer.status_code == 409 and f"#{ids[3]}" in answer.get_json()["message"]
    db.session.expire_all()
    statuses = [db.session.get(Comment, i).status for i in ids]
    assert statuses.count(CommentStatus.PENDING) == 4 and statuses[3] == CommentStatus.APPROVED
    missing = as_user(moderator).post(
        "/api/v1/moderation/decisions", json={"comment_ids": [ids[0], 999999], "action": "approve"}
    )
    assert missing.status_code == 404
    db.session.expire_all()
    assert db.session.get(Comment, ids[0]).status == CommentStatus.PENDING


def test_bulk_refuses_edits_and_appeals(as_user, moderator):
    answer = as_user(moderator).post(
        "/api/v1/moderation/decisions", json={"comment_ids": [1], "action": "uphold"}
    )
    assert answer.status_code == 422
