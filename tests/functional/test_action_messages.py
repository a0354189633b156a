"""After posting, replying, editing, deleting or reporting, the page lands on a message beside the comment."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.discussion.models import Comment
from forum.platform.database import db
from tests.factories import bulk_thread, make_article, make_comment, make_profile


@pytest.fixture
def article(app):
    found = make_article(slug="talk", title="Let's talk")
    db.session.commit()
    return found


@pytest.fixture
def marks(article):
    comment = make_comment(article, make_profile("Mark Duman"), body="Waiting lists are long.")
    db.session.commit()
    return comment


def landing(client, response):
    """Follow the redirect; return the page and the id its fragment points at."""
    assert response.status_code == 302
    address, _, fragment = response.headers["Location"].partition("#")
    return client.get(address).get_data(as_text=True), fragment


def message_at(page: str, number: int) -> str:
    start = page.index(f'<div class="comment-message" id="message-{number}"')
    return page[start : page.index("</div>", start)]


def top_messages(page: str) -> str:
    start = page.index('<div class="messages" role="status"')
    return page[start : page.index("</div>", start)]


def test_a_new_members_comment_lands_on_its_message_beside_it(as_user, article, member):
    client = as_user(member)
    page, fragment = landing(client, client.post("/articles/talk/comments", data={"body": "My first."}))
    comment = db.session.scalar(select(Comment))
    assert fragment == f"message-{comment.id}"
    message = message_at(page, comment.id)
    assert 'role="status"' in message and 'tabindex="-1"' in message
    assert f"Your comment (#{comment.id}) is waiting for a moderator to check it." in message
    assert page.index(f'id="comment-{comment.id}"') < page.index(f'id="message-{comment.id}"')
    assert "waiting for a moderator" not in top_messages(page)
    again = client.get("/articles/talk").get_data(as_text=True)  # shown once
    assert f'id="message-{comment.id}"' not in again


def test_a_reply_names_whom_it_answers_and_a_moderators_is_published(
    as_user, article, marks, member, moderator
):
    client = as_user(member)
    page, fragment = landing(
        client, client.post("/articles/talk/comments", data={"body": "Yes.", "parent_id": marks.id})
    )
    reply = db.session.scalar(select(Comment).where(Comment.parent_id == marks.id))
    assert fragment == f"message-{reply.id}"
    assert f"Your reply to Mark Duman (#{marks.id}) is waiting for a moderator to check it." in message_at(
        page, reply.id
    )
    staff = as_user(moderator)
    page, fragment = landing(staff, staff.post("/articles/talk/comments", data={"body": "Noted."}))
    mine = db.session.scalars(select(Comment).order_by(Comment.id.desc())).first()
    assert f"Your comment (#{mine.id}) is published." in message_at(page, mine.id)


def test_an_edit_always_confirms_beside_the_comment(as_user, article, member, moderator):
    held = make_comment(article, member.profile, body="Before.")
    own = make_comment(article, moderator.profile, body="Before.")
    db.session.commit()
    newcomer = as_user(member)  # a new member's edit of a published comment waits for a moderator
    page, fragment = landing(newcomer, newcomer.post(f"/comments/{held.id}/edit", data={"body": "After."}))
    assert fragment == f"message-{held.id}"
    assert f"Your edit to comment #{held.id} is waiting for a moderator to check it." in message_at(
        page, held.id
    )
    client = as_user(moderator)
    page, fragment = landing(client, client.post(f"/comments/{own.id}/edit", data={"body": "After."}))
    assert fragment == f"message-{own.id}"
    assert f"Your edit to comment #{own.id} is saved." in message_at(page, own.id)
    page, _ = landing(client, client.post(f"/comments/{own.id}/edit", data={"body": "After."}))
    assert f"Comment #{own.id} is unchanged" in message_at(page, own.id)


def test_a_deleted_comment_with_replies_confirms_where_it_was(as_user, article, member, other_member):
    own = make_comment(article, member.profile, body="Mine.")
    make_comment(article, other_member.profile, body="An answer.", parent=own)
    db.session.commit()
    client = as_user(member)
    page, fragment = landing(client, client.post(f"/comments/{own.id}/delete"))
    assert fragment == f"message-{own.id}"
    assert f"Your comment #{own.id} is deleted." in message_at(page, own.id)
    assert page.index(f'id="comment-{own.id}"') < page.index(f'id="message-{own.id}"')


def test_a_deleted_comment_nothing_is_left_of_confirms_at_the_top_of_the_thread(
    as_user, article, marks, member
):
    own = make_comment(article, member.profile, body="Mine.")
    db.session.commit()
    client = as_user(member)
    page, fragment = landing(client, client.post(f"/comments/{own.id}/delete"))
    assert fragment == f"message-{own.id}" and f'id="comment-{own.id}"' not in page
    assert f"Your comment #{own.id} is deleted." in message_at(page, own.id)
    assert (
        page.index('id="comments-heading"')
        < page.index(f'id="message-{own.id}"')
        < page.index(f'id="comment-{marks.id}"')
    )


def test_a_report_confirms_beside_the_comment_and_a_refused_one_says_why(as_user, article, marks, member):
    client = as_user(member)
    sent = client.post(f"/comments/{marks.id}/flags", data={"reason": "spam", "note": ""})
    page, fragment = landing(client, sent)
    assert fragment == f"message-{marks.id}"
    message = message_at(page, marks.id)
    assert (
        f"Your report about comment #{marks.id} was sent to the moderators." in message
        and 'role="status"' in message
    )
    refused = client.post(f"/comments/{marks.id}/flags", data={"reason": "no such reason"})
    page, _ = landing(client, refused)
    message = message_at(page, marks.id)
    assert f"Your report about comment #{marks.id} was not sent." in message and 'role="alert"' in message


def test_the_message_is_on_the_page_that_shows_a_comment_of_a_long_thread(as_user, member):
    bulk_thread(make_article(slug="long"), [make_profile()], 120, reply_every=10)
    db.session.commit()
    late = db.session.scalars(
        select(Comment).where(Comment.parent_id.is_(None)).order_by(Comment.id.desc())
    ).first()
    client = as_user(member)
    response = client.post(f"/comments/{late.id}/flags", data={"reason": "spam"})
    assert "after=" in response.headers["Location"]
    page, fragment = landing(client, response)
    assert fragment == f"message-{late.id}" and f'id="comment-{late.id}"' in page
    assert f"Your report about comment #{late.id}" in message_at(page, late.id)


def test_anonymous_readers_never_see_anothers_message_and_keep_the_cached_page(
    as_user, article, marks, member
):
    reader = as_user(None)
    before = reader.get("/articles/talk")
    client = as_user(member)
    client.post(f"/comments/{marks.id}/flags", data={"reason": "spam"})
    after = reader.get("/articles/talk")
    assert "Your report" not in after.get_data(as_text=True)
    assert before.headers["X-Cache"] == "miss" and after.headers["X-Cache"] == "hit"
