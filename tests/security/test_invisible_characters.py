"""Hole 2: the personal-data and banned-word rules read text as a reader sees it. Invisible characters,
look-alike letters and separators between digits no longer let personal data or a banned word through,
while the stored text keeps exactly what the author wrote and the hits mark the author's characters."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.discussion.models import Comment, CommentStatus
from forum.moderation.models import BannedWord, RuleHit
from forum.moderation.services import rules
from forum.platform.database import db
from forum.platform.folding import fold_for_rules
from tests.factories import make_article, make_comment

ZWSP, SHY, WJ = "\u200b", "\u00ad", "\u2060"
VARIANTS = {
    "nhs with a zero-width space": ("My NHS number is 943 476" + ZWSP + " 5919", "nhs_number"),
    "nhs with soft hyphens": ("NHS no 943" + SHY + "476" + SHY + "5919", "nhs_number"),
    "nhs with dots": ("number 943.476.5919 thanks", "nhs_number"),
    "nhs with word joiners": ("9" + WJ + "4" + WJ + "3 476 5919", "nhs_number"),
    "phone with dots": ("ring me on 07700.900.123", "uk_phone"),
    "phone with a zero-width space": ("ring 020 79" + ZWSP + "46 0958 tonight", "uk_phone"),
    "phone in full-width digits": ("call ０７７００ ９００１２３", "uk_phone"),
    "email with a full-width at": ("write to jane.doe＠example.org please", "email"),
    "email with a zero-width space": ("write to jane.doe@exa" + ZWSP + "mple.org please", "email"),
    "email with a soft hyphen": ("jane" + SHY + ".doe@example.org", "email"),
}


@pytest.fixture
def article(app):
    found = make_article(slug="talk")
    db.session.commit()
    return found


def trusted(article, user):
    for i in range(3):
        make_comment(article, user.profile, f"earlier {i}", status=CommentStatus.APPROVED)
    db.session.commit()


def post(as_user, user, body):
    response = as_user(user).post("/api/v1/articles/talk/comments", json={"body": body})
    assert response.status_code == 201, response.get_json()
    return db.session.get(Comment, response.get_json()["id"])


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_hidden_personal_data_is_held_and_kept_as_written(as_user, article, member, name):
    body, rule = VARIANTS[name]
    trusted(article, member)
    comment = post(as_user, member, body)
    assert comment.status == CommentStatus.PENDING, name
    assert comment.body == body  # stored exactly as typed
    hits = db.session.scalars(select(RuleHit).where(RuleHit.comment_id == comment.id)).all()
    assert rule in {h.rule for h in hits}
    hit = next(h for h in hits if h.rule == rule)
    # The span is the author's own characters, invisible ones included: highlighting marks them.
    assert body[hit.start : hit.end] == hit.matched
    assert not (set(hit.matched) & set(" .,")) or hit.matched[0].isalnum()


@pytest.mark.parametrize(
    "typed",
    [
        "rub" + ZWSP + "bish",
        "rub" + SHY + "bish",
        "RUB" + WJ + "BISH",
        "rubbіsh",
        "ｒｕｂｂｉｓｈ",
        "rubbis\u04bb",
    ],
)
def test_banned_words_are_found_through_invisible_and_look_alike_characters(as_user, article, member, typed):
    trusted(article, member)
    db.session.add(BannedWord(word="rubbish"))
    db.session.commit()
    body = f"That is {typed}, frankly."
    comment = post(as_user, member, body)
    assert comment.status == CommentStatus.PENDING
    hit = db.session.scalars(select(RuleHit).where(RuleHit.comment_id == comment.id)).one()
    assert hit.rule == "banned_word" and body[hit.start : hit.end] == typed


def test_ordinary_text_is_not_held_by_the_folding(as_user, article, member):
    trusted(article, member)
    db.session.add(BannedWord(word="rubbish"))
    db.session.commit()
    body = "Ages 3 to 5 and 10 to 12 use the 2 o'clock clinic; rubbishy weather 👩‍⚕️ café."
    assert post(as_user, member, body).status == CommentStatus.APPROVED


def test_the_folding_maps_every_character_back():
    text = "a" + ZWSP + "＠b 1.2.3"
    folded = fold_for_rules(text)
    assert folded.text == "a@b 123"
    assert folded.span(0, len(folded.text)) == (0, len(text))
    assert text[slice(*folded.span(1, 2))] == "＠"


def test_rules_on_plain_text_are_unchanged():
    assert {h.rule for h in rules.personal_data("NHS 943 476 5919, born 12/03/1980, SW1A 1AA")} == {
        "nhs_number",
        "date_of_birth",
        "uk_postcode",
    }
