"""Render the reading pages: article list, article with its thread, comment links, profiles."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from forum.accounts.http.identity import current_viewer
from forum.accounts.services import accounts, profiles, tokens
from forum.discussion.http.caching import cached_only, clock, looks_anonymous, serve_thread
from forum.discussion.models import Article
from forum.discussion.services import articles, reader_facts, thanks, threads, visits
from forum.discussion.services.thread_options import ThreadOptions
from forum.discussion.web import member_pages, overlay, quoting
from forum.platform.errors import NotFound, ValidationFailed
from forum.platform.http.transactions import after_read
from forum.platform.models import utcnow

bp = Blueprint("web", __name__)
MAX_PAGE = 100_000  # as the API's PageArgsSchema


@bp.before_request
def answer_cached_pages_early() -> Response | None:
    """Serve anonymous thread pages that Redis can answer before the view runs (lookup only), and a
    member's page their worker kept (member_pages.py: one statement)."""
    if request.endpoint != "web.article" or request.method != "GET":
        return None
    if not looks_anonymous():
        return member_pages.answer()  # a member reading a page again: the copy their worker kept
    if request.args.get("comment"):
        return None  # a permalink's page opens its conversation: built for it
    try:
        options = ThreadOptions.parse(request.args.get("sort"), request.args.get("roles"))
    except ValidationFailed:
        return None  # the view says what is wrong
    return cached_only((request.view_args or {})["slug"], _variant(options), "text/html")


def _variant(options: ThreadOptions) -> str:
    """The cache key of an anonymous page: its order, voices, page, and the five minutes it was built in."""
    return f"html:{clock()}:{options.variant()}:{request.args.get('after', '')}"


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
def article(slug: str) -> str | bytes | Response:
    """Show an article and a page of its thread; anonymous readers get the shared cached page.

    ``?sort=`` (oldest, newest, replies) and ``?roles=`` (comma-separated) choose the order and the
    voices; ``?comment=`` opens the conversation of that comment (where a permalink lands). A
    member's ``?quote=<id>`` opens the reply form under that comment with its text quoted;
    anonymous readers cannot reply, so it changes nothing for them (the cached page, one copy).

    :raises NotFound: when there is no such published article (a slug it had before redirects).
    :raises ValidationFailed: for an order, a role or a cursor we do not know (a 422 page).
    """
    viewer = current_viewer()
    after = request.args.get("after") or None
    options = ThreadOptions.parse(request.args.get("sort"), request.args.get("roles"))
    focus = request.args.get("comment", type=int)

    def render(found: Article) -> str | bytes:
        since, following, facts = None, None, None
        if viewer.user_id is not None:
            now = utcnow()
            facts = reader_facts.read(viewer.user_id, viewer.profile_id, found.id, now)
            since, record = visits.decide(viewer.user_id, found.id, now, facts)
            if record is not None:
                after_read(record)  # after the page, in its own small transaction
            following = facts.following
        framed = None
        # A member's own hidden comment is part of their tree; a form or a message has its place.
        if (
            facts is not None
            and not facts.unsettled
            and focus is None
            and "quote" not in request.args
            and not session.get("_flashes")
        ):
            framed = overlay.member_page(found, viewer, options, after, since, facts)
        if framed is not None:  # the members' shared frame with this member's marks laid on
            page = render_template(
                "articles/show.html",
                article=found,
                thread=framed.thread,
                form={},
                after=after,
                following=following,
                tools_html=overlay.TOOLS_MARK,
                thread_html=overlay.LIST_MARK,
            )
            body = framed.splice(page)
            member_pages.keep(body, slug, found.id, viewer.user_id or 0, viewer.profile_id or 0, framed.until)
            return body
        news = (facts.new_count, facts.first_new_id) if facts is not None else None
        thread = threads.load_thread(
            found, viewer, after, options=options, since=since, focus=focus, who_speaks=True, known_news=news
        )
        if facts is not None:  # a member: which comments they thanked was read with their facts
            thanks.mark_from(thread, facts.thanked)
        form = quoting.quote_form(found, thread, viewer) if not viewer.is_anonymous else {}
        return render_template(
            "articles/show.html", article=found, thread=thread, form=form, after=after, following=following
        )

    try:
        if not viewer.is_anonymous or session.get("_flashes") or focus is not None:
            return render(articles.get_article(slug))
        return serve_thread(
            slug, _variant(options), "text/html", articles.get_article, lambda found: _encoded(render(found))
        )
    except NotFound:
        moved = articles.current_slug(slug)  # an address the article had before an editor changed it
        if moved is None:
            raise
        args: dict[str, Any] = {**options.args(), "after": after, "comment": focus}
        return redirect(url_for("web.article", slug=moved, **args), code=301)  # type: ignore[return-value]


def _encoded(page: str | bytes) -> bytes:
    return page if isinstance(page, bytes) else page.encode()


@bp.get("/comments/<int:comment_id>")
def comment(comment_id: int) -> WerkzeugResponse:
    """Send the reader to the comment's place in its thread.

    :raises NotFound: when it does not exist or the viewer may not see it.
    """
    found = threads.get_comment(comment_id, current_viewer())
    if found is None:
        raise NotFound("There is no such comment.")
    options = ThreadOptions.parse(request.args.get("sort"), request.args.get("roles"))
    if options.filtered and found.author.role not in options.roles:
        options = ThreadOptions(options.sort)  # not among those voices: its whole thread, in that order
    viewer = current_viewer()
    after = threads.page_cursor_for(found, viewer, options=options)  # long threads: the page that shows it
    # A reply deeper than the first replies may be folded on a long page: that page opens its conversation.
    focus = found.id if found.depth >= 2 and not options.filtered else None
    args: dict[str, Any] = {**options.args(), "after": after, "comment": focus}
    return redirect(url_for("web.article", slug=found.article.slug, _anchor=f"comment-{found.id}", **args))


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
