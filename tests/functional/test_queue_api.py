"""The queue in the API as in the page: the same kind and reason filters, paged by cursor."""

from __future__ import annotations

import pytest

from forum.discussion.models import CommentStatus
from forum.moderation.models import Flag, FlagReason, RuleHit
from forum.platform.database import db
from tests.factories import make_article, make_comment, make_profile


@pytest.fixture
def waiting(app, member):
    article = make_article(slug="talk")
    author = make_profile("Queue Author")
    ids = {"pending": [], "reported": []}
    for i in range(7):
        comment = make_comment(article, author, f"held {i}", status=CommentStatus.PENDING)
        db.session.add(RuleHit(comment_id=comment.id, rule="link", matched="http", start=0, end=4))
        ids["pending"].append(comment.id)
    for i in range(3):
        comment = make_comment(article, author, f"reported {i}")
        db.session.add(Flag(comment_id=comment.id, flagger_id=member.id, reason=FlagReason.SPAM))
        ids["reported"].append(comment.id)
    db.session.commit()
    return ids


def _walk(client, query):
    seen, after = [], None
    while True:
        url = f"/api/v1/moderation/queue?{query}&limit=3" + (f"&after={after}" if after else "")
        body = client.get(url).get_json()
        seen += [item["comment"]["id"] for item in body["items"]]
        after = body["next_cursor"]
        if not after:
            return seen, body["total"]


def test_the_api_pages_by_cursor_in_the_pages_order(as_user, moderator, waiting):
    client = as_user(moderator)
    seen, total = _walk(client, "")
    assert seen == waiting["reported"] + waiting["pending"] and total == 10
    assert _walk(client, "kind=pending")[0] == waiting["pending"]
    assert _walk(client, "kind=reported&reason=spam")[0] == waiting["reported"]
    assert _walk(client, "reason=link")[0] == waiting["pending"]


@pytest.mark.parametrize("query", ["kind=everything", "reason=boredom", "after=garbage", "limit=0"])
def test_bad_filters_are_clear_errors(as_user, moderator, waiting, query):
    answer = as_user(moderator).get(f"/api/v1/moderation/queue?{query}")
    assert answer.status_code == 422 and set(answer.get_json()) == {"code", "status", "message", "errors"}


@pytest.mark.parametrize(("actor", "status"), [("anonymous", 401), ("member", 403), ("other_member", 403)])
def test_only_moderators_read_it(as_user, actors, waiting, actor, status):
    assert as_user(actors[actor]).get("/api/v1/moderation/queue?kind=pending").status_code == status
