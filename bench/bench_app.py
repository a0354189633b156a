"""The forum as gunicorn serves it, plus bench-only routes: the ceiling, two posting floors and the
moderation queue dumped by its schema.

With ``BENCH_POSTING_WRITE=flush`` posting writes through the unit of work instead of its one
INSERT (bench/decisions.py compares the two).

``/bench/ceiling/<path>`` returns, from memory, exactly what the forum answers an anonymous
reader at ``/<path>``: the same bytes, type and ETag (fetched once per worker), and a bodiless
304 when the request's If-None-Match carries that ETag. It runs through the same app, hooks and
server, so ours / ceiling is what our own work costs on top of Flask and gunicorn.

``/api/v1/bench/queue-schema`` answers what ``/api/v1/moderation/queue`` answered before issue 23:
the ORM objects of review_queue.load_queue_after, dumped by ``QueueSchema`` (bench/queue_json.py
measures it beside the forum's rows + orjson). Under ``/api/`` so a bearer token is accepted.
"""

from __future__ import annotations

import os

from flask import Response, request
from sqlalchemy import insert, select

from forum import create_app
from forum.moderation.http import presenters as moderation_presenters
from forum.moderation.http.guards import moderator_required
from forum.moderation.schemas import QueueArgsSchema, QueueSchema
from forum.moderation.services import review_queue
from forum.accounts.models import ApiToken, User
from forum.discussion.models import Article, Comment, CommentStatus
from forum.discussion.services import posting
from forum.discussion.services.threads import ThreadComment
from forum.platform.database import db
from forum.platform.digests import digest as _digest
from forum.platform.http.security import csrf
from forum.platform.models import utcnow

app = create_app()

if os.environ.get("BENCH_POSTING_WRITE") == "flush":
    # bench/decisions.py: the ordinary unit-of-work write in place of posting's one INSERT, so the two
    # can be compared side by side (the counter update then comes from the flush subscriber).
    def _write_by_flush(comment: ThreadComment) -> int:
        row = Comment(
            article_id=comment.article_id,
            author_id=comment.author_id,
            parent_id=comment.parent_id,
            root_id=comment.root_id,
            body=comment.body,
            body_html=comment.body_html,
            status=comment.status,
            held_because=comment.held_because,
            created_at=comment.created_at,
            updated_at=comment.created_at,
        )
        db.session.add(row)
        db.session.flush()
        return row.id

    posting._write = _write_by_flush
_copies: dict[str, tuple[bytes, str, str | None]] = {}


@app.get("/bench/ceiling/<path:path>")
def ceiling(path: str) -> Response:
    """Return the stored copy of another page (or 304 when the client has it)."""
    key = path + ("?" + request.query_string.decode() if request.query_string else "")
    if key not in _copies:
        with app.test_client() as client:
            answer = client.get("/" + key)
        _copies[key] = (answer.get_data(), answer.mimetype or "application/octet-stream", answer.get_etag()[0])
    body, mimetype, etag = _copies[key]
    if etag and request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        response = Response(body, mimetype=mimetype)
    if etag:
        response.set_etag(etag)
    return response


@csrf.exempt  # bearer-token posts, as the API takes them
@app.post("/bench/floor/echo")
def floor_echo() -> tuple[dict[str, object], int]:
    """Answer a JSON post without touching anything."""
    data = request.get_json()
    return {"id": 0, "body": data["body"]}, 201


@csrf.exempt
@app.post("/bench/floor/insert/<slug>")
def floor_insert(slug: str) -> tuple[dict[str, object], int]:
    """Find the token's account and write the comment row; the request boundary commits."""
    secret = request.headers["Authorization"].removeprefix("Bearer ")
    connection = db.session.connection()
    author = connection.execute(
        select(User.profile_id)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == _digest(secret), ApiToken.revoked_at.is_(None))
    ).scalar_one()
    article_id = connection.execute(select(Article.id).where(Article.slug == slug)).scalar_one()
    body = request.get_json()["body"]
    now = utcnow()
    new_id = connection.execute(
        insert(Comment)
        .values(article_id=article_id, author_id=author, body=body, body_html=f"<p>{body}</p>",
                status=CommentStatus.APPROVED, created_at=now, updated_at=now, version=1)
        .returning(Comment.id)
    ).scalar_one()
    return {"id": new_id, "body": body}, 201


@app.get("/api/v1/bench/queue-schema")
@moderator_required
def queue_schema() -> dict[str, object]:
    """Answer the queue as the API did before its fast path: ORM objects through QueueSchema."""
    args = QueueArgsSchema().load(request.args)
    wanted = review_queue.QueueFilter.parse(args.get("kind"), args.get("reason"), args.get("member"))
    found = review_queue.load_queue_after(wanted, args.get("after"), args["limit"])
    return QueueSchema().dump(
        {
            "count": len(found.items),
            "total": found.total,
            "next_cursor": found.next_cursor,
            "items": [moderation_presenters.queue_item(i) for i in found.items],
        }
    )
