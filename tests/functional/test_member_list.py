"""Find a member: the moderators' list searches by name or email, filters and pages."""

from __future__ import annotations

import re

import pytest

from forum.accounts.models import Sanction, SanctionKind
from forum.moderation.models import Flag, FlagReason
from forum.platform.database import db
from tests.conftest import create_user
from tests.factories import make_article, make_comment


def _names(page: str) -> list[str]:
    return re.findall(r'/moderation/members/\d+">([^<]+)</a>', page)


@pytest.fixture
def people(app, member, moderator):
    app.config["TRUST_AFTER_APPROVED"] = 1
    article = make_article(slug="talk")
    trusted = create_user("priya@example.org", "Priya Patel")
    watched = create_user("watched@example.org", "Wendy Watched")
    make_comment(article, trusted.profile, "approved")
    make_comment(article, watched.profile, "approved too")
    db.session.add(
        Sanction(user_id=watched.id, kind=SanctionKind.PREMODERATION, reason="r", created_by_id=moderator.id)
    )
    reported = make_comment(article, trusted.profile, "reported")
    db.session.add(Flag(comment_id=reported.id, flagger_id=member.id, reason=FlagReason.SPAM))
    db.session.commit()
    return trusted, watched


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Mem Ber", "Mod Erator", "Priya Patel", "Wendy Watched"]),
        ("?q=priya", ["Priya Patel"]),
        ("?q=WATCHED%40example", ["Wendy Watched"]),
        ("?filter=premoderated", ["Mem Ber", "Wendy Watched"]),
        ("?filter=trusted", ["Priya Patel"]),
        ("?filter=sanctioned", ["Wendy Watched"]),
        ("?filter=reported", ["Priya Patel"]),
    ],
)
def test_search_and_filters(as_user, moderator, people, query, expected):
    response = as_user(moderator).get(f"/moderation/members{query}")
    assert response.status_code == 200 and _names(response.get_data(as_text=True)) == expected


def test_a_bad_filter_is_a_clear_error_and_the_list_pages(as_user, moderator, people):
    assert as_user(moderator).get("/moderation/members?filter=nonsense").status_code == 422
    for i in range(55):
        create_user(f"many{i:02d}@example.org", f"Zed {i:02d}")
    client = as_user(moderator)
    first = client.get("/moderation/members?q=zed").get_data(as_text=True)
    assert len(_names(first)) == 50 and "page 1 of 2" in first and "q=zed&amp;page=2" in first
    assert _names(client.get("/moderation/members?q=zed&page=2").get_data(as_text=True)) == [
        f"Zed {i}" for i in range(50, 55)
    ]


@pytest.mark.parametrize(("actor", "status"), [("anonymous", 302), ("member", 403), ("other_member", 403)])
def test_only_moderators_see_it(as_user, actors, actor, status):
    assert as_user(actors[actor]).get("/moderation/members").status_code == status


def test_the_queue_and_the_log_filter_by_name_or_email(as_user, moderator, people):
    trusted, watched = people
    article_comments = {}
    for who in (trusted, watched):
        posted = as_user(who).post("/api/v1/articles/talk/comments", json={"body": f"held for {who.id}"})
        article_comments[who.id] = posted.get_json()["id"]
    client = as_user(moderator)
    page = client.get("/moderation?member=wendy+watched").get_data(as_text=True)
    assert f'id="item-{article_comments[watched.id]}"' in page  # pre-moderated: it waits
    assert len(re.findall(r'id="item-\d+"', page)) == 1
    api = client.get("/api/v1/moderation/queue?member=priya@example.org").get_json()
    assert api["items"] and {i["comment"]["author"]["display_name"] for i in api["items"]} == {"Priya Patel"}
    decided = client.post(
        f"/api/v1/moderation/comments/{article_comments[watched.id]}/decision", json={"action": "approve"}
    )
    assert decided.status_code == 200, decided.get_json()
    log = client.get("/moderation/log?member=Wendy+Watched").get_data(as_text=True)
    assert f"comment #{article_comments[watched.id]}</a>" in log
    by_moderator = client.get("/moderation/log?moderator=mod@example.org").get_data(as_text=True)
    assert f"comment #{article_comments[watched.id]}</a>" in by_moderator
    # Refusals last: in tests the app context (and its session) is shared between requests.
    assert client.get("/moderation?member=nobody+at+all").status_code == 422
    missing = client.get("/moderation/log?member=Nobody+Here")
    assert missing.status_code == 422 and "Nobody goes by that name or email." in missing.get_data(
        as_text=True
    )
