"""Render the reading pages: article list, article with its thread, comment links, profiles."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from forum.accounts.http.identity import current_viewer
from forum.accounts.services import accounts, profiles, tokens
from forum.discussion.http.caching import cached_only, looks_anonymous, serve_thread
from forum.discussion.models import Article
from forum.discussion.services import articles, follows, thanks, threads
from forum.platform.errors import NotFound

bp = Blueprint("web", __name__)
MAX_PAGE = 100_000  # as the API's PageArgsSchema


@bp.before_request
def answer_cached_pages_early() -> Response | None:
    """Serve anonymous thread pages that Redis can answer before the view runs (lookup only)."""
    if request.endpoint != "web.article" or request.method != "GET" or not looks_anonymous():
        return None
    variant = f"html:{request.args.get('after', '')}"
    return cached_only((request.view_args or {})["slug"], variant, "text/html")


@bp.get("/")
def index() -> str:
    """List the articles with their summaries and comment counts, newest first.

    "Older articles" follows a cursor (as cheap at any depth); ``?page=`` still works.

    :raises ValidationFailed: for a cursor that is not one of ours (a 422 page).
    """
    page = request.args.get("page", default=1, type=int) or 1
    page = min(max(page, 1), MAX_PAGE)  # a huge number would overflow the database's OFFSET
    after = request.args.get("after") or None
    listing = articles.list_articles(page=page, per_page=current_app.config["ARTICLES_PER_PAGE"], after=after)
    return render_template("articles/index.html", listing=listing)


@bp.get("/articles/<slug>")
def article(slug: str) -> str | Response:
    """Show an article and a page of its thread; anonymous readers get the shared cached page.

    :raises NotFound: when there is no such published article (a slug it had before redirects).
    """
    viewer = current_viewer()
    after = request.args.get("after") or None

    def render(found: Article) -> str:
        thread = threads.load_thread(found, viewer, after)
        thanks.mark_thanked(thread, viewer)  # one query for a member's page, none for readers
        following = follows.is_following(viewer.user_id, found.id) if viewer.user_id else None
        return render_template(
            "articles/show.html", article=found, thread=thread, form={}, after=after, following=following
        )

    try:
        if not viewer.is_anonymous or session.get("_flashes"):
            return render(articles.get_article(slug))
        return serve_thread(
            slug,
            f"html:{after or ''}",
            "text/html",
            articles.get_article,
            lambda found: render(found).encode(),
        )
    except NotFound:
        moved = articles.current_slug(slug)  # an address the article had before an editor changed it
        if moved is None:
            raise
        return redirect(url_for("web.article", slug=moved, after=after), code=301)  # type: ignore[return-value]


@bp.get("/comments/<int:comment_id>")
def comment(comment_id: int) -> WerkzeugResponse:
    """Send the reader to the comment's place in its thread.

    :raises NotFound: when it does not exist or the viewer may not see it.
    """
    found = threads.get_comment(comment_id, current_viewer())
    if found is None:
        raise NotFound("There is no such comment.")
    after = threads.page_cursor_for(found, current_viewer())  # long threads: the page that shows it
    return redirect(
        url_for("web.article", slug=found.article.slug, after=after, _anchor=f"comment-{found.id}")
    )


@bp.get("/profiles/<int:profile_id>")
def profile(profile_id: int) -> str:
    """Show a profile and the comments of theirs the viewer may see.

    :raises NotFound: when there is no such profile.
    """
    found = profiles.get_profile(profile_id)
    viewer = current_viewer()
    own = viewer.profile_id == found.id
    return render_template(
        "profiles/show.html",
        profile=found,
        own=own,
        tokens=tokens.list_tokens(current_user) if own else [],
        member_id=accounts.user_id_for_profile(found.id) if viewer.is_moderator else None,
        comments=threads.profile_comments(found, viewer),
        comment_count=threads.count_profile_comments(found, viewer),
    )
