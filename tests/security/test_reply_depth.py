"""Hole 3: no chain of replies can stop a thread from being read. Replies are bounded at write time
(a reply to a comment REPLY_DEPTH_MAX deep hangs beside it), and chains stored before the bound are
bounded when read, so the JSON always serialises."""

from __future__ import annotations

import orjson
import pytest

from forum.discussion.models import Comment
from forum.platform.database import db
from tests.factories import make_article, make_comment


def nesting(value, level=0):
    if isinstance(value, dict):
        return max([level + 1] + [nesting(v, level + 1) for v in value.values()])
    if isinstance(value, list):
        return max([level + 1] + [nesting(v, level + 1) for v in value])
    return level


def deepest_reply(nodes, depth=0):
    return max([depth] + [deepest_reply(n["replies"], depth + 1) for n in nodes])


@pytest.fixture
def article(app):
    found = make_article(slug="talk")
    db.session.commit()
    return found


def test_a_chain_stored_before_the_bound_still_serialises(client, article, member, app):
    parent = None
    for i in range(300):  # far past orjson's 255 levels, as an old database may hold
        parent = make_comment(article, member.profile, f"reply {i}", parent=parent)
    db.session.commit()
    response = client.get("/api/v1/articles/talk/comments")
    assert response.status_code == 200
    body = response.get_json()
    assert deepest_reply(body["comments"]) <= app.config["REPLY_DEPTH_MAX"] + 1
    flat = []
    stack = list(body["comments"])
    while stack:
        node = stack.pop()
        flat.append(node)
        stack.extend(node["replies"])
    assert len(flat) == 300  # nothing dropped
    ids = {n["id"] for n in flat}
    assert all(n["parent_id"] is None or n["parent_id"] in ids for n in flat)  # the real parent is kept
    assert client.get("/articles/talk").status_code == 200


def test_replies_posted_through_the_api_stop_at_the_bound(as_user, article, member, app):
    app.config["REPLY_DEPTH_MAX"] = 5
    client = as_user(member)
    parent_id = None
    ids = []
    for i in range(9):
        payload = {"body": f"answer {i}"} | ({"parent_id": parent_id} if parent_id else {})
        response = client.post("/api/v1/articles/talk/comments", json=payload)
        assert response.status_code == 201, response.get_json()
        parent_id = response.get_json()["id"]
        ids.append(parent_id)
    depths = [db.session.get(Comment, i).depth for i in ids]
    assert depths == [0, 1, 2, 3, 4, 5, 5, 5, 5]
    # The sixth reply and later ones hang from the comment at depth 4, beside the one they answer.
    assert db.session.get(Comment, ids[6]).parent_id == ids[4]
    thread = as_user(member).get("/api/v1/articles/talk/comments").get_json()
    assert deepest_reply(thread["comments"]) == 6


def test_the_default_bound_fits_orjson(app):
    """JSON nests two levels a reply plus the envelope: the default bound stays well inside 255."""
    depth = app.config["REPLY_DEPTH_MAX"]
    node = {"replies": []}
    for _ in range(depth):
        node = {"replies": [node]}
    document = {"comments": [node]}
    assert nesting(document) < 255
    orjson.dumps(document)
