"""The moderation policy decides a new comment's status and tells the author why it waits."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.discussion.models import Comment, CommentStatus
from forum.moderation.models import BannedWord, RuleHit
from forum.platform.database import db
from tests.factories import make_article, make_comment


@pytest.fixture
def article(app):
    found = make_article(slug="talk")
    db.session.commit()
    return found


def post(as_user, user, body, slug="talk"):
    response = as_user(user).post(f"/api/v1/articles/{slug}/comments", json={"body": body})
    assert response.status_code == 201, response.get_json()
    return db.session.get(Comment, response.get_json()["id"])


def make_trusted(article, user, n=3):
    for i in range(n):
        make_comment(article, user.profile, f"earlier {i}", status=CommentStatus.APPROVED)
    db.session.commit()


def test_new_members_wait_and_are_told_why(as_user, article, member):
    comment = post(as_user, member, "My first thoughts")
    assert comment.status == CommentStatus.PENDING
    page = as_user(member).get("/articles/talk").get_data(as_text=True)
    assert "first few comments are read by a moderator" in page


def test_members_are_trusted_after_three_approved_and_no_recent_rejection(as_user, article, member):
    make_trusted(article, member, 2)
    assert post(as_user, member, "Two approved so far").status == CommentStatus.PENDING
    make_trusted(article, member, 1)
    assert post(as_user, member, "Three approved now").status == CommentStatus.APPROVED
    make_comment(article, member.profile, "a bad one", status=CommentStatus.REJECTED)
    db.session.commit()
    assert post(as_user, member, "After a rejection").status == CommentStatus.PENDING


def test_threshold_is_configurable(as_user, app, article, member):
    app.config["TRUST_AFTER_APPROVED"] = 1
    make_trusted(article, member, 1)
    assert post(as_user, member, "Trusted after one").status == CommentStatus.APPROVED


def test_moderators_publish_at_once_even_with_personal_data(as_user, article, moderator):
    assert post(as_user, moderator, "Call the team on 020 7946 0958").status == CommentStatus.APPROVED


@pytest.mark.parametrize(
    ("body", "rule", "matched", "words"),
    [
        ("Email me: pat@example.org", "email", "pat@example.org", "an email address"),
        ("My number is 07700 900123", "uk_phone", "07700 900123", "a phone number"),
        ("NHS no 943 476 5919", "nhs_number", "943 476 5919", "an NHS number"),
        ("I'm at SW1A 1AA", "uk_postcode", "SW1A 1AA", "a postcode"),
        ("DOB 01/02/1950", "date_of_birth", "DOB 01/02/1950", "a date of birth"),
    ],
)
def test_personal_data_holds_even_trusted_members(as_user, article, member, body, rule, matched, words):
    make_trusted(article, member)
    comment = post(as_user, member, body)
    assert comment.status == CommentStatus.PENDING
    hits = db.session.scalars(select(RuleHit).where(RuleHit.comment_id == comment.id)).all()
    assert [(h.rule, h.matched) for h in hits] == [(rule, matched)]
    assert body[hits[0].start : hits[0].end].strip() == matched
    assert words in comment.held_because and "protect your privacy" in comment.held_because


def test_links_hold_only_untrusted_members(as_user, article, member, other_member):
    held = post(as_user, member, "Read www.example.com")
    assert held.status == CommentStatus.PENDING and "link" in held.held_because
    make_trusted(article, other_member)
    assert post(as_user, other_member, "Read www.example.com").status == CommentStatus.APPROVED


def test_banned_words_hold_anyone_but_moderators(as_user, article, member, moderator):
    db.session.add(BannedWord(word="quack cure"))
    make_trusted(article, member)
    comment = post(as_user, member, "This is a QUACK CURE, honestly")
    assert comment.status == CommentStatus.PENDING and "banned_word" in [
        h.rule for h in db.session.scalars(select(RuleHit).where(RuleHit.comment_id == comment.id))
    ]
    assert post(as_user, moderator, "Beware any quack cure").status == CommentStatus.APPROVED


def test_the_same_text_twice_is_held(as_user, article, member):
    make_trusted(article, member)
    assert post(as_user, member, "Great point!").status == CommentStatus.APPROVED
    second = post(as_user, member, "great   POINT!")
    assert second.status == CommentStatus.PENDING and "same as a comment you posted" in second.held_because


def test_an_edit_that_adds_personal_data_goes_back_to_the_queue(as_user, article, member):
    make_trusted(article, member)
    comment = post(as_user, member, "Happy to talk")
    assert comment.status == CommentStatus.APPROVED
    as_user(member).patch(f"/api/v1/comments/{comment.id}", json={"body": "Happy to talk: 07700 900123"})
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).status == CommentStatus.PENDING
    assert "secret" not in as_user(None).get("/articles/talk").get_data(as_text=True)
    assert "07700 900123" not in as_user(None).get("/articles/talk").get_data(as_text=True)
