"""Load search arguments and dump search results."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from forum.schemas.comment import CommentSchema
from forum.services.search import MAX_QUERY


class SearchArgsSchema(Schema):
    """What to look for, and which page of comment matches."""

    q = fields.String(
        required=True,
        validate=validate.Length(min=1, max=MAX_QUERY),
        metadata={"description": "Words that must all appear (stemmed on PostgreSQL)"},
    )
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class ArticleHitSchema(Schema):
    """A published article that matches."""

    slug = fields.String(required=True)
    title = fields.String(required=True)
    kind = fields.String()
    snippet_html = fields.String(metadata={"description": "An escaped extract with <mark> around matches"})
    url = fields.String()
    html_url = fields.String()


class CommentHitSchema(CommentSchema):
    """A published comment that matches."""

    article_title = fields.String()
    snippet_html = fields.String(metadata={"description": "An escaped extract with <mark> around matches"})


class SearchResultsSchema(Schema):
    """The best article matches and a page of comment matches, newest first."""

    query = fields.String()
    articles = fields.List(fields.Nested(ArticleHitSchema))
    comments = fields.List(fields.Nested(CommentHitSchema))
    total_comments = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
