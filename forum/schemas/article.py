"""Dump articles and the article list; load list paging arguments."""

from __future__ import annotations

from marshmallow import Schema, fields, validate


class PageArgsSchema(Schema):
    """Paging arguments of a list."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class ArticleListArgsSchema(PageArgsSchema):
    """Paging arguments of the article list: a page number, or a cursor (cheaper for deep pages)."""

    after = fields.String(
        load_default=None,
        validate=validate.Length(max=200),
        metadata={"description": "next_cursor of the page before; page is then ignored"},
    )


class ArticleSummarySchema(Schema):
    """One article in the list."""

    slug = fields.String(required=True)
    title = fields.String(required=True)
    kind = fields.String(metadata={"description": "blog_post, report, reading_list or guest_post"})
    summary = fields.String()
    comment_count = fields.Integer(metadata={"description": "Published comments only"})
    url = fields.String(metadata={"description": "This article in the API"})
    html_url = fields.String(metadata={"description": "This article's page"})


class ArticleListSchema(Schema):
    """A page of the article list."""

    items = fields.List(fields.Nested(ArticleSummarySchema))
    page = fields.Integer(allow_none=True, metadata={"description": "null when paged by cursor"})
    per_page = fields.Integer()
    total = fields.Integer()
    next_cursor = fields.String(
        allow_none=True, metadata={"description": "Pass as after= for the next (older) page; null at the end"}
    )


class ArticleSchema(ArticleSummarySchema):
    """One article with its body."""

    subtitle = fields.String(allow_none=True)
    byline = fields.String(allow_none=True)
    body = fields.String(metadata={"description": "Source text: paragraphs and '•' lists"})
    body_html = fields.String()
    comments_open = fields.Boolean()
    comments_url = fields.String()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
