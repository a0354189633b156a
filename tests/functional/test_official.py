"""Official responses: verified staff of the publisher mark their own comment; readers see a badge and a box."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.accounts.models import Access, Role, RoleSource, Sanction, SanctionKind, User
from forum.discussion.models import Article, Comment, CommentStatus
from forum.platform.database import db
from forum.platform.models import utcnow
from tests.conftest import create_user
from tests.factories import make_article, make_comment

BADGE = "Official response · The King&#39;s Fund"
BOX = "The King&#39;s Fund responded"


def _staff(email: str, name: str, organisation: str, source: RoleSource = RoleSource.VERIFIED) -> User:
    user = create_user(email, name, role="staff")
    user.profile.role = Role.STAFF
    user.profile.organisation = organisation
    user.profile.role_source = source
    db.session.commit()
    return user


@pytest.fixture
def staff(app) -> User:
    """Verified staff of the publisher (written with a typographic apostrophe: the same organisation)."""
    return _staff("staff@kingsfund.example", "Sta Ffmember", "The King’s Fund")


@pytest.fixture
def answer(staff) -> Comment:
    article = make_article(slug="talk", title="Talking about care")
    comment = make_comment(article, staff.profile, "Thank you all: here is what we will do next.")
    db.session.commit()
    return comment


def _put(client, comment_id, method="PUT"):
    return client.open(f"/api/v1/comments/{comment_id}/official", method=method)


def _official_at(comment_id):
    db.session.expire_all()
    return db.session.scalar(select(Comment.official_at).where(Comment.id == comment_id))


def test_verified_publisher_staff_mark_and_unmark_their_own_comment(as_user, staff, answer):
    client = as_user(staff)
    marked = _put(client, answer.id)
    assert marked.status_code == 200 and marked.get_json()["official"] is True
    first = _official_at(answer.id)
    assert first is not None
    assert _put(client, answer.id).status_code == 200 and _official_at(answer.id) == first  # idempotent
    unmarked = _put(client, answer.id, "DELETE")
    assert unmarked.status_code == 200 and unmarked.get_json()["official"] is False
    assert _official_at(answer.id) is None
    assert _put(client, answer.id, "DELETE").status_code == 200  # again: no change


def test_readers_see_the_badge_and_the_box_in_pages_and_json(as_user, staff, answer):
    _put(as_user(staff), answer.id)
    reader = as_user(None)
    page = reader.get("/articles/talk").get_data(as_text=True)
    assert BADGE in page and BOX in page
    assert f'href="/comments/{answer.id}"' in page  # the box links to it, whatever page it is on
    assert page.index(BOX) < page.index('<ol class="thread"')  # the box sits above the thread
    node = reader.get("/api/v1/articles/talk/comments").get_json()["comments"][0]
    assert node["official"] is True
    assert reader.get(f"/api/v1/comments/{answer.id}").get_json()["official"] is True


def test_the_box_lists_responses_on_later_pages_too(as_user, staff, other_member):
    article = make_article(slug="long")
    for i in range(60):
        make_comment(article, other_member.profile, f"Comment {i}")
    late = make_comment(article, staff.profile, "Our response, on the second page.")
    db.session.commit()
    _put(as_user(staff), late.id)
    first_page = as_user(None).get("/articles/long").get_data(as_text=True)
    assert f"comment-{late.id}" not in first_page  # not on this page...
    assert BOX in first_page and f'href="/comments/{late.id}"' in first_page  # ...but in the box
    followed = as_user(None).get(f"/comments/{late.id}")
    assert "after=" in followed.headers["Location"]


@pytest.mark.parametrize(
    "organisation, source",
    [
        ("Another Trust", RoleSource.VERIFIED),  # staff of another organisation
        ("The King's Fund", RoleSource.DECLARED),  # says so, not verified
        ("The King's Fund", RoleSource.INFERRED),
    ],
)
def test_other_staff_cannot_mark_official(as_user, organisation, source):
    writer = _staff("writer@example.org", "Wri Ter", organisation, source)
    comment = make_comment(make_article(slug="talk"), writer.profile, "My view.")
    db.session.commit()
    client = as_user(writer)
    answer = _put(client, comment.id)
    assert answer.status_code == 403
    body = answer.get_json()
    assert body["code"] == 403 and "verified" in body["message"]
    assert _official_at(comment.id) is None
    page = client.get("/articles/talk").get_data(as_text=True)
    assert "Mark as official response" not in page
    assert client.post(f"/comments/{comment.id}/official").status_code == 302
    assert _official_at(comment.id) is None


def test_a_member_verified_as_other_role_cannot_mark_official(as_user, member):
    member.profile.organisation = "The King's Fund"
    member.profile.role_source = RoleSource.VERIFIED  # a verified patient, not staff
    comment = make_comment(make_article(slug="talk"), member.profile, "Mine.")
    db.session.commit()
    assert _put(as_user(member), comment.id).status_code == 403


def test_nobody_marks_someone_elses_comment(as_user, staff, member, answer):
    moderator = create_user("mod@example.org", "Mod Erator", access=Access.MODERATOR, role="staff")
    colleague = _staff("colleague@kingsfund.example", "Col League", "The King's Fund")
    for user in (member, moderator, colleague):
        assert _put(as_user(user), answer.id).status_code == 403, user.email
    assert _put(as_user(None), answer.id).status_code == 401
    assert as_user(None).post(f"/comments/{answer.id}/official").status_code == 302  # to log in
    assert _official_at(answer.id) is None


def test_the_page_offers_the_button_only_to_the_staff_author(as_user, staff, member, answer):
    assert "Mark as official response" not in as_user(member).get("/articles/talk").get_data(as_text=True)
    client = as_user(staff)
    page = client.get("/articles/talk").get_data(as_text=True)
    assert f'action="/comments/{answer.id}/official"' in page and "Mark as official response" in page
    back = client.post(f"/comments/{answer.id}/official", data={"official": "1"})
    assert back.status_code == 302 and back.headers["Location"].endswith(
        f"/articles/talk#comment-{answer.id}"
    )
    page = client.get("/articles/talk").get_data(as_text=True)
    assert BADGE in page and "Stop marking as official response" in page
    client.post(f"/comments/{answer.id}/official", data={"official": "0"})
    assert _official_at(answer.id) is None
    assert BOX not in as_user(None).get("/articles/talk").get_data(as_text=True)


def test_a_pending_official_comment_is_seen_only_by_its_author_and_moderators(as_user, staff, moderator):
    comment = make_comment(make_article(slug="talk"), staff.profile, "Held.", status=CommentStatus.PENDING)
    db.session.commit()
    assert _put(as_user(staff), comment.id).status_code == 200
    reader = as_user(None)
    page = reader.get("/articles/talk").get_data(as_text=True)
    assert BOX not in page and BADGE not in page
    assert reader.get("/api/v1/articles/talk/comments").get_json()["comments"] == []
    assert reader.get(f"/api/v1/comments/{comment.id}").status_code == 404
    own = as_user(staff).get("/articles/talk").get_data(as_text=True)
    assert BADGE in own and BOX not in own  # the box lists published responses only
    assert BADGE in as_user(moderator).get("/articles/talk").get_data(as_text=True)


def test_a_deleted_or_removed_official_comment_leaves_the_box(as_user, staff, answer):
    _put(as_user(staff), answer.id)
    assert as_user(staff).delete(f"/api/v1/comments/{answer.id}").status_code == 204
    page = as_user(None).get("/articles/talk").get_data(as_text=True)
    assert BOX not in page and BADGE not in page
    assert _put(as_user(staff), answer.id).status_code == 403  # a deleted comment cannot be marked


def test_marking_changes_the_thread_version(as_user, staff, answer):
    version = db.session.scalar(select(Article.thread_version).where(Article.slug == "talk"))
    _put(as_user(staff), answer.id)
    db.session.expire_all()
    assert db.session.scalar(select(Article.thread_version).where(Article.slug == "talk")) > version


def test_a_suspended_staff_member_cannot_mark(as_user, staff, moderator, answer):
    db.session.add(
        Sanction(
            user_id=staff.id,
            kind=SanctionKind.SUSPENSION,
            reason="Test.",
            starts_at=utcnow(),
            ends_at=utcnow() + timedelta(days=1),
            created_by_id=moderator.id,
        )
    )
    db.session.commit()
    assert _put(as_user(staff), answer.id).status_code == 403
    assert _official_at(answer.id) is None


def test_the_publisher_is_a_setting(app, as_user):
    app.config["PUBLISHER_NAME"] = "Another Trust"
    writer = _staff("writer@example.org", "Wri Ter", "Another Trust")
    comment = make_comment(make_article(slug="talk"), writer.profile, "Ours.")
    db.session.commit()
    assert _put(as_user(writer), comment.id).status_code == 200
    page = as_user(None).get("/articles/talk").get_data(as_text=True)
    assert "Official response · Another Trust" in page and "Another Trust responded" in page
