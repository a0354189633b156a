"""The fast thread JSON says exactly what the marshmallow schemas (the API's contract) would say."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.accounts.models import RoleSource
from forum.discussion.http import presenters
from forum.discussion.models import Comment, CommentStatus
from forum.discussion.schemas import CommentNodeSchema, ThreadSchema
from forum.discussion.services import placeholders
from forum.platform.database import db
from forum.platform.models import utcnow
from tests.factories import make_article, make_comment, make_profile


def slow_node(answer: dict, comments: dict[int, Comment], thanked: set[int] | None = None) -> dict:
    """The same node built from ORM objects through the generic presenter, for marshmallow to dump;
    ``thanked``: for a member, the comments they thanked (None: an anonymous reader)."""
    comment = comments[answer["id"]]
    cause = placeholders.cause_of(comment, True)  # here only deleted comments stand as placeholders
    member = {} if thanked is None or cause is not None else {"thanked": comment.id in thanked}
    return {
        **presenters.comment_fields(comment, author=comment.author),
        **member,
        "article_author": False,
        "placeholder": None if cause is None else {"cause": cause.key, "text": cause.says(comment)},
        "replies": [slow_node(reply, comments, thanked) for reply in answer["replies"]],
    }


def test_fast_json_equals_the_schema_dump(as_user, member):
    article = make_article(slug="talk")
    verified = make_profile(
        "Verified Nurse", role_source=RoleSource.VERIFIED, job_title="Nurse", organisation="Ward 7"
    )
    plain = make_profile("Plain Person")
    top = make_comment(article, verified, "A *first* comment\n\nwith two paragraphs")
    reply = make_comment(article, plain, "A reply", parent=top)
    make_comment(article, verified, "A deeper reply with ünïcode and “quotes”", parent=reply)
    gone = make_comment(article, plain, "Soon deleted")
    make_comment(article, verified, "An answer to the deleted one", parent=gone)
    gone.deleted_at, gone.body, gone.body_html = utcnow(), "", ""
    edited = make_comment(article, plain, "Edited later")
    edited.edited_at = utcnow()
    redacted = make_comment(article, plain, "Redacted by a moderator")
    redacted.redacted_at = utcnow()
    make_comment(article, member.profile, "My own, waiting", status=CommentStatus.PENDING)
    edited.official_at = utcnow()  # an official response, with the member's thanks on another
    db.session.commit()
    thanked = as_user(member).post(f"/api/v1/comments/{top.id}/thanks")
    assert thanked.status_code == 200 and thanked.get_json()["thanks_count"] == 1

    for client, mine in ((as_user(None), None), (as_user(member), {top.id})):  # shared copy, member's view
        fast = client.get("/api/v1/articles/talk/comments").get_json()
        comments = {
            c.id: c for c in db.session.scalars(select(Comment).options(joinedload(Comment.author))).unique()
        }
        slow = ThreadSchema().dump(
            {
                "article": fast["article"],
                "comments_mode": "open",
                "count": fast["count"],
                "comments": [slow_node(node, comments, mine) for node in fast["comments"]],
                "next_cursor": fast["next_cursor"],
                # The whole thread, oldest first, a first visit: nothing new.
                "sort": "oldest",
                "roles": [],
                "in_reply_to": {},
                "since": None,
                "new_count": 0,
                "new_ids": [],
            }
        )
        assert fast == slow
        nodes = {n["id"]: n for n in fast["comments"]}
        assert nodes[top.id]["thanks_count"] == 1 and nodes[edited.id]["official"] is True
        assert ("thanked" in nodes[top.id]) is (mine is not None)
    assert any(n["status"] == "pending" for n in fast["comments"])  # the member's view had their own
    assert nodes[top.id]["thanked"] is True and nodes[edited.id]["thanked"] is False


def test_the_answer_to_a_post_equals_the_schema_dump(as_user, member, other_member):
    """POST /comments answers with the node built directly; CommentNodeSchema would say the same."""
    article = make_article(slug="talk")
    parent = make_comment(article, other_member.profile, "Something to answer")
    db.session.commit()
    client = as_user(member)
    for payload in (
        {"body": "A *new* comment with “quotes”"},
        {"body": "And a reply", "parent_id": parent.id},
    ):
        answer = client.post("/api/v1/articles/talk/comments", json=payload)
        assert answer.status_code == 201 and answer.mimetype == "application/json"
        fast = answer.get_json()
        stored = db.session.scalars(
            select(Comment).options(joinedload(Comment.author)).where(Comment.id == fast["id"])
        ).one()
        slow = CommentNodeSchema().dump(
            {
                **presenters.comment_fields(stored, author=stored.author),
                "article_author": False,
                "placeholder": None,
                "replies": [],
            }
        )
        assert fast == slow
        assert fast["status"] == "pending" and fast["replies"] == []  # a new member waits for a moderator
