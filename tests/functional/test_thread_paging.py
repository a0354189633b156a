"""Long threads come a page of top-level comments at a time, with all their replies, by cursor."""

from __future__ import annotations

from forum.discussion.models import CommentStatus
from forum.platform.database import db
from tests.factories import bulk_thread, make_article, make_comment, make_profile


def walk(client, slug, limit):
    pages, after = [], None
    while True:
        url = f"/api/v1/articles/{slug}/comments?limit={limit}" + (f"&after={after}" if after else "")
        body = client.get(url).get_json()
        pages.append(body)
        after = body["next_cursor"]
        if not after:
            return pages


def flatten(nodes):
    for node in nodes:
        yield node
        yield from flatten(node["replies"])


def test_cursor_pages_visit_every_comment_once_in_order(client, app):
    bulk_thread(make_article(slug="long"), [make_profile()], 250, reply_every=4)
    db.session.commit()
    pages = walk(client, "long", 40)
    seen = [n["id"] for page in pages for n in flatten(page["comments"])]
    assert len(seen) == len(set(seen)) == 250
    tops = [n["id"] for page in pages for n in page["comments"]]
    assert tops == sorted(tops) and all(len(p["comments"]) <= 40 for p in pages)
    assert all(p["count"] == 250 for p in pages)
    assert len(pages) == 5  # 188 top-level comments, 40 a page


def test_html_pages_link_to_more_comments(client, app):
    bulk_thread(make_article(slug="long"), [make_profile()], 100, reply_every=10)
    db.session.commit()
    first = client.get("/articles/long").get_data(as_text=True)
    assert "More comments" in first and "Back to the first" not in first
    link = first.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    second = client.get(link).get_data(as_text=True)
    assert "Back to the first comments" in second and "Comment 99" in second and "Comment 0<" not in second


def test_bad_cursors_and_limits_are_clear_errors(client, app):
    make_article(slug="talk")
    db.session.commit()
    for query in ("after=not-a-cursor", "after=%%%", "limit=0", "limit=5000"):
        response = client.get(f"/api/v1/articles/talk/comments?{query}")
        assert response.status_code == 422, query
        assert set(response.get_json()) == {"code", "status", "message", "errors"}
    assert client.get("/articles/talk?after=garbage").status_code == 422


def test_a_hidden_top_level_comment_keeps_its_answers_in_place(client, app):
    article = make_article(slug="talk")
    author = make_profile()
    first = make_comment(article, author, "first topic")
    removed = make_comment(article, author, "removed topic", status=CommentStatus.REMOVED)
    make_comment(article, author, "answer to the removed one", parent=removed)
    make_comment(article, author, "third topic")
    only_hidden = make_comment(article, author, "pending topic", status=CommentStatus.PENDING)
    db.session.commit()
    body = client.get("/api/v1/articles/talk/comments?limit=2").get_json()
    # The removed one stands as a placeholder in its place, its answer under it (test_placeholders.py).
    assert [n["body"] for n in body["comments"]] == ["first topic", ""]
    assert body["comments"][1]["placeholder"]["cause"] == "removed" and body["comments"][1]["author"] is None
    assert [n["body"] for n in body["comments"][1]["replies"]] == ["answer to the removed one"]
    rest = client.get(f"/api/v1/articles/talk/comments?limit=2&after={body['next_cursor']}").get_json()
    assert [n["body"] for n in rest["comments"]] == ["third topic"] and rest["next_cursor"] is None
    assert only_hidden.id not in [n["id"] for n in rest["comments"]] and first.id == body["comments"][0]["id"]


def test_a_permalink_lands_on_the_page_that_shows_the_comment(client, app):
    from sqlalchemy import select

    from forum.discussion.models import Comment

    bulk_thread(make_article(slug="long"), [make_profile()], 200, reply_every=10)
    db.session.commit()
    ordered = db.session.scalars(select(Comment).order_by(Comment.created_at, Comment.id)).all()
    first_reply = next(c for c in ordered if c.parent_id)
    late_reply = [c for c in ordered if c.parent_id][-1]
    early = client.get(f"/comments/{first_reply.id}")
    assert early.status_code == 302 and "after=" not in early.headers["Location"]
    late = client.get(f"/comments/{late_reply.id}")
    location = late.headers["Location"]
    assert "after=" in location and location.endswith(f"#comment-{late_reply.id}")
    page = client.get(location.split("#")[0]).get_data(as_text=True)
    assert f'id="comment-{late_reply.id}"' in page and f'id="comment-{late_reply.parent_id}"' in page


def test_forged_cursors_are_clear_errors_not_crashes(client, app):
    import base64

    make_article(slug="talk")
    db.session.commit()
    for raw in ("2020-01-01T00:00:00+00:00|99999999999999999999", "2020-01-01T00:00:00|5", "x|y"):
        cursor = base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
        for url in (f"/api/v1/articles/talk/comments?after={cursor}", f"/api/v1/articles?after={cursor}"):
            response = client.get(url)
            assert response.status_code == 422 and "after" in response.get_json()["errors"], (url, raw)
        for url in (f"/articles/talk?after={cursor}", f"/?after={cursor}"):
            assert client.get(url).status_code == 422, (url, raw)
