"""Dump comments and threads."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from forum.ids import Id
from forum.schemas.profile import AuthorSchema


class CommentSchema(Schema):
    """One comment, without its replies."""

    id = fields.Integer(required=True)
    article = fields.String(attribute="article_slug", metadata={"description": "The article's slug"})
    parent_id = fields.Integer(allow_none=True)
    author = fields.Nested(AuthorSchema)
    body = fields.String(metadata={"description": "The text as written"})
    body_html = fields.String(metadata={"description": "The text rendered to sanitised HTML"})
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    status = fields.String(metadata={"description": "pending, approved, rejected or removed"})
    edited = fields.Boolean(metadata={"description": "Changed by its author after someone replied"})
    deleted = fields.Boolean(metadata={"description": "Deleted by its author; body is empty"})
    url = fields.String()
    html_url = fields.String()


class CommentNodeSchema(Schema):
    """A comment inside a thread, with its replies oldest first."""

    id = fields.Integer(required=True)
    parent_id = fields.Integer(allow_none=True)
    author = fields.Nested(AuthorSchema)
    body = fields.String()
    body_html = fields.String()
    created_at = fields.DateTime()
    status = fields.String()
    edited = fields.Boolean()
    deleted = fields.Boolean()
    replies = fields.List(fields.Nested(lambda: CommentNodeSchema()))


class ThreadSchema(Schema):
    """An article's visible comments as a tree."""

    article = fields.String(metadata={"description": "The article's slug"})
    count = fields.Integer(metadata={"description": "How many comments the whole thread holds for you"})
    comments = fields.List(fields.Nested(CommentNodeSchema))
    next_cursor = fields.String(
        allow_none=True,
        metadata={"description": "Pass as ?after= for the next top-level comments; null at the end"},
    )


class ThreadArgsSchema(Schema):
    """Which page of a thread: top-level comments after a cursor, with all their replies."""

    after = fields.String(load_default=None, metadata={"description": "next_cursor from the previous page"})
    limit = fields.Integer(
        load_default=50,
        validate=validate.Range(min=1, max=1000),
        metadata={"description": "Top-level comments per page (their replies always come along)"},
    )


class CommentCreateSchema(Schema):
    """A new comment or reply."""

    body = fields.String(required=True, metadata={"description": "1 to 10,000 characters after trimming"})
    parent_id = Id(load_default=None, allow_none=True, metadata={"description": "The comment replied to"})


class CommentUpdateSchema(Schema):
    """New text for one's own comment."""

    body = fields.String(required=True)
