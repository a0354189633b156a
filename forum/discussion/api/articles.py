"""Serve articles and their threads as JSON."""

from __future__ import annotations

from typing import Any

import orjson
from flask import Response, current_app, redirect, request, url_for
from flask_login import current_user, login_required
from flask_smorest import Blueprint

from forum import permissions
from forum.accounts.http.identity import current_viewer, login_manager
from forum.discussion.http import presenters
from forum.discussion.http.caching import cached_only, looks_anonymous, serve_thread
from forum.discussion.models import Article, ArticleState
from forum.discussion.schemas import (
    ArticleCountSchema,
    ArticleListArgsSchema,
    ArticleListSchema,
    ArticleSchema,
    CommentCreateSchema,
    FollowSchema,
    PostedCommentSchema,
    ThreadArgsSchema,
    ThreadSchema,
    VisitSchema,
)
from forum.discussion.services import articles, follows, posting, thanks, threads, visits
from forum.discussion.services.thread_options import ThreadOptions
from forum.platform.errors import NotFound, ValidationFailed
from forum.platform.models import utcnow

blp = Blueprint(
    "articles_api", __name__, url_prefix="/api/v1/articles", description="Articles and their threads"
)


@blp.before_request
def answer_cached_threads_early() -> Response | None:
    """Serve anonymous thread reads that Redis can answer before any view machinery runs.

    Only a lookup: anything not already cached (including every invalid request, which is
    never cached) goes on to the ``thread`` view below, which validates and builds it.
    """
    if request.endpoint != "articles_api.thread" or request.method != "GET" or not looks_anonymous():
        return None
    args = request.args
    try:
        options = ThreadOptions.parse(args.get("sort"), args.get("roles"))
    except ValidationFailed:
        return None  # the view says what is wrong
    variant = f"json:{args.get('limit', '50')}:{options.variant()}:{args.get('after', '')}"
    return cached_only((request.view_args or {})["slug"], variant, "application/json")


@blp.get("")
@blp.arguments(ArticleListArgsSchema, location="query", as_kwargs=True)
@blp.response(200, ArticleListSchema)
@blp.alt_response(401, description="state=draft or archived without logging in")
@blp.alt_response(403, description="state=draft or archived for someone who does not edit articles")
@blp.alt_response(422, description="A page, size, cursor or state out of range")
def article_list(page: int, per_page: int, after: str | None, state: str) -> Any:
    """List published articles, newest first, with their published comment counts.

    Page by number, or follow ``next_cursor`` (``after=``), which costs the same at any depth.
    Editors and admins may ask for ``state=draft`` or ``state=archived``.
    """
    if state != ArticleState.PUBLISHED:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        permissions.ensure_can_edit_articles(current_viewer())
        return presenters.article_page(articles.list_in_state(ArticleState(state), page, per_page))
    return presenters.article_page(articles.list_articles(page=page, per_page=per_page, after=after))


@blp.get("/<slug>")
@blp.response(200, ArticleSchema)
@blp.alt_response(308, description="The article has a new slug: Location says where")
@blp.alt_response(404, description="No such article")
def article(slug: str) -> Any:
    """Show one article with its body (editors and admins see drafts and archived ones too)."""
    viewer = current_viewer()
    find = articles.get_any_article if permissions.can_edit_articles(viewer) else articles.get_article
    try:
        found = find(slug)
    except NotFound:
        moved = articles.current_slug(slug)  # an address it had before an editor changed it
        if moved is None:
            raise
        return redirect(url_for("articles_api.article", slug=moved), code=308)
    return presenters.article_detail(found, threads.count_visible(found, viewer))


@blp.get("/<slug>/summary")
@blp.response(200, ArticleCountSchema)
@blp.alt_response(304, description="Not modified (send If-None-Match with the ETag you have)")
@blp.alt_response(404, description="No such published article")
def summary(slug: str) -> Response:
    """Say how many comments the article has, when the latest was written and where the thread is.

    For the organisation's own page ("12 comments"): readable by scripts on the origins listed in
    ``EMBED_ALLOWED_ORIGINS`` (CORS), the same for everyone, cacheable for a minute.
    """
    found = articles.get_article(slug)
    hidden = found.comments_hidden
    body = {
        "comment_count": 0 if hidden else found.comment_count,
        "latest_comment_at": (latest.isoformat() if (latest := articles.latest_comment_at(found)) else None),
        "url": url_for("web.article", slug=found.slug, _anchor="comments", _external=True),
    }
    response = Response(orjson.dumps(body), mimetype="application/json")
    response.set_etag(f"{found.id}-{found.thread_version}")
    response.headers["Cache-Control"] = "public, max-age=60"
    response.headers["Vary"] = "Origin"
    origin = request.headers.get("Origin", "").lower()
    if origin and origin in current_app.config["EMBED_ALLOWED_ORIGINS"]:
        response.headers["Access-Control-Allow-Origin"] = origin
    response.make_conditional(request)  # a 304 for a matching If-None-Match
    return response


@blp.get("/<slug>/comments")
@blp.arguments(ThreadArgsSchema(), location="query", as_kwargs=True)
@blp.response(200, ThreadSchema)
@blp.alt_response(304, description="Not modified (send If-None-Match with the ETag you have)")
@blp.alt_response(404, description="No such article")
def thread(slug: str, after: str | None, limit: int, sort: str | None, roles: str | None) -> Any:
    """Return a page of the article's visible comments as a tree; replies oldest first.

    A page holds up to ``limit`` top-level comments with all their replies, in the ``sort`` order
    (oldest, newest, replies); ``next_cursor`` leads to the next page in that order. With ``roles``
    it holds only those voices' comments, each alone (``in_reply_to`` says whom a reply answers).
    For a member, ``since`` is when their previous visit to the thread's page ended and ``new_ids``
    the comments of the page published after it (reading here does not move it: ``PUT .../visit``
    does). Anonymous reads carry an ETag and come from the shared cache.
    """
    viewer = current_viewer()
    options = ThreadOptions.parse(sort, roles)

    def build(found: Article) -> bytes:
        member = viewer.user_id is not None
        since = visits.read(viewer.user_id, found.id, utcnow())[0] if viewer.user_id is not None else None
        page = threads.load_thread(found, viewer, after, limit, options=options, since=since)
        thanks.mark_thanked(page, viewer)  # one query for a member's page, none for readers
        return orjson.dumps(presenters.thread(page, member))  # several times faster than json on big threads

    if not viewer.is_anonymous:  # members see their own pending comments: never shared
        return Response(build(articles.get_article(slug)), mimetype="application/json")
    variant = f"json:{limit}:{options.variant()}:{after or ''}"
    return serve_thread(slug, variant, "application/json", articles.get_article, build)


@blp.put("/<slug>/visit")
@login_required
@blp.response(200, VisitSchema)
@blp.alt_response(401, description="Not logged in")
@blp.alt_response(404, description="No such article")
def visit(slug: str) -> Any:
    """Say you have read the thread now, as opening its page does: your next visit's ``since`` (the
    moment this visit began, or your last visit if it was long ago) moves on from here."""
    found = articles.get_article(slug)
    user_id = current_viewer().user_id
    assert user_id is not None  # login_required  # nosec B101
    since, record = visits.read(user_id, found.id, utcnow())
    if record is not None:
        record()
    return {"article": found.slug, "since": since}


@blp.post("/<slug>/comments")
@login_required
@blp.arguments(CommentCreateSchema)
@blp.response(201, PostedCommentSchema)
@blp.alt_response(401, description="Not logged in")
@blp.alt_response(403, description="Comments are closed")
@blp.alt_response(404, description="No such article")
@blp.alt_response(422, description="Empty or too long, or the parent is not in this thread")
@blp.alt_response(429, description="Posting too fast (RATELIMIT_POST_ACCOUNT), with Retry-After")
def post_comment(data: dict[str, Any], slug: str) -> Response:
    """Comment on the article, or reply to one of its comments; the answer says its status."""
    comment = posting.post_comment(current_user, current_viewer(), slug, data["body"], data["parent_id"])
    # Built directly, as the thread is (tests/functional/test_thread_json.py checks it against the schema).
    node = presenters.node_json(comment, presenters.author_json(current_user.profile), [])
    if comment.offered_help:  # the writer may be in crisis: where to get help, in the answer itself
        node["help"] = presenters.help_json(comment.held_because)
    return Response(orjson.dumps(node), status=201, mimetype="application/json")


@blp.get("/<slug>/follow")
@login_required
@blp.response(200, FollowSchema)
@blp.alt_response(401, description="Not logged in")
@blp.alt_response(404, description="No such article")
def following(slug: str) -> Any:
    """Say whether you follow the article's thread."""
    return {"following": follows.is_following(current_user.id, articles.get_article(slug).id)}


@blp.put("/<slug>/follow")
@login_required
@blp.response(200, FollowSchema)
@blp.alt_response(401, description="Not logged in")
@blp.alt_response(404, description="No such article")
def follow(slug: str) -> Any:
    """Follow the article's thread (your notification settings say how you hear of new comments)."""
    follows.follow(current_user, slug)
    return {"following": True}


@blp.delete("/<slug>/follow")
@login_required
@blp.response(200, FollowSchema)
@blp.alt_response(401, description="Not logged in")
@blp.alt_response(404, description="No such article")
def unfollow(slug: str) -> Any:
    """Stop following the article's thread (commenting there again will not follow it back)."""
    follows.unfollow(current_user, slug)
    return {"following": False}
