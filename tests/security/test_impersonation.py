"""Hole 4: impersonation. A verified role belongs to the name, title and organisation it was verified
with; nobody takes a name that looks like someone else's (TR39 skeletons); invisible and
bidirectional characters are refused in names."""

from __future__ import annotations

import pytest

from forum.accounts.models import Profile, Role, RoleSource
from forum.moderation.services.verification import verify_role
from forum.platform.database import db
from tests.conftest import create_user
from tests.factories import make_profile


def join(client, name):
    return client.post(
        "/api/v1/users",
        json={
            "email": "new@example.org",
            "password": "a long fresh passphrase",
            "display_name": name,
            "consent": True,
        },
    )


@pytest.mark.parametrize(
    "name",
    [
        "Mark Duman",
        "mark duman",
        "MARK  DUMAN",
        "M\u0430rk Duman",  # Cyrillic а
        "Mark Dum\u0430n",
        "Mark Durnan",  # rn reads as m
        "Ｍａｒｋ Ｄｕｍａｎ",  # full-width
    ],
)
def test_a_name_that_looks_like_an_existing_commenters_is_refused(client, app, name):
    make_profile("Mark Duman")  # an imported commenter, as the seeds make
    db.session.commit()
    response = join(client, name)
    assert response.status_code == 422, name
    assert "looks the same" in response.get_json()["errors"]["display_name"][0]


@pytest.mark.parametrize("char", ["\u200b", "\u200f", "\u061c", "\u200d", "\u00ad", "\u2066", "\ufeff"])
def test_invisible_and_bidirectional_characters_are_refused_in_names(client, as_user, member, char):
    assert join(client, f"Mark{char} Duman").status_code == 422
    response = as_user(member).patch("/api/v1/me", json={"job_title": f"Consultant{char}"})
    assert response.status_code == 422
    assert "invisible" in str(response.get_json()["errors"])


def test_a_member_cannot_rename_themselves_as_someone_else(as_user, member, other_member):
    response = as_user(member).patch("/api/v1/me", json={"display_name": "oth er"})
    assert response.status_code == 422
    db.session.refresh(member.profile)
    assert member.profile.display_name == "Mem Ber"
    # Their own name, differently cased, is still theirs.
    assert as_user(member).patch("/api/v1/me", json={"display_name": "Mem ber"}).status_code == 200


def test_a_different_name_is_welcome(client, app):
    make_profile("Mark Duman")
    db.session.commit()
    assert join(client, "Mark Dunham").status_code == 202


@pytest.mark.parametrize(
    "change",
    [{"display_name": "Dr Someone Else"}, {"job_title": "Chief Executive"}, {"organisation": "NHS X"}],
)
def test_changing_name_title_or_organisation_returns_a_verified_role_to_declared(as_user, moderator, change):
    clinician = create_user("gp@example.org", "Dr Ann Lee", role="clinician")
    clinician.profile.job_title = "GP"
    clinician.profile.organisation = "Riverside Surgery"
    verify_role(moderator, clinician.profile, "GMC register")
    db.session.commit()
    assert clinician.profile.role_source == RoleSource.VERIFIED
    response = as_user(clinician).patch("/api/v1/me", json=change)
    assert response.status_code == 200, response.get_json()
    profile = db.session.get(Profile, clinician.profile_id)
    db.session.refresh(profile)
    assert profile.role_source == RoleSource.DECLARED and profile.role == Role.CLINICIAN
    assert profile.verified_at is None


def test_editing_only_the_bio_keeps_the_verified_role(as_user, moderator):
    clinician = create_user("gp@example.org", "Dr Ann Lee", role="clinician")
    verify_role(moderator, clinician.profile, "GMC register")
    db.session.commit()
    response = as_user(clinician).patch("/api/v1/me", json={"bio": "I work in general practice."})
    assert response.status_code == 200
    profile = db.session.get(Profile, clinician.profile_id)
    db.session.refresh(profile)
    assert profile.role_source == RoleSource.VERIFIED
