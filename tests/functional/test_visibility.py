"""Hidden things stay hidden: every read page and endpoint, for every actor."""

from __future__ import annotations

import pytest

from forum.discussion.models import CommentStatus
from forum.moderation.models import Flag, FlagReason, MemberNote, RuleHit
from forum.platform.database import db
from tests.factories import make_article, make_comment, make_profile

SECRETS = {
    CommentStatus.PENDING: "SECRET-PENDING",
    CommentStatus.REJECTED: "SECRET-REJECTED",
    CommentStatus.REMOVED: "SECRET-REMOVED",
}


@pytest.fixture
def world(app, member, other_member, moderator):
    """An article with a public comment and the author's pending, rejected and removed ones."""
    article = make_article(slug="talk")
    public = make_comment(article, make_profile("Public Person"), "Visible to all")
    hidden = {
        s: make_comment(article, member.profile, f"{text} words", status=s) for s, text in SECRETS.items()
    }
    reply = make_comment(
        article, member.profile, "SECRET-REPLY-PENDING", parent=public, status=CommentStatus.PENDING
    )
    db.session.add(
        RuleHit(
            comment_id=hidden[CommentStatus.PENDING].id, rule="uk_phone", matched="SECRET-HIT", start=0, end=3
        )
    )
    db.session.add(
        Flag(
            comment_id=public.id, flagger_id=other_member.id, reason=FlagReason.SPAM, note="SECRET-FLAG-NOTE"
        )
    )
    db.session.add(MemberNote(user_id=member.id, author_id=moderator.id, body="SECRET-MOD-NOTE"))
    db.session.commit()
    return {"article": article, "public": public, "hidden": hidden, "reply": reply}


def read_urls(world, member):
    ids = [c.id for c in world["hidden"].values()] + [world["reply"].id]
    return [
        "/",
        "/articles/talk",
        f"/profiles/{member.profile_id}",
        "/api/v1/articles",
        "/api/v1/articles/talk",
        "/api/v1/articles/talk/comments",
        f"/api/v1/profiles/{member.profile_id}",
        "/api/v1/openapi.json",
        f"/api/v1/comments/{world['public'].id}",
        *[f"/api/v1/comments/{i}" for i in ids],
        *[f"/comments/{i}" for i in ids],
    ]


def body_of(client, url):
    response = client.get(url, follow_redirects=True)
    return response.status_code, response.get_data(as_text=True)


@pytest.mark.parametrize("actor", ["anonymous", "other_member"])
def test_readers_never_see_hidden_comments_flags_notes_or_hits(as_user, actors, world, member, actor):
    client = as_user(actors[actor])
    for url in read_urls(world, member):
        _status, text = body_of(client, url)
        assert "SECRET" not in text, (actor, url)
    assert client.get("/api/v1/articles").get_json()["items"][0]["comment_count"] == 1
    assert client.get("/api/v1/articles/talk/comments").get_json()["count"] == 1
    assert client.get(f"/api/v1/profiles/{member.profile_id}").get_json()["comment_count"] == 0
    for comment in [*world["hidden"].values(), world["reply"]]:
        assert client.get(f"/api/v1/comments/{comment.id}").status_code == 404
        assert client.get(f"/comments/{comment.id}").status_code == 404


def test_the_author_sees_their_own_comments_and_statuses_but_not_flags_notes_or_hits(as_user, world, member):
    client = as_user(member)
    page = client.get("/articles/talk").get_data(as_text=True)
    for text in (*SECRETS.values(), "SECRET-REPLY-PENDING"):
        assert text in page
    assert "Awaiting moderation" in page and "Not published" in page and "Taken down" in page
    statuses = sorted(
        c["status"] for c in client.get("/api/v1/articles/talk/comments").get_json()["comments"]
    )
    assert statuses == ["approved", "pending", "rejected", "removed"]
    for url in read_urls(world, member):
        text = body_of(client, url)[1]
        for secret in ("SECRET-FLAG-NOTE", "SECRET-MOD-NOTE", "SECRET-HIT"):
            assert secret not in text, url


def test_moderators_see_everything(as_user, world, member, moderator):
    client = as_user(moderator)
    thread = client.get("/articles/talk").get_data(as_text=True)
    assert all(text in thread for text in SECRETS.values())
    queue = client.get("/moderation").get_data(as_text=True)
    assert "SECRET-PENDING" in queue and "SECRET-FLAG-NOTE" in queue and "SECRET-REPLY-PENDING" in queue
    assert "SECRET-MOD-NOTE" in client.get(f"/moderation/members/{member.id}").get_data(as_text=True)
