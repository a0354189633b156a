"""Who acts on whom: the last admin cannot be demoted; moderators act on members, not on moderators or
admins (their comments, notes, roles); admins act on anyone."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.accounts.models import Access, User
from forum.discussion.models import Comment, CommentStatus
from forum.moderation.models import MemberNote
from forum.moderation.services import access as access_levels
from forum.platform.database import db
from forum.platform.errors import Forbidden
from tests.conftest import create_user
from tests.factories import make_article, make_comment


def test_the_last_admin_cannot_be_demoted(as_user, admin):
    response = as_user(admin).put(f"/api/v1/moderation/members/{admin.id}/access", json={"access": "member"})
    assert response.status_code == 403
    assert "last admin" in response.get_json()["message"]
    db.session.expire_all()
    assert db.session.get(User, admin.id).access == Access.ADMIN
    with pytest.raises(Forbidden):
        access_levels.set_access(admin.email, Access.MODERATOR)  # the command line too
    db.session.rollback()


def test_an_admin_can_step_down_once_another_admin_exists(as_user, admin):
    second = create_user("second@example.org", "Second Admin", access=Access.ADMIN, role="staff")
    response = as_user(admin).put(f"/api/v1/moderation/members/{admin.id}/access", json={"access": "member"})
    assert response.status_code == 200
    # ... and then the other one is the last.
    assert (
        as_user(second)
        .put(f"/api/v1/moderation/members/{second.id}/access", json={"access": "member"})
        .status_code
        == 403
    )
    assert db.session.scalar(select(func.count()).select_from(User).where(User.access == Access.ADMIN)) == 1


@pytest.fixture
def staff_comments(app, admin):
    other_mod = create_user("mod2@example.org", "Other Moderator", access=Access.MODERATOR, role="staff")
    article = make_article(slug="talk")
    made = {
        "admin": make_comment(article, admin.profile, "An admin's words"),
        "moderator": make_comment(article, other_mod.profile, "A moderator's words"),
    }
    db.session.commit()
    return made, other_mod


@pytest.mark.parametrize("whose", ["admin", "moderator"])
def test_moderators_cannot_take_down_staff_comments(as_user, moderator, staff_comments, whose):
    made, _ = staff_comments
    comment = made[whose]
    response = as_user(moderator).post(
        f"/api/v1/moderation/comments/{comment.id}/decision", json={"action": "remove", "reason": "off_topic"}
    )
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).status == CommentStatus.APPROVED


def test_admins_can_act_on_moderators(as_user, admin, staff_comments):
    made, other_mod = staff_comments
    response = as_user(admin).post(
        f"/api/v1/moderation/comments/{made['moderator'].id}/decision",
        json={"action": "remove", "reason": "off_topic"},
    )
    assert response.status_code == 200
    assert (
        as_user(admin)
        .post(f"/api/v1/moderation/members/{other_mod.id}/notes", json={"body": "Spoke to them about it."})
        .status_code
        == 201
    )


def test_moderators_cannot_keep_notes_on_staff_or_verify_their_roles(
    as_user, moderator, admin, staff_comments
):
    _, other_mod = staff_comments
    for target in (admin, other_mod):
        note = as_user(moderator).post(f"/api/v1/moderation/members/{target.id}/notes", json={"body": "Hmm."})
        assert note.status_code == 403
        verified = as_user(moderator).post(
            f"/api/v1/moderation/profiles/{target.profile_id}/verification", json={"method": "asked them"}
        )
        assert verified.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(MemberNote)) == 0


def test_moderators_still_act_on_members(as_user, moderator, member):
    comment = make_comment(make_article(slug="talk"), member.profile, "A member's words")
    db.session.commit()
    assert (
        as_user(moderator)
        .post(
            f"/api/v1/moderation/comments/{comment.id}/decision",
            json={"action": "remove", "reason": "off_topic"},
        )
        .status_code
        == 200
    )
    assert (
        as_user(moderator)
        .post(f"/api/v1/moderation/members/{member.id}/notes", json={"body": "Fine now."})
        .status_code
        == 201
    )
