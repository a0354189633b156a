"""'This helped me': one per member per comment, toggled, counted in the same transaction, shown to all."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum import create_app
from forum.accounts.models import Access, Sanction, SanctionKind
from forum.discussion.models import Article, Comment, CommentStatus
from forum.discussion.thanks_models import CommentThanks
from forum.moderation.services import decisions
from forum.notifications.models import Email, Notification
from forum.platform import jobs
from forum.platform.database import db
from forum.platform.models import utcnow
from forum.privacy.services import erasure
from tests.conftest import PASSWORD, create_user, log_in
from tests.factories import make_article, make_comment, make_profile
from tests.integration.servers import REDIS_URL, clear_redis_prefix, need_services


@pytest.fixture
def talk(app, other_member):
    """A published comment by ``other_member`` that others may thank."""
    article = make_article(slug="talk", title="Talking about care")
    comment = make_comment(article, other_member.profile, "This is what helped my mother.")
    db.session.commit()
    return comment


def _api(client, method, comment_id):
    return client.open(f"/api/v1/comments/{comment_id}/thanks", method=method)


def _stored(comment_id):
    db.session.expire_all()
    count = db.session.scalar(select(Comment.thanks_count).where(Comment.id == comment_id))
    rows = db.session.scalar(select(func.count()).where(CommentThanks.comment_id == comment_id))
    return count, rows


def test_a_member_thanks_once_and_can_take_it_back(as_user, member, talk):
    client = as_user(member)
    first = _api(client, "POST", talk.id)
    assert first.status_code == 200
    assert first.get_json() == {"comment_id": talk.id, "thanks_count": 1, "thanked": True}
    again = _api(client, "POST", talk.id)  # idempotent: still one
    assert again.get_json()["thanks_count"] == 1 and _stored(talk.id) == (1, 1)
    assert client.get(f"/api/v1/comments/{talk.id}").get_json()["thanked"] is True
    undo = _api(client, "DELETE", talk.id)
    assert undo.status_code == 200 and undo.get_json() == {
        "comment_id": talk.id,
        "thanks_count": 0,
        "thanked": False,
    }
    assert _api(client, "DELETE", talk.id).get_json()["thanks_count"] == 0  # idempotent too
    assert _stored(talk.id) == (0, 0)


def test_counts_add_up_across_members_and_everyone_sees_them(as_user, member, moderator, talk):
    third = create_user("third@example.org", "Thir Dperson")
    for user in (member, moderator, third):
        assert _api(as_user(user), "POST", talk.id).status_code == 200
    assert _stored(talk.id) == (3, 3)
    anonymous = as_user(None)
    page = anonymous.get("/articles/talk").get_data(as_text=True)
    assert "3 people said this helped them" in page
    assert "This helped me" not in page  # no button for readers
    node = anonymous.get("/api/v1/articles/talk/comments").get_json()["comments"][0]
    assert node["thanks_count"] == 3 and "thanked" not in node
    assert "thanked" not in anonymous.get(f"/api/v1/comments/{talk.id}").get_json()
    _api(as_user(third), "DELETE", talk.id)
    assert "2 people said this helped them" in anonymous.get("/articles/talk").get_data(as_text=True)


def test_nothing_is_said_at_zero_and_one_is_singular(as_user, member, talk):
    page = as_user(None).get("/articles/talk").get_data(as_text=True)
    assert "said this helped" not in page
    _api(as_user(member), "POST", talk.id)
    assert "1 person said this helped them" in as_user(None).get("/articles/talk").get_data(as_text=True)


def test_anonymous_readers_are_asked_to_log_in(as_user, talk):
    client = as_user(None)
    for method in ("POST", "DELETE"):
        answer = _api(client, method, talk.id)
        assert answer.status_code == 401 and answer.get_json()["code"] == 401
    page = client.post(f"/comments/{talk.id}/thanks")
    assert page.status_code == 302 and "/login" in page.headers["Location"]
    assert _stored(talk.id) == (0, 0)


def test_the_author_cannot_thank_their_own_comment(as_user, other_member, talk):
    client = as_user(other_member)
    answer = _api(client, "POST", talk.id)
    assert answer.status_code == 403
    body = answer.get_json()
    assert set(body) >= {"code", "status", "message"} and "own comment" in body["message"]
    assert "This helped me" not in client.get("/articles/talk").get_data(as_text=True)
    assert _stored(talk.id) == (0, 0)


def test_pending_rejected_deleted_or_missing_comments_cannot_be_thanked(as_user, member, other_member):
    article = make_article(slug="talk")
    waiting = make_comment(article, other_member.profile, "waiting", status=CommentStatus.PENDING)
    refused = make_comment(article, other_member.profile, "refused", status=CommentStatus.REJECTED)
    gone = make_comment(article, other_member.profile, "gone")
    gone.deleted_at = utcnow()
    db.session.commit()
    client = as_user(member)
    for comment in (waiting, refused, gone):
        assert _api(client, "POST", comment.id).status_code == 404, comment.body
        assert _stored(comment.id) == (0, 0)
    assert _api(client, "POST", 999_999).status_code == 404
    # A moderator sees the pending one, but it is not published: nothing to thank yet.
    moderator = create_user("mod2@example.org", "Mod Two", access=Access.MODERATOR, role="staff")
    assert _api(as_user(moderator), "POST", waiting.id).status_code == 404


def test_a_suspended_member_cannot_thank_but_can_take_it_back(as_user, member, moderator, talk):
    client = as_user(member)
    _api(client, "POST", talk.id)
    db.session.add(
        Sanction(
            user_id=member.id,
            kind=SanctionKind.SUSPENSION,
            reason="Test.",
            starts_at=utcnow(),
            ends_at=utcnow() + timedelta(days=3),
            created_by_id=moderator.id,
        )
    )
    db.session.commit()
    assert _api(client, "DELETE", talk.id).status_code == 200
    refused = _api(client, "POST", talk.id)
    assert refused.status_code == 403 and _stored(talk.id) == (0, 0)
    assert "This helped me" not in client.get("/articles/talk").get_data(as_text=True)


def test_the_page_button_works_without_javascript(as_user, member, talk):
    client = as_user(member)
    page = client.get("/articles/talk").get_data(as_text=True)
    assert f'action="/comments/{talk.id}/thanks"' in page
    assert 'aria-pressed="false">This helped me' in page
    assert f"comment #{talk.id} by Oth Er" in page  # the button names the comment
    answer = client.post(f"/comments/{talk.id}/thanks")
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(f"/articles/talk#comment-{talk.id}")
    page = client.get("/articles/talk").get_data(as_text=True)
    assert 'aria-pressed="true">You said this helped you — undo' in page
    assert "1 person said this helped them" in page
    client.post(f"/comments/{talk.id}/thanks", data={"undo": "1"})
    assert _stored(talk.id) == (0, 0)
    assert 'aria-pressed="false">This helped me' in client.get("/articles/talk").get_data(as_text=True)


def test_the_redirect_keeps_the_page_of_a_long_thread(as_user, member, other_member):
    article = make_article(slug="long")
    rows = [make_comment(article, other_member.profile, f"Comment {i}") for i in range(55)]
    db.session.commit()
    answer = as_user(member).post(f"/comments/{rows[-1].id}/thanks")
    assert answer.status_code == 302
    location = answer.headers["Location"]
    assert "after=" in location and location.endswith(f"#comment-{rows[-1].id}")
    assert "1 person said this helped them" in as_user(None).get(location).get_data(as_text=True)


def test_a_refused_page_thanks_says_why(as_user, other_member, talk):
    answer = as_user(other_member).post(f"/comments/{talk.id}/thanks", follow_redirects=True)
    assert "You cannot thank yourself for your own comment." in answer.get_data(as_text=True)
    assert _stored(talk.id) == (0, 0)


def test_thanks_change_the_thread_version_and_its_cached_copy(as_user, member, talk):
    reader = as_user(None)
    before = reader.get("/api/v1/articles/talk/comments")
    etag = before.headers["ETag"]
    version = db.session.scalar(select(Article.thread_version).where(Article.slug == "talk"))
    _api(as_user(member), "POST", talk.id)
    db.session.expire_all()
    assert db.session.scalar(select(Article.thread_version).where(Article.slug == "talk")) == version + 1
    after = reader.get("/api/v1/articles/talk/comments", headers={"If-None-Match": etag})
    assert after.status_code == 200 and after.get_json()["comments"][0]["thanks_count"] == 1


def test_the_author_is_told_without_a_name_at_most_once_a_day(as_user, member, moderator, other_member, talk):
    _api(as_user(member), "POST", talk.id)
    _api(as_user(moderator), "POST", talk.id)
    _api(as_user(member), "DELETE", talk.id)
    _api(as_user(member), "POST", talk.id)
    notes = list(db.session.scalars(select(Notification).where(Notification.user_id == other_member.id)))
    assert len(notes) == 1
    assert notes[0].kind == "thanks.received" and notes[0].comment_id == talk.id
    assert "Someone said your comment" in notes[0].message and "Mem Ber" not in notes[0].message
    assert jobs.run_pending() == 0  # in the app only: no email is asked for (no email setting applies)
    assert db.session.scalar(select(func.count()).select_from(Email)) == 0
    page = as_user(other_member).get("/account/notifications").get_data(as_text=True)
    assert "Someone said your comment on “Talking about care” helped them." in page
    # A day later a new thanks tells them again.
    notes[0].created_at = utcnow() - timedelta(days=1, minutes=1)
    db.session.commit()
    third = create_user("third@example.org", "Thir Dperson")
    _api(as_user(third), "POST", talk.id)
    assert db.session.scalar(select(func.count()).where(Notification.user_id == other_member.id)) == 2


def test_an_imported_author_without_an_account_is_thanked_silently(as_user, member):
    imported = make_profile("kevin riley")
    comment = make_comment(make_article(slug="talk"), imported, "From the original page.")
    db.session.commit()
    assert _api(as_user(member), "POST", comment.id).get_json()["thanks_count"] == 1
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 0


def test_thanks_go_when_the_author_deletes_the_comment(as_user, member, other_member, talk):
    _api(as_user(member), "POST", talk.id)
    assert as_user(other_member).delete(f"/api/v1/comments/{talk.id}").status_code == 204
    assert _stored(talk.id) == (0, 0)


@pytest.mark.parametrize("action", ["remove", "edit"])
def test_thanks_go_when_a_moderator_takes_the_comment_down_or_redacts_it(
    as_user, member, moderator, talk, action
):
    _api(as_user(member), "POST", talk.id)
    decision = {"action": action, "reason": "abusive", "note": "Taken down."}
    if action == "edit":  # a moderator changes the published text: it is not what was thanked
        decision = {"action": "edit", "body": "This is what helped.", "note": "A name taken out."}
    decisions.decide(moderator, talk.id, decisions.parse_decision(decision))
    db.session.commit()
    assert _stored(talk.id) == (0, 0)
    if action == "remove":
        node = as_user(None).get("/api/v1/articles/talk/comments").get_json()["comments"]
        assert node == []  # nothing left to show, no count leaks


def test_thanks_go_when_the_author_erases_their_account(as_user, member, other_member, talk):
    _api(as_user(member), "POST", talk.id)
    erasure.erase_own(other_member, PASSWORD)
    db.session.commit()
    assert _stored(talk.id) == (0, 0)


def test_thanks_are_rate_limited(app, member, talk):
    strict = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_STORAGE_URI": "memory://",
            "RATELIMIT_THANKS_ACCOUNT": "2 per minute",
        }
    )
    client = log_in(strict.test_client(), member)
    assert _api(client, "POST", talk.id).status_code == 200
    assert _api(client, "DELETE", talk.id).status_code == 200
    third = _api(client, "POST", talk.id)
    assert third.status_code == 429 and "Retry-After" in third.headers
    assert third.get_json()["code"] == 429
    assert client.post(f"/comments/{talk.id}/thanks").status_code == 429  # the page shares the count


def test_the_form_carries_a_csrf_token(app, member, talk):
    app.config["WTF_CSRF_ENABLED"] = True
    client = log_in(app.test_client(), member)
    page = client.get("/articles/talk").get_data(as_text=True)
    form = re.search(
        rf'<form class="thanks" method="post" action="/comments/{talk.id}/thanks">(.*?)</form>', page, re.S
    )
    assert form and 'name="csrf_token"' in form.group(1)
    assert client.post(f"/comments/{talk.id}/thanks").status_code == 400  # no token: refused
    assert _stored(talk.id) == (0, 0)


def test_thanks_invalidate_the_shared_redis_copy(app, member, talk):
    """With Redis, a thanks bumps the thread's generation: no server serves the old count again."""
    need_services()
    prefix = f"forum-thanks-{secrets.token_hex(4)}:"
    cached = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "REDIS_URL": REDIS_URL,
            "REDIS_PREFIX": prefix,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    try:
        with cached.app_context():
            reader = cached.test_client()
            for url in ("/api/v1/articles/talk/comments", "/articles/talk"):
                reader.get(url)
                assert reader.get(url).headers["X-Cache"] == "hit"
            assert (
                log_in(cached.test_client(), member).post(f"/api/v1/comments/{talk.id}/thanks").status_code
                == 200
            )
            fresh = reader.get("/api/v1/articles/talk/comments")
            assert fresh.headers["X-Cache"] == "miss" and fresh.get_json()["comments"][0]["thanks_count"] == 1
            page = reader.get("/articles/talk")
            assert page.headers["X-Cache"] == "miss" and "1 person said this helped them" in page.get_data(
                as_text=True
            )
    finally:
        clear_redis_prefix(prefix)


def test_an_erased_member_takes_their_thanks_with_them(as_user, member, moderator, talk):
    _api(as_user(member), "POST", talk.id)
    _api(as_user(moderator), "POST", talk.id)
    version = db.session.scalar(select(Article.thread_version).where(Article.slug == "talk"))
    erasure.erase_own(member, PASSWORD)
    db.session.commit()
    assert _stored(talk.id) == (1, 1)  # the moderator's stays
    assert db.session.scalar(select(Article.thread_version).where(Article.slug == "talk")) == version + 1
    assert "1 person said this helped them" in as_user(None).get("/articles/talk").get_data(as_text=True)
