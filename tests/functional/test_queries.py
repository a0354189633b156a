"""Query counts are deterministic: reading a thread or a list page costs the same at any size."""

from __future__ import annotations

from forum.extensions import db
from forum.services import comments as comment_service
from tests.factories import bulk_thread, make_article, make_profile, make_thread


def _thread_queries(client, count_queries, slug, path):
    with count_queries() as counter:
        response = client.get(path.format(slug=slug))
    assert response.status_code == 200
    return counter.count


def test_thread_read_costs_the_same_for_10_and_1000_comments(client, app, count_queries):
    authors = [make_profile() for _ in range(20)]
    make_thread(make_article(slug="small"), authors, 10)
    make_thread(make_article(slug="large"), authors, 1000)
    db.session.commit()
    for path in ("/api/v1/articles/{slug}/comments", "/articles/{slug}"):
        small = _thread_queries(client, count_queries, "small", path)
        large = _thread_queries(client, count_queries, "large", path)
        assert small == large == 4, path  # the article, a page of top-level ids, their comments, the count


def test_article_list_costs_the_same_whatever_the_page_size(client, app, count_queries):
    author = make_profile()
    for i in range(30):
        make_thread(make_article(slug=f"a{i}"), [author], i % 4)
    db.session.commit()
    with count_queries() as few:
        client.get("/api/v1/articles?per_page=2")
    with count_queries() as many:
        client.get("/api/v1/articles?per_page=30")
    with count_queries() as html:
        client.get("/")
    assert few.count == many.count == html.count == 2  # the total, then the page with its counts


def test_a_10000_comment_thread_costs_the_same_and_returns_one_page(client, app, count_queries):
    authors = [make_profile() for _ in range(50)]
    bulk_thread(make_article(slug="huge"), authors, 10_000)
    bulk_thread(make_article(slug="tiny"), authors, 10)
    db.session.commit()
    comment_service.advance_id_sequence()
    db.session.commit()
    with count_queries() as tiny:
        client.get("/api/v1/articles/tiny/comments")
    with count_queries() as huge:
        body = client.get("/api/v1/articles/huge/comments").get_json()
    assert tiny.count == 4, tiny.statements
    assert huge.count == 4, huge.statements
    assert body["count"] == 10_000 and len(body["comments"]) == 50 and body["next_cursor"]
    with count_queries() as page:
        html = client.get("/articles/huge").get_data(as_text=True)
    assert page.count == 4 and "More comments" in html and html.count('class="comment"') < 120
