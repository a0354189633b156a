"""Write articles through the API: create, change, archive, and create-or-replace for website systems.

Readers' routes on the same paths (GET the list, an article, its thread) are the discussion's
(forum/discussion/api/articles.py); these add the methods that change an article. Editors and
admins only: members get 403, anonymous callers 401.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_login import current_user
from flask_smorest import Blueprint

from forum.accounts.http.identity import current_viewer
from forum.discussion.http import presenters
from forum.discussion.models import Article, ArticleState
from forum.discussion.schemas import ArticleSchema
from forum.discussion.services import articles as reading
from forum.discussion.services import threads
from forum.editorial.http.guards import editor_required
from forum.editorial.schemas import EXAMPLE, ArticleCreateSchema, ArticleFieldsSchema, ArticlePutSchema
from forum.editorial.services import writing

blp = Blueprint(
    "editorial_api",
    __name__,
    url_prefix="/api/v1/articles",
    description="Writing articles (editors and admins): create, change, archive, create or replace",
)
_PATCH_EXAMPLE = {"comments": "closed"}


def _guarded(func: Any) -> Any:
    for status, description in {401: "Not logged in", 403: "Not an editor"}.items():
        func = blp.alt_response(status, description=description)(func)
    return func


def _found(slug: str) -> Article:
    article = writing.find(slug)
    if article is None:
        raise reading.missing(slug)
    return article


def _detail(article: Article) -> dict[str, Any]:
    return presenters.article_detail(article, threads.count_visible(article, current_viewer()))


@blp.post("")
@editor_required
@blp.arguments(ArticleCreateSchema, example=EXAMPLE)
@blp.response(201, ArticleSchema)
@blp.alt_response(409, description="The slug is taken")
@blp.alt_response(422, description="A field is missing or wrong (named in errors), or the body has an image")
@_guarded
def create(data: dict[str, Any]) -> Any:
    """Create an article: a draft with comments open unless ``state`` and ``comments`` say otherwise.

    The answer carries its ``slug`` (made from the title when none is sent). The body is Markdown
    (headings ``##`` to ``####``, paragraphs, lists, quotes, links, emphasis); images are refused.
    """
    article = writing.create_article(current_user, data)
    return _detail(article), 201, {"Location": url_for("articles_api.article", slug=article.slug)}


@blp.patch("/<slug>")
@editor_required
@blp.arguments(ArticleFieldsSchema(partial=True), example=_PATCH_EXAMPLE)
@blp.response(200, ArticleSchema)
@blp.alt_response(404, description="No article has this slug")
@blp.alt_response(409, description="The new slug is taken")
@blp.alt_response(422, description="A field is wrong (named in errors)")
@_guarded
def change(data: dict[str, Any], slug: str) -> dict[str, Any]:
    """Change some fields: ``{"comments": "closed"}`` closes the thread, ``{"state": "published"}``
    publishes. A new slug keeps the old one redirecting once the article has been published."""
    article = _found(slug)
    writing.change_article(current_user, article, data)
    return _detail(article)


@blp.put("/<slug>")
@editor_required
@blp.arguments(ArticlePutSchema, example={k: v for k, v in EXAMPLE.items() if k != "slug"})
@blp.response(200, ArticleSchema, description="Replaced (or already so: nothing changed)")
@blp.alt_response(201, schema=ArticleSchema, description="Created")
@blp.alt_response(422, description="A field is missing or wrong (named in errors)")
@_guarded
def put(data: dict[str, Any], slug: str) -> Any:
    """Create the article at this slug or replace it: what a website system sends whenever its page
    changes. Content fields not sent are emptied; ``state`` and ``comments`` keep their value when
    not sent (a new article is a draft with comments open). Sending the same body again changes
    nothing and writes no audit entry."""
    article, created, _changed = writing.put_article(current_user, slug, data)
    return _detail(article), 201 if created else 200


@blp.delete("/<slug>")
@editor_required
@blp.response(204)
@blp.alt_response(404, description="No article has this slug")
@_guarded
def archive(slug: str) -> None:
    """Archive the article: readers get a 404, its thread is kept; PATCH ``state`` back to restore."""
    writing.set_state(current_user, _found(slug), ArticleState.ARCHIVED)
