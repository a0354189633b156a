"""Query counts are deterministic: reading a thread or a list page costs the same at any size."""

from __future__ import annotations

import pytest

from forum.discussion.models import CommentStatus
from forum.discussion.services import comments as comment_service
from forum.discussion.thanks_models import CommentThanks
from forum.platform.database import db
from tests.conftest import PASSWORD
from tests.factories import bulk_thread, make_article, make_comment, make_profile, make_thread

# The article (with its count), then the page with its authors; the page also says who is speaking.
THREAD_PATHS = {"/api/v1/articles/{slug}/comments": 2, "/articles/{slug}": 3}


def _queries(client, count_queries, path):
    with count_queries() as counter:
        response = client.get(path)
    assert response.status_code == 200, path
    return counter.count


def test_thread_read_costs_the_same_for_10_and_1000_comments(client, app, count_queries):
    authors = [make_profile() for _ in range(20)]
    make_thread(make_article(slug="small"), authors, 10)
    make_thread(make_article(slug="large"), authors, 1000)
    db.session.commit()
    for path, expected in THREAD_PATHS.items():
        small = _queries(client, count_queries, path.format(slug="small"))
        large = _queries(client, count_queries, path.format(slug="large"))
        assert small == large == expected, path


def test_every_page_and_page_size_costs_the_same(client, app, count_queries):
    authors = [make_profile() for _ in range(7)]
    bulk_thread(make_article(slug="long"), authors, 1500, reply_every=3)
    db.session.commit()
    seen = set()
    for limit in (1, 10, 100, 1000):
        url = f"/api/v1/articles/long/comments?limit={limit}"
        for _ in range(3):  # the first page and the two after it, by cursor
            with count_queries() as counter:
                body = client.get(url).get_json()
            seen.add(counter.count)
            if not body["next_cursor"]:
                break
            url = f"/api/v1/articles/long/comments?limit={limit}&after={body['next_cursor']}"
    cursor = client.get("/api/v1/articles/long/comments").get_json()["next_cursor"]
    html = [
        _queries(client, count_queries, path) for path in ("/articles/long", f"/articles/long?after={cursor}")
    ]
    assert seen == {2} and html == [3, 3]


@pytest.mark.parametrize("who", ["member", "moderator"])
def test_members_and_moderators_pay_one_more_small_query_whatever_the_size(
    as_user, actors, count_queries, who
):
    """Their count adds the comments only they can see; the query is the same at any size."""
    viewer = actors[who]
    authors = [make_profile() for _ in range(5)]
    for slug, n in (("small", 10), ("large", 1000)):
        article = make_article(slug=slug)
        make_thread(article, authors, n)
        make_comment(article, viewer.profile, "mine, waiting", status=CommentStatus.PENDING)
        make_comment(article, authors[0], "someone else's, waiting", status=CommentStatus.PENDING)
    db.session.commit()
    client = as_user(viewer)
    counts = {}
    for slug, n in (("small", 10), ("large", 1000)):
        with count_queries() as counter:
            body = client.get(f"/api/v1/articles/{slug}/comments").get_json()
        counts[slug] = counter.count
        assert body["count"] == n + (2 if who == "moderator" else 1)
    assert counts["small"] == counts["large"]


def test_an_article_list_page_costs_the_same_whatever_the_number_of_articles_and_comments(
    client, app, count_queries
):
    author = make_profile()
    make_thread(make_article(slug="only"), [author], 3)
    db.session.commit()
    few = [_queries(client, count_queries, path) for path in ("/api/v1/articles", "/")]
    for i in range(60):
        make_thread(make_article(slug=f"a{i}"), [author], i % 7)
    bulk_thread(make_article(slug="busy"), [author], 2000)
    db.session.commit()
    after = client.get("/api/v1/articles?per_page=10").get_json()["next_cursor"]
    many = [
        _queries(client, count_queries, path)
        for path in (
            "/api/v1/articles",
            "/api/v1/articles?page=3",
            "/api/v1/articles?per_page=50",
            f"/api/v1/articles?after={after}",
            "/",
            "/?page=2",
            f"/?after={after}",
        )
    ]
    assert set(few) == set(many) == {2}  # the total, then the page with its stored counts


def test_article_list_counts_are_the_public_counts(client, app):
    article = make_article(slug="talk")
    author = make_profile()
    make_thread(article, [author], 4)
    make_comment(article, author, "waiting", status=CommentStatus.PENDING)
    make_comment(article, author, "removed", status=CommentStatus.REMOVED)
    db.session.commit()
    items = client.get("/api/v1/articles").get_json()["items"]
    assert [i["comment_count"] for i in items if i["slug"] == "talk"] == [4]


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
    assert tiny.count == 2, tiny.statements
    assert huge.count == 2, huge.statements
    assert body["count"] == 10_000 and len(body["comments"]) == 50 and body["next_cursor"]
    with count_queries() as page:
        html = client.get("/articles/huge").get_data(as_text=True)
    assert page.count == 3 and "More comments" in html and html.count('class="comment"') < 120


def _post(client, headers, body, parent_id=None):
    payload = {"body": body} | ({"parent_id": parent_id} if parent_id else {})
    return client.post("/api/v1/articles/talk/comments", json=payload, headers=headers)


def test_posting_costs_the_same_few_statements_whatever_the_author_has_written(
    app, client, member, other_member, count_queries
):
    """The account (token), one read of everything posting needs, one write; COMMIT is not counted."""
    article = make_article(slug="talk")
    bulk_thread(article, [member.profile], 300)  # a long history for one author, none for the other
    db.session.commit()
    comment_service.advance_id_sequence()
    db.session.commit()
    written = 3 if db.engine.dialect.name == "postgresql" else 4  # SQLite moves the counts separately
    held = 3  # a held post (a new member's) moves no public count or version
    for user in (member, other_member):
        issued = client.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD})
        headers = {"Authorization": f"Bearer {issued.get_json()['token']}"}
        assert _post(client, headers, "Warming up: the token notes its first use").status_code == 201
        name = user.profile.display_name
        for n in range(3):
            body = f"Point {n} from {name}"
            with count_queries() as counter:
                response = _post(client, headers, body)
            assert response.status_code == 201
            expected = held if response.get_json()["status"] == "pending" else written
            assert counter.count == expected, "\n".join(s[:100] for s in counter.statements)
    # A published reply to someone else's comment adds exactly the notification for them.
    theirs = make_comment(article, other_member.profile, "Theirs, to answer").id
    db.session.commit()
    issued = client.post("/api/v1/tokens", json={"email": member.email, "password": PASSWORD})
    headers = {"Authorization": f"Bearer {issued.get_json()['token']}"}
    _post(client, headers, "Warming up again")
    with count_queries() as counter:
        reply = _post(client, headers, "A reply to their comment", theirs)
    assert reply.status_code == 201 and reply.get_json()["status"] == "approved"
    assert counter.count == written + 1, "\n".join(s[:100] for s in counter.statements)


def test_the_viewer_is_worked_out_once_per_request_however_many_comments(app, as_user, member, monkeypatch):
    """A member's thread page asks who is viewing for every comment's controls: once is enough."""
    from forum.accounts.http import identity

    article = make_article(slug="many")
    make_thread(article, [member.profile], 60)
    db.session.commit()
    calls = []
    real = identity.viewer_of
    monkeypatch.setattr(identity, "viewer_of", lambda user: calls.append(user.id) or real(user))
    client = as_user(member)
    assert client.get("/articles/many").status_code == 200
    assert calls == [member.id]
    calls.clear()
    assert client.get("/api/v1/articles/many/comments").status_code == 200
    assert calls == [member.id]


def _thanked_thread(slug, n, authors, member):
    """A thread of ``n`` comments, some thanked by ``member``, one an official response."""
    article = make_article(slug=slug)
    rows = make_thread(article, authors, n)
    for comment in rows[::5]:
        db.session.add(CommentThanks(comment_id=comment.id, user_id=member.id))
        comment.thanks_count = 1
    rows[-1].official_at = rows[-1].created_at
    return article


def test_thanks_and_official_responses_cost_nothing_for_readers_and_one_query_for_members(
    app, as_user, member, count_queries
):
    """Readers: the thanks count is a column of the page, the official box rides with the article.
    Members: one more query says which comments of the page they thanked, whatever the size. (A page
    built to be kept reads the member's state before and after: tests/functional/test_member_pages.py;
    here every read is built.)"""
    app.config["MEMBER_PAGES_MB"] = 0
    authors = [make_profile() for _ in range(20)]
    for slug, n in (("small", 10), ("large", 1000)):
        _thanked_thread(slug, n, authors, member)
    db.session.commit()
    reader, client = as_user(None), as_user(member)
    for path, expected in THREAD_PATHS.items():
        assert {_queries(reader, count_queries, path.format(slug=s)) for s in ("small", "large")} == {
            expected
        }
        for slug in ("small", "large"):  # the standing is read once, then kept; each first visit is recorded
            client.get(path.format(slug=slug))
        seen = []
        for slug in ("small", "large"):
            with count_queries() as counter:
                assert client.get(path.format(slug=slug)).status_code == 200
            seen.append(counter.statements)
            assert sum("comment_thanks" in s for s in counter.statements) == 1, counter.statements
        assert len(seen[0]) == len(seen[1]), (path, [[q[:60] for q in page] for page in seen])
    body = client.get("/api/v1/articles/large/comments").get_json()
    assert body["comments"][0]["thanked"] is True and body["comments"][0]["thanks_count"] == 1
