"""Render search results and the Atom feeds of articles and of each article's comments."""

from __future__ import annotations

import re

from flask import Blueprint, Response, render_template, request

from forum.discussion.services import articles, feeds, search
from forum.platform.errors import ValidationFailed
from forum.platform.models import utcnow

bp = Blueprint("discovery", __name__)
# What XML 1.0 cannot carry at all, even escaped: C0 controls but tab and line breaks, surrogates,
# U+FFFE and U+FFFF. Input refuses them (forum/platform/validation.py); a feed never trusts that
# nothing older, or written another way, holds one.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@bp.get("/search")
def search_page() -> tuple[str, int] | str:
    """Search published articles and public comments; an empty box shows just the form."""
    raw = request.args.get("q", "")
    page = request.args.get("page", default=1, type=int) or 1
    if not raw.strip():
        return render_template("search/results.html", results=None, q="", problem=None)
    try:
        results = search.search(raw, page=page)
    except ValidationFailed as exc:
        problem = " ".join(" ".join(v) for v in exc.errors.values()) or exc.message
        return render_template("search/results.html", results=None, q=raw, problem=problem), 422
    return render_template("search/results.html", results=results, q=results.query.text, problem=None)


def _atom(body: str) -> Response:
    response = Response(_NOT_XML.sub("\ufffd", body), mimetype="application/atom+xml")
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/feeds/articles.atom")
def articles_feed() -> Response:
    """List the newest published articles as an Atom feed."""
    latest = feeds.latest_articles()
    updated = max((a.updated_at for a in latest), default=utcnow())
    return _atom(render_template("feeds/articles.xml", articles=latest, updated=updated))


@bp.get("/articles/<slug>/comments.atom")
def comments_feed(slug: str) -> Response:
    """List an article's newest published comments as an Atom feed.

    :raises NotFound: when there is no such published article.
    """
    article = articles.get_article(slug)
    latest = feeds.latest_comments(article)
    updated = max((c.updated_at for c in latest), default=article.updated_at)
    return _atom(render_template("feeds/comments.xml", article=article, comments=latest, updated=updated))
