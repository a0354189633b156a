"""Articles through the API: editors create, change, publish, close, archive and replace them; readers
see published ones only; every change is audited; a website system's PUT twice changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from forum.accounts.services import tokens
from forum.discussion.models import Article
from forum.moderation.models import AuditEntry
from forum.platform.database import db
from tests.factories import make_comment, make_profile

BODY = "## Why it matters\n\nBudgets follow what we *measure*; see [the report](https://example.org/r).\n\n<b>raw</b>"


def bearer(user) -> dict[str, str]:
    _, secret = tokens.create_token(user, "website")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def audit_count() -> int:
    return db.session.scalar(select(func.count(AuditEntry.id))) or 0


def test_an_editor_writes_a_draft_readers_cannot_find_then_publishes_it(client, editor):
    auth = bearer(editor)
    made = client.post("/api/v1/articles", json={"title": "Paying for care", "body": BODY}, headers=auth)
    assert made.status_code == 201, made.get_json()
    article = made.get_json()
    assert (
        article["slug"] == "paying-for-care" and article["state"] == "draft" and article["comments"] == "open"
    )
    assert made.headers["Location"].endswith("/api/v1/articles/paying-for-care")
    assert "<h2>Why it matters</h2>" in article["body_html"] and "<em>measure</em>" in article["body_html"]
    assert "&lt;b&gt;raw&lt;/b&gt;" in article["body_html"] and "<b>" not in article["body_html"]
    assert article["summary"].startswith("Budgets follow what we measure")

    # A draft is nowhere for readers: page, JSON, thread, list, feed, search.
    assert client.get("/articles/paying-for-care").status_code == 404
    assert client.get("/api/v1/articles/paying-for-care").status_code == 404
    assert client.get("/api/v1/articles/paying-for-care/comments").status_code == 404
    assert "Paying for care" not in client.get("/").get_data(as_text=True)
    assert "Paying for care" not in client.get("/feeds/articles.atom").get_data(as_text=True)
    assert "Paying for care" not in client.get("/search?q=budgets").get_data(as_text=True)
    assert client.get("/api/v1/articles").get_json()["total"] == 0
    # ... but editors find it.
    drafts = client.get("/api/v1/articles?state=draft", headers=auth).get_json()
    assert [a["slug"] for a in drafts["items"]] == ["paying-for-care"]
    assert client.get("/api/v1/articles/paying-for-care", headers=auth).get_json()["state"] == "draft"

    published = client.patch("/api/v1/articles/paying-for-care", json={"state": "published"}, headers=auth)
    assert published.status_code == 200 and published.get_json()["state"] == "published"
    assert client.get("/articles/paying-for-care").status_code == 200
    assert "Paying for care" in client.get("/").get_data(as_text=True)
    assert "Paying for care" in client.get("/feeds/articles.atom").get_data(as_text=True)
    assert client.get("/api/v1/articles").get_json()["total"] == 1
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["article.created", "article.published"]


def test_closed_comments_refuse_posts_and_say_so_then_reopen(client, editor, member):
    auth = bearer(editor)
    client.post(
        "/api/v1/articles", json={"title": "Talk", "body": "Hello.", "state": "published"}, headers=auth
    )
    member_auth = bearer(member)
    assert (
        client.post(
            "/api/v1/articles/talk/comments", json={"body": "First!"}, headers=member_auth
        ).status_code
        == 201
    )
    make_comment(
        db.session.scalar(select(Article).where(Article.slug == "talk")), member.profile, "Approved one"
    )
    db.session.commit()
    closed = client.patch("/api/v1/articles/talk", json={"comments": "closed"}, headers=auth)
    assert closed.get_json()["comments"] == "closed" and closed.get_json()["comments_open"] is False
    refused = client.post("/api/v1/articles/talk/comments", json={"body": "Again"}, headers=member_auth)
    assert (
        refused.status_code == 403 and refused.get_json()["message"] == "Comments are closed on this article."
    )
    page = client.get("/articles/talk").get_data(as_text=True)
    assert "Comments are closed on this article." in page and "Approved one" in page  # still readable
    assert 'name="body"' not in page
    assert client.get("/api/v1/articles/talk/comments").get_json()["comments_mode"] == "closed"
    client.patch("/api/v1/articles/talk", json={"comments": "open"}, headers=auth)
    assert (
        client.post("/api/v1/articles/talk/comments", json={"body": "Back"}, headers=member_auth).status_code
        == 201
    )
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "article.comments_closed")).one()
    assert entry.before == '{"comments_mode":"open"}' and entry.after == '{"comments_mode":"closed"}'
    assert entry.actor_id == editor.id and entry.target_type == "article"


def test_hidden_comments_are_shown_to_moderators_only(client, editor, moderator, member):
    auth = bearer(editor)
    client.post(
        "/api/v1/articles", json={"title": "Quiet", "body": "Hello.", "state": "published"}, headers=auth
    )
    article = db.session.scalar(select(Article).where(Article.slug == "quiet"))
    make_comment(article, member.profile, "A visible remark")
    db.session.commit()
    client.patch("/api/v1/articles/quiet", json={"comments": "hidden"}, headers=auth)
    page = client.get("/articles/quiet").get_data(as_text=True)
    assert "A visible remark" not in page and "Comments are not shown on this article." in page
    thread = client.get("/api/v1/articles/quiet/comments").get_json()
    assert thread["comments"] == [] and thread["count"] == 0 and thread["comments_mode"] == "hidden"
    assert "1 comment" not in client.get("/").get_data(as_text=True)
    assert "A visible remark" not in client.get("/search?q=remark").get_data(as_text=True)
    assert (
        client.post(
            "/api/v1/articles/quiet/comments", json={"body": "x y z"}, headers=bearer(member)
        ).status_code
        == 403
    )
    mod = bearer(moderator)
    assert "A visible remark" in client.get("/api/v1/articles/quiet/comments", headers=mod).get_data(
        as_text=True
    )


def test_archiving_is_a_404_for_readers_and_reversible(client, editor):
    auth = bearer(editor)
    client.post(
        "/api/v1/articles", json={"title": "Old news", "body": "Text.", "state": "published"}, headers=auth
    )
    assert client.delete("/api/v1/articles/old-news", headers=auth).status_code == 204
    assert client.get("/articles/old-news").status_code == 404
    assert client.get("/api/v1/articles/old-news").status_code == 404
    assert client.get("/api/v1/articles?state=archived", headers=auth).get_json()["total"] == 1
    back = client.patch("/api/v1/articles/old-news", json={"state": "published"}, headers=auth)
    assert back.get_json()["state"] == "published" and client.get("/articles/old-news").status_code == 200


def test_a_website_system_puts_the_same_page_twice_and_nothing_changes(client, editor):
    auth = bearer(editor)
    page = {
        "title": "Shared care",
        "body": "## Part one\n\nText.",
        "byline_name": "Thomas Dahlborg",
        "byline_description": "chief financial officer, NICHQ",
        "original_date": "12 March 2019",
        "canonical_url": "https://www.example.org/shared-care",
        "state": "published",
    }
    first = client.put("/api/v1/articles/shared-care", json=page, headers=auth)
    assert first.status_code == 201 and first.get_json()["slug"] == "shared-care"
    entries, updated = audit_count(), first.get_json()["updated_at"]
    second = client.put("/api/v1/articles/shared-care", json=page, headers=auth)
    assert second.status_code == 200 and audit_count() == entries
    assert second.get_json()["updated_at"] == updated
    changed = client.put(
        "/api/v1/articles/shared-care", json={**page, "title": "Shared care, again"}, headers=auth
    )
    assert changed.status_code == 200 and audit_count() == entries + 1
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).one()
    assert entry.before == '{"title":"Shared care"}' and entry.after == '{"title":"Shared care, again"}'
    shown = client.get("/articles/shared-care").get_data(as_text=True)
    assert "First published 12 March 2019" in shown and "chief financial officer, NICHQ" in shown
    assert '<link rel="canonical" href="https://www.example.org/shared-care">' in shown
    assert (
        db.session.scalar(select(Article.original_date_sort).where(Article.slug == "shared-care")).isoformat()
        == "2019-03-12"
    )


def test_who_may_write_and_what_a_bad_field_says(client, editor, member, moderator):
    body = {"title": "T", "body": "B"}
    assert client.post("/api/v1/articles", json=body).status_code == 401
    assert client.post("/api/v1/articles", json=body, headers=bearer(member)).status_code == 403
    assert client.post("/api/v1/articles", json=body, headers=bearer(moderator)).status_code == 403
    assert client.put("/api/v1/articles/t", json=body, headers=bearer(member)).status_code == 403
    assert client.get("/api/v1/articles?state=draft").status_code == 401
    assert client.get("/api/v1/articles?state=draft", headers=bearer(member)).status_code == 403
    auth = bearer(editor)
    bad = client.post("/api/v1/articles", json={**body, "kind": "poem"}, headers=auth)
    assert bad.status_code == 422 and "kind" in bad.get_json()["errors"]
    unknown = client.post("/api/v1/articles", json={**body, "colour": "red"}, headers=auth)
    assert unknown.status_code == 422 and "colour" in unknown.get_json()["errors"]
    url = client.post("/api/v1/articles", json={**body, "canonical_url": "javascript:alert(1)"}, headers=auth)
    assert url.status_code == 422 and "canonical_url" in url.get_json()["errors"]
    image = client.post(
        "/api/v1/articles", json={"title": "T", "body": "![chart](https://e.org/c.png)"}, headers=auth
    )
    assert image.status_code == 422 and "no uploads" in image.get_json()["errors"]["body"][0]
    slug = client.post("/api/v1/articles", json={**body, "slug": "Not A Slug"}, headers=auth)
    assert slug.status_code == 422 and "slug" in slug.get_json()["errors"]
    nobody = client.post("/api/v1/articles", json={**body, "byline_profile_id": 999}, headers=auth)
    assert nobody.status_code == 422 and "byline_profile_id" in nobody.get_json()["errors"]
    assert client.post("/api/v1/articles", json={**body, "slug": "t"}, headers=auth).status_code == 201
    assert client.post("/api/v1/articles", json={**body, "slug": "t"}, headers=auth).status_code == 409
    assert client.post("/api/v1/articles", json=body, headers=auth).get_json()["slug"] == "t-2"
    assert db.session.scalar(select(func.count(Article.id))) == 2


def test_a_changed_published_slug_redirects(client, editor):
    auth = bearer(editor)
    client.post(
        "/api/v1/articles", json={"title": "First name", "body": "B", "state": "published"}, headers=auth
    )
    assert client.get("/articles/first-name").status_code == 200  # a cached copy exists for the old slug
    client.patch("/api/v1/articles/first-name", json={"slug": "better-name"}, headers=auth)
    moved = client.get("/articles/first-name")
    assert moved.status_code == 301 and moved.headers["Location"].endswith("/articles/better-name")
    assert client.get("/articles/better-name").status_code == 200
    api = client.get("/api/v1/articles/first-name")
    assert api.status_code == 308 and api.headers["Location"].endswith("/api/v1/articles/better-name")
    # The old address stays the article's: nobody else may take it.
    taken = client.post(
        "/api/v1/articles", json={"title": "X", "body": "B", "slug": "first-name"}, headers=auth
    )
    assert taken.status_code == 409


def test_a_draft_slug_changes_freely_without_a_redirect(client, editor):
    auth = bearer(editor)
    client.post("/api/v1/articles", json={"title": "Draft name", "body": "B"}, headers=auth)
    client.patch(
        "/api/v1/articles/draft-name", json={"slug": "final-name", "state": "published"}, headers=auth
    )
    assert client.get("/articles/draft-name").status_code == 404
    assert client.get("/articles/final-name").status_code == 200


def test_the_byline_profile_gets_an_author_badge(client, editor, member):
    author = make_profile("Thomas Dahlborg")
    db.session.commit()
    auth = bearer(editor)
    client.post(
        "/api/v1/articles",
        json={
            "title": "Mine",
            "body": "B",
            "state": "published",
            "byline_name": "Thomas Dahlborg",
            "byline_profile_id": author.id,
        },
        headers=auth,
    )
    article = db.session.scalar(select(Article).where(Article.slug == "mine"))
    theirs = make_comment(article, author, "The author answers")
    other = make_comment(article, member.profile, "A reader asks")
    db.session.commit()
    page = client.get("/articles/mine").get_data(as_text=True)
    assert page.count('class="badge badge--author">Author</span>') == 1
    head = page.index(f'id="comment-{theirs.id}"')
    assert "badge--author" in page[head : page.index(f'id="comment-{other.id}"')]
    nodes = {n["id"]: n for n in client.get("/api/v1/articles/mine/comments").get_json()["comments"]}
    assert nodes[theirs.id]["article_author"] is True and nodes[other.id]["article_author"] is False


def test_closing_comments_changes_the_thread_etag(client, editor):
    auth = bearer(editor)
    client.post("/api/v1/articles", json={"title": "Etag", "body": "B", "state": "published"}, headers=auth)
    first = client.get("/articles/etag")
    etag = first.headers["ETag"]
    assert client.get("/articles/etag", headers={"If-None-Match": etag}).status_code == 304
    client.patch("/api/v1/articles/etag", json={"comments": "closed"}, headers=auth)
    again = client.get("/articles/etag", headers={"If-None-Match": etag})
    assert again.status_code == 200 and "Comments are closed on this article." in again.get_data(as_text=True)
