"""The queue page: filters by kind and reason, pages of a fixed size, a fixed number of queries per page."""

from __future__ import annotations

import re

import pytest

from forum.discussion.models import Comment, CommentStatus
from forum.moderation.models import Flag, FlagReason, RuleHit
from forum.platform.database import db
from tests.conftest import create_user
from tests.factories import make_article, make_comment, make_profile


@pytest.fixture
def article(app):
    found = make_article(slug="talk", title="Let's talk")
    db.session.commit()
    return found


def _pending(article, author, body, rule=None, parent=None):
    comment = make_comment(article, author, body, parent=parent, status=CommentStatus.PENDING)
    if rule:
        db.session.add(RuleHit(comment_id=comment.id, rule=rule, matched=body[:5], start=0, end=5))
    return comment


def _reported(article, author, body, reason, reporter, parent=None):
    comment = make_comment(article, author, body, parent=parent)
    db.session.add(Flag(comment_id=comment.id, flagger_id=reporter.id, reason=reason))
    return comment


def _shown(page: str) -> list[str]:
    return re.findall(r'id="item-(\d+)"', page)


@pytest.fixture
def mixed(article, member):
    author = make_profile("Queue Author")
    rows = {
        "new": _pending(article, author, "new member text"),
        "phone": _pending(article, author, "07700 900123 phone", rule="uk_phone"),
        "link": _pending(article, author, "https://example.org link", rule="link"),
        "spam": _reported(article, author, "buy now", FlagReason.SPAM, member),
        "pd_report": _reported(article, author, "my neighbour lives at", FlagReason.PERSONAL_DATA, member),
    }
    db.session.commit()
    return {name: str(c.id) for name, c in rows.items()}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["spam", "pd_report", "new", "phone", "link"]),  # by kind's priority, then oldest first
        ("?kind=pending", ["new", "phone", "link"]),
        ("?kind=reported", ["spam", "pd_report"]),
        ("?reason=new_member", ["new"]),
        ("?reason=personal_data", ["pd_report", "phone"]),
        ("?kind=pending&reason=personal_data", ["phone"]),
        ("?reason=link", ["link"]),
        ("?reason=spam", ["spam"]),
        ("?reason=misinformation", []),
    ],
)
def test_queue_filters_by_kind_and_reason(as_user, moderator, mixed, query, expected):
    response = as_user(moderator).get(f"/moderation{query}")
    assert response.status_code == 200
    assert _shown(response.get_data(as_text=True)) == [mixed[name] for name in expected]


@pytest.mark.parametrize("query", ["?kind=everything", "?reason=boredom"])
def test_an_unknown_filter_is_a_clear_error_not_a_500(as_user, moderator, mixed, query):
    response = as_user(moderator).get(f"/moderation{query}")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "There is a problem" in page
    assert '<a href="#reason">Choose a reason from the list.</a>' in page or (
        '<a href="#kind">Choose safeguarding, reported, pending, edit or appeal.</a>' in page
    )
    everything = [mixed[name] for name in ("spam", "pd_report", "new", "phone", "link")]
    assert _shown(page) == everything, "the whole queue, unfiltered, under the message"


def test_the_queue_pages_and_keeps_the_filter_in_its_links(as_user, moderator, article):
    author = make_profile("Many Words")
    ids = [str(_pending(article, author, f"waiting {i}", rule="banned_word").id) for i in range(60)]
    _pending(article, author, "not a banned word")
    db.session.commit()
    client = as_user(moderator)
    first = client.get("/moderation?reason=banned_word").get_data(as_text=True)
    assert _shown(first) == ids[:25]
    assert "Showing 1–25 of 60" in first and "Page 1 of 3" in first
    assert 'href="/moderation?reason=banned_word&amp;page=2"' in first
    third = client.get("/moderation?reason=banned_word&page=3").get_data(as_text=True)
    assert _shown(third) == ids[50:]
    beyond = client.get("/moderation?reason=banned_word&page=99").get_data(as_text=True)
    assert _shown(beyond) == ids[50:], "a page past the end shows the last one"
    assert _shown(client.get("/moderation?page=nonsense").get_data(as_text=True))[0] == ids[0]


def test_a_decision_returns_to_the_same_page_and_filter(as_user, moderator, article):
    author = make_profile("Many Words")
    ids = [_pending(article, author, f"waiting {i}", rule="link").id for i in range(30)]
    db.session.commit()
    client = as_user(moderator)
    response = client.post(
        f"/moderation/comments/{ids[27]}/decision",
        data={"action": "approve", "back": "/moderation?reason=link&page=2"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/moderation?reason=link&page=2")
    elsewhere = client.post(
        f"/moderation/comments/{ids[28]}/decision",
        data={"action": "approve", "back": "https://evil.example/"},
    )
    assert elsewhere.headers["Location"].endswith("/moderation")


def test_bulk_decision_from_a_filtered_page(as_user, moderator, article):
    author = make_profile("Bulk Author")
    ids = [_pending(article, author, f"spam {i}", rule="link").id for i in range(3)]
    db.session.commit()
    response = as_user(moderator).post(
        "/moderation/decisions",
        data={
            "action": "reject",
            "reason": "spam",
            "comment_ids": [str(i) for i in ids[:2]],
            "back": "/moderation?reason=link",
        },
    )
    assert response.headers["Location"].endswith("/moderation?reason=link")
    db.session.expire_all()
    assert [db.session.get(Comment, i).status for i in ids] == [
        CommentStatus.REJECTED,
        CommentStatus.REJECTED,
        CommentStatus.PENDING,
    ]
    page = as_user(moderator).get("/moderation?reason=link").get_data(as_text=True)
    assert _shown(page) == [str(ids[2])]


def _queue_queries(client, count_queries, query):
    client.get(f"/moderation{query}")  # warm the session and the login
    with count_queries() as counter:
        response = client.get(f"/moderation{query}")
    assert response.status_code == 200
    return counter.count


def test_a_queue_page_costs_the_same_queries_at_any_queue_size(as_user, moderator, article, count_queries):
    reporter = create_user("reporter@example.org", "Rep Orter")
    authors = [make_profile(f"Author {i}") for i in range(5)]
    parent = make_comment(article, authors[0], "a parent")

    def add(n):
        for i in range(n):
            _pending(article, authors[i % 5], f"held {i}", rule="uk_phone", parent=parent)
            _reported(article, authors[i % 5], f"reported {i}", FlagReason.ABUSIVE, reporter, parent)
        db.session.commit()

    add(3)
    client = as_user(moderator)
    small = [
        _queue_queries(client, count_queries, q) for q in ("", "?reason=personal_data", "?kind=reported")
    ]
    add(300)
    large = [
        _queue_queries(client, count_queries, q)
        for q in ("", "?reason=personal_data", "?kind=reported&page=5", "?page=20")
    ]
    assert small == large[:3]
    assert len(set(large)) == 1, large  # count, page, parents, hits, reports, 2 for records, header
