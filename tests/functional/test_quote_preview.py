"""Quoting a comment into a reply, previewing before posting, and pictures refused, per actor."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import func, select

from forum import create_app
from forum.discussion.models import Comment, CommentRevision, CommentStatus
from forum.platform.database import db
from tests.conftest import log_in
from tests.factories import make_article, make_comment, make_profile

PICTURE = (
    "Pictures cannot be posted here (line {}). You can describe the picture in words or give a link to it."
)


@pytest.fixture
def article(app):
    found = make_article(slug="talk", title="Let's talk")
    db.session.commit()
    return found


@pytest.fixture
def marks(article):
    """A published comment by Mark Duman, written over two paragraphs."""
    comment = make_comment(
        article, make_profile("Mark Duman"), body="Waiting lists are *long*.\n\nSecond thought."
    )
    db.session.commit()
    return comment


def comment_count():
    return db.session.scalar(select(func.count(Comment.id)))


def textarea(page: str, field_id: str) -> str:
    start = page.index(f'<textarea id="{field_id}"')
    return html.unescape(page[page.index(">", start) + 1 : page.index("</textarea>", start)])


# --- Pictures ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("Look at this:\n\nmy scan\n![scan](https://example.org/scan.png)", 4),
        ("![x][scan]\n\n[scan]: https://example.org/scan.png", 1),
        ("> quoting\n> ![x]()", 2),
    ],
)
def test_pictures_are_refused_on_the_page_naming_the_line_and_keeping_the_text(
    as_user, article, member, body, line
):
    response = as_user(member).post("/articles/talk/comments", data={"body": body})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and comment_count() == 0
    assert html.escape(PICTURE.format(line), quote=False) in page
    assert 'class="error-summary"' in page and textarea(page, "body-new") == body


def test_pictures_are_refused_in_the_api_post_reply_and_edit(as_user, article, marks, member):
    client = as_user(member)
    for payload in ({"body": "hi\n![a](b)"}, {"body": "hi\n![a](b)", "parent_id": marks.id}):
        answer = client.post("/api/v1/articles/talk/comments", json=payload)
        assert answer.status_code == 422 and answer.get_json()["errors"] == {"body": [PICTURE.format(2)]}
    assert comment_count() == 1
    own = client.post("/api/v1/articles/talk/comments", json={"body": "Mine."}).get_json()
    edited = client.patch(f"/api/v1/comments/{own['id']}", json={"body": "Now\n\n![a](https://e.org/a.png)"})
    assert edited.status_code == 422 and edited.get_json()["errors"] == {"body": [PICTURE.format(3)]}
    assert db.session.get(Comment, own["id"]).body == "Mine."


def test_a_picture_in_an_edit_is_refused_on_the_page_with_the_text_kept(as_user, article, member):
    own = make_comment(article, member.profile, body="Before.")
    db.session.commit()
    response = as_user(member).post(
        f"/comments/{own.id}/edit", data={"body": "After ![me](https://e.org/me.jpg)"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and html.escape(PICTURE.format(1), quote=False) in page
    assert textarea(page, "body") == "After ![me](https://e.org/me.jpg)"
    db.session.expire_all()
    assert db.session.get(Comment, own.id).body == "Before."


def test_an_exclamation_mark_before_a_link_or_in_code_is_not_a_picture(as_user, article, member):
    client = as_user(member)
    for body in ("Wow! [the guide](https://example.org)", "Type `![a](b)` to see"):
        assert client.post("/api/v1/articles/talk/comments", json={"body": body}).status_code == 201


# --- Preview ----------------------------------------------------------------------------------


def test_preview_shows_the_rendered_text_above_the_form_and_saves_nothing(as_user, article, member):
    response = as_user(member).post(
        "/articles/talk/comments", data={"body": "Some *care* <b>here</b>", "action": "preview"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and comment_count() == 0
    assert 'id="body-new-preview"' in page and "<p>Some <em>care</em> &lt;b&gt;here&lt;/b&gt;</p>" in page
    assert page.index('id="body-new-preview"') < page.index('id="body-new"')
    assert textarea(page, "body-new") == "Some *care* <b>here</b>"


def test_a_reply_preview_opens_that_reply_form(as_user, article, marks, member):
    data = {"body": "I agree", "parent_id": marks.id, "action": "preview"}
    page = as_user(member).post("/articles/talk/comments", data=data).get_data(as_text=True)
    assert f'id="body-{marks.id}-preview"' in page and textarea(page, f"body-{marks.id}") == "I agree"
    assert '<details class="reply" open>' in page and comment_count() == 1


def test_a_preview_of_a_picture_or_empty_text_says_why(as_user, article, member):
    client = as_user(member)
    refused = client.post("/articles/talk/comments", data={"body": "x\n![a](b)", "action": "preview"})
    assert refused.status_code == 422 and "line 2" in refused.get_data(as_text=True)
    empty = client.post("/articles/talk/comments", data={"body": "  ", "action": "preview"})
    assert empty.status_code == 422 and "Write something before posting." in empty.get_data(as_text=True)
    assert comment_count() == 0


def test_edit_preview_changes_nothing(as_user, article, member):
    own = make_comment(article, member.profile, body="Before.")
    db.session.commit()
    response = as_user(member).post(
        f"/comments/{own.id}/edit", data={"body": "After **all**", "action": "preview"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<p>After <strong>all</strong></p>" in page
    assert textarea(page, "body") == "After **all**"
    db.session.expire_all()
    assert db.session.get(Comment, own.id).body == "Before."
    assert db.session.scalar(select(func.count(CommentRevision.id))) == 0


def test_the_preview_api_renders_as_posting_does_for_members_only(as_user, article, member):
    assert as_user(None).post("/api/v1/preview", json={"body": "hi"}).status_code == 401
    answer = as_user(member).post("/api/v1/preview", json={"body": "> quoted\n\n[link](https://e.org)"})
    assert answer.status_code == 200
    assert answer.get_json() == {
        "html": '<blockquote>\n<p>quoted</p>\n</blockquote>\n<p><a href="https://e.org" rel="nofollow ugc noopener">link</a></p>'
    }
    refused = as_user(member).post("/api/v1/preview", json={"body": "![a](b)"})
    assert refused.status_code == 422 and refused.get_json()["errors"] == {"body": [PICTURE.format(1)]}
    assert as_user(member).post("/api/v1/preview", json={}).status_code == 422
    assert comment_count() == 0


def test_previews_are_rate_limited_per_account(app, article, member, other_member):
    limited = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "TESTING": True,
            "SERVER_NAME": "forum.test",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "RATELIMIT_PREVIEW_ACCOUNT": "2 per minute",
        }
    )
    client = log_in(limited.test_client(), member)
    assert client.post("/api/v1/preview", json={"body": "one"}).status_code == 200
    assert (
        client.post("/articles/talk/comments", data={"body": "two", "action": "preview"}).status_code == 200
    )
    refused = client.post("/api/v1/preview", json={"body": "three"})
    assert refused.status_code == 429 and refused.get_json()["code"] == 429
    assert (
        log_in(limited.test_client(), other_member).post("/api/v1/preview", json={"body": "x"}).status_code
        == 200
    )


# --- Quote ------------------------------------------------------------------------------------


def test_a_member_quotes_a_comment_into_an_open_reply_form(as_user, article, marks, member):
    page = as_user(member).get("/articles/talk").get_data(as_text=True)
    assert f'href="/articles/talk?quote={marks.id}#body-{marks.id}"' in page
    assert f'Quote<span class="visually-hidden"> comment #{marks.id} by Mark Duman' in page
    quoted = as_user(member).get(f"/articles/talk?quote={marks.id}").get_data(as_text=True)
    assert '<details class="reply" open>' in quoted
    assert textarea(quoted, f"body-{marks.id}") == (
        "> Waiting lists are *long*.\n>\n> Second thought.\n>\n"
        f"> — [Mark Duman, #{marks.id}](http://forum.test/comments/{marks.id})\n\n"
    )


def test_a_posted_quote_renders_as_a_block_quote_linking_to_the_source(as_user, article, marks, member):
    client = as_user(member)
    body = textarea(client.get(f"/articles/talk?quote={marks.id}").get_data(as_text=True), f"body-{marks.id}")
    answer = client.post(
        "/api/v1/articles/talk/comments", json={"body": body + "I agree.", "parent_id": marks.id}
    )
    reply = db.session.get(Comment, answer.get_json()["id"])
    assert reply.body_html.startswith("<blockquote>\n<p>Waiting lists are <em>long</em>.</p>")
    assert (
        f'<a href="http://forum.test/comments/{marks.id}" rel="nofollow ugc noopener">Mark Duman, #{marks.id}</a>'
        in (reply.body_html)
    )
    assert reply.body_html.endswith("</blockquote>\n<p>I agree.</p>")


@pytest.mark.parametrize("raw", ["abc", "999999", "-1", "", "1e3"])
def test_a_bad_quote_is_ignored_with_a_plain_message(as_user, article, marks, member, raw):
    response = as_user(member).get(f"/articles/talk?quote={raw}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "That comment cannot be quoted." in page
    assert '<details class="reply" open>' not in page


def test_a_hidden_comment_cannot_be_quoted_and_is_not_revealed(
    as_user, article, member, other_member, moderator
):
    pending = make_comment(
        article, other_member.profile, body="A secret pending text.", status=CommentStatus.PENDING
    )
    db.session.commit()
    page = as_user(member).get(f"/articles/talk?quote={pending.id}").get_data(as_text=True)
    assert "That comment cannot be quoted." in page and "secret" not in page
    own = as_user(other_member).get(f"/articles/talk?quote={pending.id}").get_data(as_text=True)
    assert "That comment cannot be quoted." in own  # only published comments are quoted
    assert f"?quote={pending.id}" not in as_user(moderator).get("/articles/talk").get_data(as_text=True)


def test_anonymous_readers_get_the_one_cached_page_whatever_the_quote(as_user, article, marks):
    reader = as_user(None)
    first = reader.get(f"/articles/talk?quote={marks.id}")
    second = reader.get("/articles/talk")
    third = reader.get("/articles/talk?quote=abc")
    assert (
        first.headers["X-Cache"] == "miss" and second.headers["X-Cache"] == third.headers["X-Cache"] == "hit"
    )
    assert first.get_data() == second.get_data() == third.get_data()
    page = first.get_data(as_text=True)
    assert "<textarea" not in page and "cannot be quoted" not in page and "?quote=" not in page


def test_a_preview_with_a_forged_page_cursor_still_keeps_the_text(as_user, article, marks, member):
    client = as_user(member)
    page = client.post(
        "/articles/talk/comments", data={"body": "Kept", "action": "preview", "after": "not-a-cursor"}
    ).get_data(as_text=True)
    assert textarea(page, "body-new") == "Kept" and 'id="body-new-preview"' in page


def test_the_preview_endpoint_is_in_the_api_document(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/preview"]["post"]
    assert {"200", "401", "422", "429"} <= set(operation["responses"])


def test_a_comment_on_a_later_page_is_quoted_there(as_user, member):
    from tests.factories import bulk_thread

    bulk_thread(make_article(slug="long"), [make_profile("Mark Duman")], 120, reply_every=10)
    db.session.commit()
    late = db.session.scalars(
        select(Comment).where(Comment.parent_id.is_(None)).order_by(Comment.id.desc())
    ).first()
    client = as_user(member)
    location = client.get(f"/comments/{late.id}").headers["Location"]
    later = location.split("#")[0]
    assert "after=" in later
    page = client.get(later).get_data(as_text=True)
    link = re.search(rf'href="(/articles/long\?[^"]*quote={late.id}[^"]*)"', page).group(1)
    assert "after=" in link and link.endswith(f"#body-{late.id}")
    quoted = client.get(html.unescape(link).split("#")[0]).get_data(as_text=True)
    assert textarea(quoted, f"body-{late.id}").startswith(">")
    assert '<input type="hidden" name="after"' in quoted
    first_page = client.get(f"/articles/long?quote={late.id}").get_data(as_text=True)
    assert f"Comment #{late.id} is on another page of this thread." in first_page  # nothing half-opened
    assert f'<a href="{link}">Quote it on its page</a>' in first_page
