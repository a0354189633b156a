"""Input limits: body size, control characters, Unicode normalisation and lengths, with clear errors."""

from __future__ import annotations

import json

import pytest
from flask import Flask

from forum.accounts.models import Profile
from forum.discussion.models import CommentStatus
from forum.moderation.models import Flag
from forum.moderation.services.decisions import parse_decision
from forum.platform.database import db
from forum.platform.errors import ValidationFailed
from tests.conftest import log_in
from tests.factories import make_article, make_comment

ERROR_KEYS = {"code", "status", "message", "errors"}


def test_an_oversized_body_is_a_413_json_under_the_api_and_a_page_elsewhere(app: Flask, as_user, member):
    limit = app.config["MAX_CONTENT_LENGTH"]
    assert limit == 128 * 1024
    client = as_user(member)
    api = client.post(
        "/api/v1/articles/x/comments", data=json.dumps({"body": "x" * limit}), content_type="application/json"
    )
    assert api.status_code == 413 and set(api.get_json()) == ERROR_KEYS
    assert "128 KiB" in api.get_json()["message"]
    page = client.post("/account/profile", data={"display_name": "x", "bio": "y" * limit})
    assert page.status_code == 413 and page.mimetype == "text/html"
    assert "128 KiB" in page.get_data(as_text=True)


def test_a_longest_comment_of_four_byte_characters_still_fits(app: Flask, as_user, member):
    make_article(slug="talk")
    db.session.commit()
    body = "😀" * app.config["COMMENT_MAX_LENGTH"]
    encoded = json.dumps({"body": body})  # ensure_ascii: 12 bytes a character, the worst case
    assert len(encoded) < app.config["MAX_CONTENT_LENGTH"]
    response = as_user(member).post(
        "/api/v1/articles/talk/comments", data=encoded, content_type="application/json"
    )
    assert response.status_code == 201


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\ud800"])
def test_control_characters_are_refused_in_any_json_field(as_user, member, character):
    make_article(slug="talk")
    db.session.commit()
    response = as_user(member).post(
        "/api/v1/articles/talk/comments",
        data=json.dumps({"body": f"hello{character}there"}),
        content_type="application/json",
    )
    body = response.get_json()
    assert response.status_code == 422 and set(body) == ERROR_KEYS
    assert "control character" in body["errors"]["body"][0]
    assert f"U+{ord(character):04X}" in body["errors"]["body"][0]


def test_control_characters_are_refused_in_forms_with_a_page_naming_the_field(as_user, member):
    response = as_user(member).post(
        "/account/profile", data={"display_name": "Mem\x08Ber", "role": "patient"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "display_name" in page and "control character" in page
    db.session.expire_all()
    assert member.profile.display_name == "Mem Ber"


def test_line_breaks_and_tabs_are_allowed_in_multi_line_text(as_user, member):
    client = as_user(member)
    response = client.patch("/api/v1/me", json={"bio": "Line one\r\n\tLine two\n\n\n\nLine three   "})
    assert response.status_code == 200
    db.session.expire_all()
    assert member.profile.bio == "Line one\n\tLine two\n\nLine three"


def test_nested_json_values_and_keys_are_checked(as_user, member):
    client = as_user(member)
    nested = client.patch("/api/v1/me", json={"bio": "fine", "extra": {"deep": ["ok", "bad\x01"]}})
    assert nested.status_code == 422 and list(nested.get_json()["errors"]) == ["extra.deep.1"]
    key = client.patch("/api/v1/me", json={"bio\x1f": "fine"})
    assert key.status_code == 422 and "bio\x1f" in key.get_json()["errors"]


def test_names_are_normalised_nfkc_with_whitespace_collapsed(as_user, member):
    client = as_user(member)
    response = client.patch(
        "/api/v1/me",
        json={
            "display_name": "  Ｍａｒｙ\u00a0\u00a0O\u2019Brien\n",  # full-width letters, no-break spaces
            "job_title": "Ward   sister",
            "organisation": "Cafe\u0301 Health",  # e + combining acute accent
        },
    )
    assert response.status_code == 200
    profile = response.get_json()["profile"]
    assert profile["display_name"] == "Mary O\u2019Brien"
    assert profile["job_title"] == "Ward sister"
    assert profile["organisation"] == "Caf\u00e9 Health"  # composed


def test_bidirectional_overrides_are_refused_in_names(as_user, member):
    response = as_user(member).patch("/api/v1/me", json={"display_name": "Admin\u202etxt.exe"})
    assert response.status_code == 422 and "U+202E" in response.get_json()["errors"]["display_name"][0]


def test_an_empty_name_after_cleaning_is_refused(as_user, member):
    response = as_user(member).patch("/api/v1/me", json={"display_name": " \u3000\t "})
    assert response.status_code == 422
    assert response.get_json()["errors"]["display_name"] == ["Enter the name you want others to see."]


@pytest.mark.parametrize(
    ("field", "limit"),
    [("display_name", 120), ("job_title", 200), ("organisation", 200), ("bio", 1000)],
)
def test_profile_lengths_have_clear_messages(as_user, member, field, limit):
    client = as_user(member)
    assert client.patch("/api/v1/me", json={field: "x" * limit}).status_code == 200
    response = client.patch("/api/v1/me", json={field: "x" * (limit + 1)})
    assert response.status_code == 422
    assert response.get_json()["errors"][field] == [
        f"Keep it to {limit:,} characters or fewer; this is {limit + 1:,}."
    ]
    form = client.post(
        "/account/profile", data={"display_name": "Mem", "role": "patient", field: "y" * (limit + 1)}
    )
    assert form.status_code == 422 and f"Keep it to {limit:,} characters" in form.get_data(as_text=True)


def test_registration_lengths_are_shown_next_to_the_field(client):
    response = client.post(
        "/register",
        data={"email": "a@example.org", "password": "long enough pw", "display_name": "n" * 121},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="display_name-error"' in page
    assert "Keep it to 120 characters or fewer; this is 121." in page


def test_flag_notes_have_a_limit_not_a_silent_cut(app: Flask, as_user, member, other_member):
    comment = make_comment(make_article(slug="talk"), other_member.profile, "A published comment")
    db.session.commit()
    client = as_user(member)
    too_long = client.post(
        f"/comments/{comment.id}/flags", data={"reason": "spam", "note": "n" * 1001}, follow_redirects=True
    )
    assert "Keep it to 1,000 characters or fewer; this is 1,001." in too_long.get_data(as_text=True)
    assert db.session.query(Flag).count() == 0
    ok = client.post(f"/comments/{comment.id}/flags", data={"reason": "spam", "note": "n" * 1000})
    assert ok.status_code == 302


def test_token_names_have_a_limit(as_user, member):
    client = as_user(member)
    response = client.post("/account/tokens", data={"name": "t" * 101})
    assert response.status_code == 422 and "Keep it to 100 characters" in response.get_data(as_text=True)
    api = log_in(client, None).post(
        "/api/v1/tokens", json={"email": "member@example.org", "password": "x", "name": "t" * 101}
    )
    assert api.status_code == 422 and "name" in api.get_json()["errors"]


def test_moderator_texts_have_limits(as_user, moderator, member):
    client = as_user(moderator)
    note = client.post(f"/api/v1/moderation/members/{member.id}/notes", json={"body": "n" * 5001})
    assert note.status_code == 422
    reason = client.post(
        f"/api/v1/moderation/members/{member.id}/sanctions", json={"kind": "ban", "reason": "r" * 1001}
    )
    assert reason.status_code == 422
    pending = make_comment(make_article(slug="queue"), member.profile, "Held", status=CommentStatus.PENDING)
    db.session.commit()
    decision = client.post(
        f"/api/v1/moderation/comments/{pending.id}/decision",
        json={"action": "reject", "reason": "spam", "note": "n" * 2001},
    )
    assert decision.status_code == 422
    assert decision.get_json()["errors"]["note"] == ["Keep it to 2,000 characters or fewer; this is 2,001."]
    with pytest.raises(ValidationFailed) as caught:  # the HTML form's path, through the service
        parse_decision({"action": "reject", "reason": "spam", "note": "n" * 2001})
    assert list(caught.value.errors) == ["note"]


def test_banned_words_too_long_for_the_column_are_refused_not_a_500(as_user, admin):
    response = as_user(admin).post(
        "/moderation/banned-words", data={"word": "w" * 101}, follow_redirects=True
    )
    assert response.status_code == 200 and "Keep it to 100 characters" in response.get_data(as_text=True)
    api = as_user(admin).post("/api/v1/moderation/banned-words", json={"word": "w" * 101})
    assert api.status_code == 422


def test_profiles_seen_by_others_are_unchanged_by_refused_edits(as_user, member):
    before = db.session.get(Profile, member.profile_id).display_name
    as_user(member).patch("/api/v1/me", json={"display_name": "x" * 500})
    db.session.expire_all()
    assert db.session.get(Profile, member.profile_id).display_name == before
