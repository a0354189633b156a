"""Every way of reading a thread costs the same statements at 10 and at 1,000 comments (issue 22)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from forum.accounts.models import Role
from forum.discussion.models import CommentStatus, ThreadVisit
from forum.discussion.services import comments as comment_service
from forum.platform.database import db
from forum.platform.models import utcnow
from tests.factories import bulk_thread, make_article, make_comment, make_profile

OPTIONS = (
    "",
    "sort=newest",
    "sort=replies",
    "roles=patient",
    "roles=carer,patient,patient_leader&sort=newest",
)


@pytest.fixture
def two_threads(app, member):
    authors = [make_profile(role=role) for role in (Role.PATIENT, Role.CARER, Role.CLINICIAN, Role.NED)]
    articles = {}
    for slug, n in (("small", 10), ("large", 1000)):
        articles[slug] = make_article(slug=slug)
        bulk_thread(articles[slug], authors, n)
    comment_service.advance_id_sequence()  # the bulk rows chose their ids: move PostgreSQL's sequence past them
    for article in articles.values():
        make_comment(article, member.profile, "mine, waiting", status=CommentStatus.PENDING)
    db.session.commit()


def _count(client, count_queries, path):
    with count_queries() as counter:
        response = client.get(path)
    assert response.status_code == 200, path
    return counter.count


@pytest.mark.parametrize("who", ["anonymous", "member", "moderator"])
def test_each_order_and_voice_costs_the_same_at_any_size(as_user, actors, count_queries, two_threads, who):
    client = as_user(actors[who])
    for query in OPTIONS:
        for base in ("/api/v1/articles/{slug}/comments?", "/articles/{slug}?"):
            for slug in ("small", "large"):  # a first read may record the visit: not what is compared
                client.get(base.format(slug=slug) + query)
            small = _count(client, count_queries, base.format(slug="small") + query)
            large = _count(client, count_queries, base.format(slug="large") + query)
            assert small == large, (who, base, query)


def test_what_is_new_costs_the_same_at_any_size(as_user, member, count_queries, two_threads):
    client = as_user(member)
    for slug in ("small", "large"):
        client.get(f"/articles/{slug}")
    db.session.execute(update(ThreadVisit).values(seen_at=utcnow() - timedelta(hours=2)))
    db.session.commit()
    counts = {}
    for slug in ("small", "large"):
        counts[slug] = (
            _count(client, count_queries, f"/articles/{slug}"),  # a new visit: marks and counts what is new
            _count(client, count_queries, f"/api/v1/articles/{slug}/comments"),
        )
    assert counts["small"] == counts["large"]
    assert "new since your last visit" not in client.get("/articles/small").get_data(
        as_text=True
    )  # nothing new yet
