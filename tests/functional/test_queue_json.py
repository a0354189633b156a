"""The queue's fast JSON (rows + orjson) says exactly what QueueSchema, the API's contract, would dump."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl

import pytest
from flask import current_app

from forum.accounts.models import Sanction, SanctionKind
from forum.discussion.models import Comment, CommentStatus
from forum.moderation.http import presenters
from forum.moderation.models import Flag, FlagReason, RuleHit
from forum.moderation.schemas import QueueArgsSchema, QueueSchema
from forum.moderation.services import queue_kinds, review_queue
from forum.platform import cursors
from forum.platform.database import db
from forum.platform.models import utcnow
from tests.conftest import create_user
from tests.factories import make_article, make_comment, make_profile

RISK = "I can't go on any more, I want to end my life."
LIBEL = "Marcus Powell is a liar and should be sacked"


def schema_dump(query: str) -> dict:
    """What the API answered before its fast path: the ORM items, dumped by QueueSchema, as JSON."""
    args = QueueArgsSchema().load(dict(parse_qsl(query)))
    wanted = review_queue.QueueFilter.parse(args.get("kind"), args.get("reason"), args.get("member"))
    found = review_queue.load_queue_after(wanted, args.get("after"), args["limit"])
    dumped = QueueSchema().dump(
        {
            "count": len(found.items),
            "total": found.total,
            "next_cursor": found.next_cursor,
            "items": [presenters.queue_item(i) for i in found.items],
        }
    )
    return json.loads(current_app.json.dumps(dumped))


@pytest.fixture
def every_kind(as_user, member, other_member, moderator):
    """A queue holding each kind: at risk, reported (once, and hidden by three), pending (with rule hits,
    as a reply, from a pre-moderated member), an edit and an appeal."""
    article = make_article(slug="talk", title="Let's “talk”")
    earlier = make_profile("Earlier Person", job_title="Nurse", organisation="Ward 7")
    parent = make_comment(article, earlier, "The parent comment")
    reported = make_comment(article, earlier, "Buy cheap pills")
    hidden = make_comment(article, make_profile("Loud Person"), "Something rude")
    edited = make_comment(article, member.profile, "I found the clinic helpful.")
    for i in range(3):  # other_member is trusted: their risky post is held as safeguarding, not as new
        make_comment(article, other_member.profile, f"earlier {i}")
    db.session.commit()
    writer, trusted = as_user(member), as_user(other_member)
    assert trusted.post("/api/v1/articles/talk/comments", json={"body": RISK}).status_code == 201
    for body, parent_id in (
        ("Reply with 07700 900123 in it, ünïcode too", parent.id),
        ("See https://example.org/cure for more", None),
        ("Just my view", None),
    ):
        answer = writer.post("/api/v1/articles/talk/comments", json={"body": body, "parent_id": parent_id})
        assert answer.status_code == 201 and answer.get_json()["status"] == "pending"
    refused = writer.post("/api/v1/articles/talk/comments", json={"body": "My honest view."}).get_json()["id"]
    assert (
        as_user(moderator)
        .post(
            f"/api/v1/moderation/comments/{refused}/decision",
            json={"action": "reject", "reason": "off_topic"},
        )
        .status_code
        == 200
    )
    assert (
        writer.post(f"/api/v1/comments/{refused}/appeal", json={"note": "It was on topic"}).status_code == 201
    )
    assert writer.patch(f"/api/v1/comments/{edited.id}", json={"body": LIBEL}).status_code == 200
    assert trusted.post(
        f"/api/v1/comments/{reported.id}/flags", json={"reason": "spam", "note": "Ads"}
    ).status_code in (
        200,
        201,
    )
    reporters = [create_user(f"reporter{i}@example.org", f"Reporter {i}") for i in range(3)]
    for reporter in reporters:
        db.session.add(Flag(comment_id=hidden.id, flagger_id=reporter.id, reason=FlagReason.ABUSIVE))
    db.session.get(Comment, hidden.id).hidden_by_flags_at = utcnow()
    db.session.add(
        Sanction(
            user_id=member.id, kind=SanctionKind.PREMODERATION, reason="Watch", created_by_id=moderator.id
        )
    )
    db.session.commit()
    return {"member": member}


def test_the_fast_queue_equals_the_schema_dump(as_user, moderator, every_kind):
    client = as_user(moderator)
    whole = client.get("/api/v1/moderation/queue").get_json()
    items = whole["items"]
    assert {i["kind"] for i in items} == {"safeguarding", "flagged", "pending", "edit", "appeal"}
    assert any(i["parent"] for i in items) and any(i["rule_hits"] for i in items)
    assert any(i["safeguarding"] and i["safeguarding"]["signals"] for i in items)
    assert any(len(i["flags"]) == 3 and i["why"].startswith("Hidden after 3 members") for i in items)
    assert any(i["edit"] for i in items) and any(i["appeal"] for i in items)
    assert any(i["author_record"]["member_id"] == every_kind["member"].id for i in items)
    first_two = client.get("/api/v1/moderation/queue?limit=2").get_json()
    assert first_two["next_cursor"]
    queries = [
        "",
        "limit=2",
        f"limit=2&after={first_two['next_cursor']}",
        f"limit=200&after={first_two['next_cursor']}",
        "kind=pending",
        "kind=reported&reason=spam",
        "reason=personal_data",
        "reason=new_member",
        "kind=safeguarding",
        "kind=edit",
        "kind=appeal",
        f"member={every_kind['member'].id}",
    ]
    for query in queries:
        answer = client.get(f"/api/v1/moderation/queue?{query}")
        assert answer.status_code == 200 and answer.mimetype == "application/json"
        assert answer.get_json() == schema_dump(query), query


def test_a_cursor_past_the_end_still_counts_the_queue(as_user, moderator, every_kind):
    client = as_user(moderator)
    seen, after = [], None
    while True:
        body = client.get(
            "/api/v1/moderation/queue?limit=3" + (f"&after={after}" if after else "")
        ).get_json()
        seen += body["items"]
        after = body["next_cursor"]
        if not after:
            break
    query = f"limit=3&after={cursor_after(seen[-1])}"
    answer = client.get(f"/api/v1/moderation/queue?{query}").get_json()
    assert answer["items"] == [] and answer["total"] == len(seen) and answer == schema_dump(query)


def cursor_after(item: dict) -> str:
    """A cursor just after the item (what a client holds when the queue shrank under it)."""
    stored = db.session.get(Comment, item["comment"]["id"])
    rank = next(k.priority for k in queue_kinds.KINDS if k.item_kind == item["kind"])
    return f"{rank}.{cursors.encode(stored.created_at, stored.id)}"


def test_the_queue_costs_the_same_statements_for_5_or_200_items(as_user, moderator, member, count_queries):
    article = make_article(slug="talk")
    authors = [make_profile(f"Author {i}") for i in range(10)]

    def add(n: int) -> None:
        for i in range(n):
            comment = make_comment(
                article, authors[i % 10], f"held {i} 07700 900123", status=CommentStatus.PENDING
            )
            db.session.add(Flag(comment_id=comment.id, flagger_id=member.id, reason=FlagReason.SPAM))
            db.session.add(
                RuleHit(comment_id=comment.id, rule="uk_phone", matched="07700 900123", start=8, end=20)
            )
        db.session.commit()

    client = as_user(moderator)
    add(5)
    client.get("/api/v1/moderation/queue?limit=200")  # warm the session
    with count_queries() as few:
        assert client.get("/api/v1/moderation/queue?limit=200").get_json()["count"] == 5
    add(195)
    client.get("/api/v1/moderation/queue?limit=200")
    with count_queries() as many:
        assert client.get("/api/v1/moderation/queue?limit=200").get_json()["count"] == 200
    assert few.count == many.count


def test_the_openapi_document_still_shows_the_queue_schema(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    answer = spec["paths"]["/api/v1/moderation/queue"]["get"]["responses"]["200"]
    assert answer["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Queue"}
    item = spec["components"]["schemas"]["QueueItem"]["properties"]
    assert {"kind", "why", "comment", "parent", "author_record", "rule_hits", "flags", "safeguarding"} <= set(
        item
    )
