"""Search published articles and public comments as JSON."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_smorest import Blueprint

from forum.discussion.http import presenters
from forum.discussion.http.snippets import marked
from forum.discussion.schemas import SearchArgsSchema, SearchResultsSchema
from forum.discussion.services import search as search_service

blp = Blueprint("search_api", __name__, url_prefix="/api/v1/search", description="Search")


@blp.get("")
@blp.arguments(SearchArgsSchema, location="query", as_kwargs=True)
@blp.response(200, SearchResultsSchema)
@blp.alt_response(422, description="Nothing to search for, or too much")
def search(q: str, page: int, per_page: int) -> dict[str, Any]:
    """Find published articles and published comments containing every word."""
    results = search_service.search(q, page=page, per_page=per_page)
    return {
        "query": results.query.text,
        "articles": [
            {
                "slug": hit.article.slug,
                "title": hit.article.title,
                "kind": hit.article.kind.value,
                "snippet_html": str(marked(hit.snippet)),
                "url": url_for("articles_api.article", slug=hit.article.slug, _external=True),
                "html_url": url_for("web.article", slug=hit.article.slug, _external=True),
            }
            for hit in results.articles
        ],
        "comments": [
            {
                **presenters.comment(hit.comment),
                "article_title": hit.comment.article.title,
                "snippet_html": str(marked(hit.snippet)),
            }
            for hit in results.comments
        ],
        "total_comments": results.total_comments,
        "page": results.page,
        "per_page": results.per_page,
    }
