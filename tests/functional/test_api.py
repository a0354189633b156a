"""Every JSON endpoint: shapes, ordering, visibility, errors and the OpenAPI document."""

from __future__ import annotations

import pytest

from forum.discussion.models import CommentStatus
from forum.platform.database import db
from tests.factories import make_article, make_comment, make_profile

AUTHOR_KEYS = {"id", "display_name", "job_title", "organisation", "role", "role_label", "role_source"}
NODE_KEYS = {
    "id",
    "parent_id",
    "author",
    "body",
    "body_html",
    "created_at",
    "imported_at",
    "status",
    "edited",
    "edited_at",
    "deleted",
    "article_author",
    "thanks_count",
    "official",
    "placeholder",
    "replies",
}


def test_article_list_shape_and_paging(client, seeded):
    body = client.get("/api/v1/articles").get_json()
    assert (body["page"], body["per_page"], body["total"]) == (1, 20, 5)
    assert {tuple(sorted(item)) for item in body["items"]} == {
        ("comment_count", "html_url", "kind", "original_date", "slug", "summary", "title", "url")
    }
    counts = {item["slug"]: item["comment_count"] for item in body["items"]}
    assert counts["shared-decision-making"] == 6 and counts["patient-centred-leadership"] == 7
    page2 = client.get("/api/v1/articles?page=2&per_page=2").get_json()
    assert len(page2["items"]) == 2 and page2["total"] == 5
    slugs = [i["slug"] for i in body["items"]]
    assert [i["slug"] for i in page2["items"]] == slugs[2:4]


def test_the_article_list_pages_by_cursor_as_by_number(client, seeded):
    by_number = [i["slug"] for i in client.get("/api/v1/articles?per_page=5").get_json()["items"]]
    walked, after, pages = [], None, 0
    while True:
        url = "/api/v1/articles?per_page=2" + (f"&after={after}" if after else "")
        body = client.get(url).get_json()
        walked += [i["slug"] for i in body["items"]]
        pages += 1
        assert body["page"] == (None if after else 1) and body["total"] == 5
        after = body["next_cursor"]
        if after is None:
            break
    assert walked == by_number and pages == 3
    bad = client.get("/api/v1/articles?after=not-a-cursor")
    assert bad.status_code == 422 and "after" in bad.get_json()["errors"]
    page = client.get("/?after=" + client.get("/api/v1/articles?per_page=20").get_json()["items"][1]["slug"])
    assert page.status_code == 422  # a slug is not a cursor: a clear error page, not a crash


def test_article_detail(client, seeded):
    body = client.get("/api/v1/articles/patient-centred-leadership").get_json()
    assert body["title"] == "Patient-centred leadership"
    assert body["subtitle"] == "Rediscovering our purpose"
    assert body["kind"] == "report" and body["comment_count"] == 7
    assert body["body"].count("\n- ") == 8 and body["body_html"].count("<li>") == 8
    assert body["body"].startswith("This report summarises") and "\n\n## Key findings\n\n" in body["body"]
    assert body["comments_url"].endswith("/api/v1/articles/patient-centred-leadership/comments")


def test_thread_json_is_a_tree_oldest_first(client, seeded):
    body = client.get("/api/v1/articles/shared-decision-making/comments").get_json()
    assert body["article"] == "shared-decision-making" and body["count"] == 6
    top = body["comments"]
    assert [c["id"] for c in top] == [547775, 547779, 547786, 547792, 547796]
    mark = top[1]
    assert set(mark) == NODE_KEYS and set(mark["author"]) == AUTHOR_KEYS
    assert [r["id"] for r in mark["replies"]] == [547780]
    reply = mark["replies"][0]
    assert reply["parent_id"] == 547779 and reply["status"] == "approved"
    assert reply["author"] == {
        "id": reply["author"]["id"],
        "display_name": "Marcus powell",
        "job_title": "Director of Leadership",
        "organisation": "The Kings Fund",
        "role": "staff",
        "role_label": "Staff",
        "role_source": "inferred",  # from working for the publisher, not stated
    }
    assert reply["body"].startswith("Mark - many thanks") and "<p>Best regards</p>" in reply["body_html"]
    assert top[3]["author"]["organisation"] is None


def test_single_comment_and_profile(client, seeded):
    comment = client.get("/api/v1/comments/40477").get_json()
    assert comment["article"] == "patient-centred-leadership"
    assert comment["author"]["role"] == "patient_leader"
    assert comment["html_url"].endswith("/comments/40477")
    profile = client.get(f"/api/v1/profiles/{comment['author']['id']}").get_json()
    assert profile["display_name"] == "Dominic Stenning" and profile["comment_count"] == 1


def test_hidden_comments_never_appear_in_json(client, app):
    article = make_article(slug="hidden")
    author = make_profile()
    make_comment(article, author, "public")
    hidden = [
        make_comment(article, author, f"secret {s.value}", status=s)
        for s in (CommentStatus.PENDING, CommentStatus.REJECTED, CommentStatus.REMOVED)
    ]
    db.session.commit()
    responses = [
        client.get("/api/v1/articles").get_json(),
        client.get("/api/v1/articles/hidden").get_json(),
        client.get("/api/v1/articles/hidden/comments").get_json(),
        client.get(f"/api/v1/profiles/{author.id}").get_json(),
    ]
    assert responses[0]["items"][0]["comment_count"] == 1
    assert responses[1]["comment_count"] == 1
    assert responses[2]["count"] == 1 and len(responses[2]["comments"]) == 1
    assert responses[3]["comment_count"] == 1
    assert "secret" not in str(responses)
    for comment in hidden:
        assert client.get(f"/api/v1/comments/{comment.id}").status_code == 404


def test_errors_are_json_with_one_shape(client, seeded):
    cases = {
        "/api/v1/articles/nope": 404,
        "/api/v1/articles/nope/comments": 404,
        "/api/v1/comments/1": 404,
        "/api/v1/profiles/999999": 404,
        "/api/v1/no-such-endpoint": 404,
        "/api/v1/articles?page=0": 422,
        "/api/v1/articles?per_page=1000": 422,
        "/api/v1/articles?page=abc": 422,
    }
    for url, status in cases.items():
        response = client.get(url)
        assert response.status_code == status, url
        body = response.get_json()
        assert set(body) == {"code", "status", "message", "errors"}, url
        assert body["code"] == status
    assert "page" in client.get("/api/v1/articles?page=0").get_json()["errors"]
    method = client.patch("/api/v1/articles")  # the list takes GET and POST (editors) only
    assert method.status_code == 405 and method.get_json()["code"] == 405
    anonymous = client.post("/api/v1/articles", json={"title": "T", "body": "B"})
    assert anonymous.status_code == 401 and set(anonymous.get_json()) == {
        "code",
        "status",
        "message",
        "errors",
    }


@pytest.mark.parametrize("body", ["{bad", "[1, 2", "\u00ff\u00fe", ""])
@pytest.mark.parametrize("url", ["/api/v1/tokens", "/api/v1/users"])
def test_a_body_that_is_not_json_is_a_clear_400_not_a_500(client, url, body):
    response = client.post(url, data=body, content_type="application/json")
    assert response.status_code in (400, 422), response.data
    payload = response.get_json()
    assert set(payload) == {"code", "status", "message", "errors"} and payload["message"]


def test_openapi_document_covers_every_endpoint(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert set(spec["paths"]) >= {
        "/api/v1/articles",
        "/api/v1/articles/{slug}",
        "/api/v1/articles/{slug}/comments",
        "/api/v1/comments/{comment_id}",
        "/api/v1/profiles/{profile_id}",
    }
    assert "CommentNode" in spec["components"]["schemas"]


def test_the_fast_thread_json_has_exactly_the_documented_shape(client, seeded):
    from datetime import datetime

    from forum.accounts.schemas import AuthorSchema
    from forum.discussion.schemas import CommentNodeSchema, ThreadSchema

    body = client.get("/api/v1/articles/shared-decision-making/comments").get_json()
    assert set(body) == set(ThreadSchema().fields)

    def check(node):
        assert set(node) == set(CommentNodeSchema().fields) - {"thanked"}  # thanked: members only
        assert set(node["author"]) == set(AuthorSchema().fields)
        assert node["created_at"] is None  # seeded: the page gives no date
        assert datetime.fromisoformat(node["imported_at"]).tzinfo is not None
        for reply in node["replies"]:
            check(reply)

    for node in body["comments"]:
        check(node)
