"""Serve articles and their threads as JSON."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from forum.api import presenters
from forum.schemas.article import ArticleListSchema, ArticleSchema, PageArgsSchema
from forum.schemas.comment import ThreadSchema
from forum.services import articles, threads
from forum.viewer import current_viewer

blp = Blueprint(
    "articles_api", __name__, url_prefix="/api/v1/articles", description="Articles and their threads"
)


@blp.get("")
@blp.arguments(PageArgsSchema, location="query", as_kwargs=True)
@blp.response(200, ArticleListSchema)
def article_list(page: int, per_page: int) -> dict[str, Any]:
    """List published articles, newest first, with their published comment counts."""
    return presenters.article_page(articles.list_articles(page=page, per_page=per_page))


@blp.get("/<slug>")
@blp.response(200, ArticleSchema)
@blp.alt_response(404, description="No such article")
def article(slug: str) -> dict[str, Any]:
    """Show one article with its body."""
    found = articles.get_article(slug)
    return presenters.article_detail(found, threads.count_visible(found, current_viewer()))


@blp.get("/<slug>/comments")
@blp.response(200, ThreadSchema)
@blp.alt_response(404, description="No such article")
def thread(slug: str) -> dict[str, Any]:
    """Return the article's visible comments as a tree, oldest first at each level."""
    found = articles.get_article(slug)
    return presenters.thread(threads.load_thread(found, current_viewer()))
