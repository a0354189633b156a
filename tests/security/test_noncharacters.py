"""Hole 5: noncharacters (U+FFFE, U+FFFF and the rest) are refused in every text input, and the Atom
feeds stay well-formed XML whatever the database already holds."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from forum.platform.database import db
from tests.factories import make_article, make_comment, make_profile


@pytest.fixture
def article(app):
    found = make_article(slug="talk")
    db.session.commit()
    return found


@pytest.mark.parametrize("char", ["\ufffe", "\uffff", "\ufdd0", "\U0001fffe", "\U0010ffff"])
def test_noncharacters_are_refused_in_comments_and_names(as_user, article, member, char):
    client = as_user(member)
    posted = client.post("/api/v1/articles/talk/comments", json={"body": f"hello {char} there"})
    assert posted.status_code == 422
    assert "not a character" in str(posted.get_json()["errors"])
    named = client.patch("/api/v1/me", json={"display_name": f"Name {char}"})
    assert named.status_code == 422
    form = client.post("/articles/talk/comments", data={"body": f"form {char}"})
    assert form.status_code == 422


def test_feeds_are_well_formed_even_with_stored_noncharacters(client, article):
    someone = make_profile("Bad \ufffe Name\uffff")  # as an older database may hold
    make_comment(article, someone, "text with \ufffe and \uffff inside")
    db.session.commit()
    for url in ("/articles/talk/comments.atom", "/feeds/articles.atom"):
        response = client.get(url)
        assert response.status_code == 200
        ET.fromstring(response.data)  # raises on a character XML forbids
    body = client.get("/articles/talk/comments.atom").get_data(as_text=True)
    assert "\ufffe" not in body and "\uffff" not in body
