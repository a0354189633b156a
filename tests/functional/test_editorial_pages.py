"""The editors' pages: list, new with preview, edit with errors beside the fields, publish, archive,
restore and comments; who may open them; the header link; the command line's editor access."""

from __future__ import annotations

from sqlalchemy import func, select

from forum.accounts.models import Access, User
from forum.discussion.models import Article, ArticleState, CommentsMode
from forum.moderation.models import AuditEntry
from forum.platform.database import db

NEW = {
    "title": "Leading from behind",
    "slug": "",
    "subtitle": "",
    "kind": "blog_post",
    "byline_name": "Thomas Dahlborg",
    "byline_description": "chief financial officer, NICHQ",
    "byline_profile_id": "",
    "summary": "",
    "body": "## What we learnt\n\nListen *first*. Read [the guide](https://example.org/guide).\n\n- one\n- two",
    "original_date": "Spring 2019",
    "canonical_url": "",
}


def article() -> Article:
    db.session.expire_all()
    return db.session.scalars(select(Article)).one()


def test_only_editors_and_admins_open_the_pages(as_user, member, moderator, editor, admin):
    assert as_user(None).get("/admin/articles").status_code == 302
    assert as_user(member).get("/admin/articles").status_code == 403
    assert as_user(moderator).get("/admin/articles").status_code == 403
    for staff in (editor, admin):
        page = as_user(staff).get("/admin/articles")
        assert page.status_code == 200 and "New article" in page.get_data(as_text=True)
    assert 'href="/admin/articles">Manage articles' in as_user(editor).get("/").get_data(as_text=True)
    assert "Manage articles" not in as_user(moderator).get("/").get_data(as_text=True)
    assert as_user(editor).get("/admin").status_code == 302


def test_preview_saves_nothing_and_save_makes_a_draft(as_user, editor):
    client = as_user(editor)
    shown = client.post("/admin/articles/new", data={**NEW, "action": "preview"})
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200 and "<h2>What we learnt</h2>" in html and "(not saved yet)" in html
    assert "Listen *first*" in html  # the text kept in the form
    assert db.session.scalar(select(func.count(Article.id))) == 0
    saved = client.post("/admin/articles/new", data={**NEW, "action": "save"})
    assert saved.status_code == 302
    made = article()
    assert made.state == ArticleState.DRAFT and made.slug == "leading-from-behind"
    assert made.byline_name == "Thomas Dahlborg" and made.original_date == "Spring 2019"
    assert as_user(None).get("/articles/leading-from-behind").status_code == 404
    listed = client.get("/admin/articles?state=draft").get_data(as_text=True)
    assert "Leading from behind" in listed
    assert "Leading from behind" not in client.get("/admin/articles?state=published").get_data(as_text=True)
    assert "Leading from behind" in client.get("/admin/articles?q=BEHIND").get_data(as_text=True)
    assert "Leading from behind" not in client.get("/admin/articles?q=ahead").get_data(as_text=True)


def test_errors_show_beside_their_fields_and_keep_the_text(as_user, editor):
    client = as_user(editor)
    answer = client.post(
        "/admin/articles/new",
        data={
            **NEW,
            "title": "",
            "canonical_url": "example.org",
            "body": "Text ![x](https://e.org/x.png)",
            "action": "save",
        },
    )
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert 'id="title-error">Give the article a title.' in html
    assert 'id="canonical_url-error">Give the full address' in html
    assert "Text ![x](https://e.org/x.png)</textarea>" in html
    image = client.post(
        "/admin/articles/new", data={**NEW, "body": "Text ![x](https://e.org/x.png)", "action": "save"}
    )
    assert 'id="body-error">Images cannot be added' in image.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Article.id))) == 0


def test_publish_close_hide_archive_restore_from_the_edit_page(as_user, editor):
    client = as_user(editor)
    client.post("/admin/articles/new", data={**NEW, "action": "save"})
    number = article().id
    edit = client.get(f"/admin/articles/{number}/edit").get_data(as_text=True)
    assert "<h2>What we learnt</h2>" in edit and "Publish" in edit  # the saved text, previewed
    client.post(f"/admin/articles/{number}/publish")
    assert article().state == ArticleState.PUBLISHED
    reader = as_user(None)
    assert "Leading from behind" in reader.get("/").get_data(as_text=True)
    client.post(f"/admin/articles/{number}/comments", data={"mode": "closed"})
    assert article().comments_mode == CommentsMode.CLOSED
    assert "Comments are closed on this article." in reader.get("/articles/leading-from-behind").get_data(
        as_text=True
    )
    client.post(f"/admin/articles/{number}/comments", data={"mode": "open"})
    assert article().comments_mode == CommentsMode.OPEN
    assert client.post(f"/admin/articles/{number}/comments", data={"mode": "gone"}).status_code == 422
    client.post(f"/admin/articles/{number}/archive")
    assert article().state == ArticleState.ARCHIVED
    assert reader.get("/articles/leading-from-behind").status_code == 404
    client.post(f"/admin/articles/{number}/restore")
    assert article().state == ArticleState.PUBLISHED
    assert reader.get("/articles/leading-from-behind").status_code == 200
    changed = client.post(
        f"/admin/articles/{number}/edit", data={**NEW, "title": "Leading, from behind", "action": "save"}
    )
    assert changed.status_code == 302 and article().title == "Leading, from behind"
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == [
        "article.created",
        "article.published",
        "article.comments_closed",
        "article.comments_open",
        "article.archived",
        "article.published",
        "article.updated",
    ]


def test_the_command_line_makes_editors(runner, app):
    made = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "ed@example.org",
            "--password",
            "a long password",
            "--name",
            "Ed",
            "--editor",
        ]
    )
    assert made.exit_code == 0, made.output
    assert db.session.scalar(select(User.access).where(User.email == "ed@example.org")) == Access.EDITOR
    runner.invoke(
        args=["users", "create", "--email", "m@example.org", "--password", "a long password", "--name", "M"]
    )
    changed = runner.invoke(args=["users", "set-access", "--email", "m@example.org", "--access", "editor"])
    assert changed.exit_code == 0 and "is now editor" in changed.output
