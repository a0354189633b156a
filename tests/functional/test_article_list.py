"""Pages of the article list by number are the same whichever end of the index they are read from."""

from __future__ import annotations

from datetime import timedelta

import pytest

from forum.discussion.models import ArticleState
from forum.discussion.services import articles
from forum.platform.database import db
from forum.platform.models import utcnow
from tests.factories import make_article


@pytest.fixture
def listed(app):
    """23 published articles (three sharing one time, so ids break the tie) and one unpublished."""
    base = utcnow() - timedelta(days=30)
    made = []
    for n in range(23):
        article = make_article(slug=f"a{n:02}")
        article.created_at = article.published_at = base + timedelta(hours=n if n not in (7, 8, 9) else 7)
        made.append(article)
    hidden = make_article(slug="hidden")
    hidden.state = ArticleState.DRAFT
    db.session.commit()
    return [a.slug for a in sorted(made, key=lambda a: (a.created_at, a.id), reverse=True)]


@pytest.mark.parametrize("per_page", [1, 3, 5, 7, 22, 23, 40])
def test_every_page_by_number_holds_what_the_order_says(listed, per_page):
    pages = -(-len(listed) // per_page)
    for number in range(1, pages + 2):  # and one past the end, which is empty
        page = articles.list_articles(page=number, per_page=per_page)
        expected = listed[(number - 1) * per_page : number * per_page]
        assert [item.article.slug for item in page.items] == expected, (per_page, number)
        assert page.total == len(listed)
        assert (page.next_cursor is not None) == (number < pages), (per_page, number)
        if page.next_cursor:  # "Older articles" from any page leads on to the next one
            after = articles.list_articles(per_page=per_page, after=page.next_cursor)
            assert [item.article.slug for item in after.items] == listed[
                number * per_page : (number + 1) * per_page
            ]


def test_the_api_and_the_page_agree_near_the_end(client, listed):
    last = client.get("/api/v1/articles?per_page=5&page=5").get_json()
    assert [item["slug"] for item in last["items"]] == listed[20:]
    assert last["next_cursor"] is None
    html = client.get("/?page=2&per_page=20").get_data(as_text=True)
    assert all(f"/articles/{slug}" in html for slug in listed[20:])
