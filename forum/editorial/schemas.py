"""Load what editors send (the API's bodies and the editors' forms, one schema), with examples."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates

from forum.discussion.models import ArticleKind, ArticleState, CommentsMode
from forum.platform.fields import Id, Line, Text

TITLE_MAX = 300
BODY_MAX = 100_000
KINDS = [k.value for k in ArticleKind]
STATES = [s.value for s in ArticleState]
MODES = [m.value for m in CommentsMode]

EXAMPLE = {
    "title": "Paying for care that patients help design",
    "subtitle": "What a finance director learnt from three years of co-production",
    "byline_name": "Thomas Dahlborg",
    "byline_description": "chief financial officer, NICHQ",
    "byline_profile_id": None,
    "kind": "blog_post",
    "summary": "",
    "body": "## Why it matters\n\nBudgets follow what we *measure*. See [our report](https://example.org/report).\n\n"
    "- one\n- two",
    "original_date": "12 March 2019",
    "canonical_url": "https://www.example.org/blog/paying-for-care",
    "state": "published",
    "comments": "open",
}


def _web_address(value: str | None) -> None:
    if value is not None and not value.startswith(("https://", "http://")):
        raise ValidationError("Give the full address of the page, starting with https://.")


class ArticleFieldsSchema(Schema):
    """Every field an editor sets; PATCH sends any of them."""

    slug = fields.String(
        validate=validate.Length(min=1, max=120),
        metadata={"description": "The address: lower-case words and hyphens; made from the title if absent"},
    )
    title = Line(max_length=TITLE_MAX, blank="Give the article a title.")
    subtitle = Line(allow_none=True, max_length=300)
    byline_name = Line(allow_none=True, max_length=200, metadata={"example": "Thomas Dahlborg"})
    byline_description = Line(
        allow_none=True, max_length=300, metadata={"example": "chief financial officer, NICHQ"}
    )
    byline_profile_id = Id(
        allow_none=True, metadata={"description": "A profile whose comments carry an Author badge"}
    )
    kind = fields.String(validate=validate.OneOf(KINDS), metadata={"description": ", ".join(KINDS)})
    summary = Text(allow_none=True, max_length=1000, metadata={"description": "Empty: the first paragraph"})
    body = Text(
        max_length=BODY_MAX,
        blank="Write the article's text.",
        metadata={
            "description": "Markdown: headings (## to ####), paragraphs, lists, quotes, links, emphasis"
        },
    )
    original_date = Line(
        allow_none=True, max_length=100, metadata={"description": "As written: 'Spring 2019'"}
    )
    canonical_url = fields.String(
        allow_none=True,
        validate=validate.Length(max=500),
        metadata={"description": "The page on the organisation's own site (rel=canonical)"},
    )
    state = fields.String(validate=validate.OneOf(STATES), metadata={"description": ", ".join(STATES)})
    comments_mode = fields.String(
        data_key="comments",
        validate=validate.OneOf(MODES),
        metadata={"description": "open, closed (readable, no new comments) or hidden (moderators only)"},
    )

    @validates("canonical_url")
    def _canonical(self, value: str | None, **_: Any) -> None:
        _web_address(value)


class ArticleCreateSchema(ArticleFieldsSchema):
    """A new article (POST): a title and a body at least; a draft with comments open unless said."""

    title = Line(required=True, max_length=TITLE_MAX, blank="Give the article a title.")
    body = Text(
        required=True,
        max_length=BODY_MAX,
        blank="Write the article's text.",
        metadata={
            "description": "Markdown: headings (## to ####), paragraphs, lists, quotes, links, emphasis"
        },
    )


class ArticlePutSchema(ArticleCreateSchema):
    """The whole article at this address (PUT): fields not sent are emptied; state and comments kept."""

    class Meta:
        exclude = ("slug",)


class ArticleListArgsSchema(Schema):
    """Editors' filters of the API list."""


class StateArgsSchema(Schema):
    """``state`` on the article list: published for everyone, draft or archived for editors."""

    state = fields.String(load_default="published", validate=validate.OneOf(STATES))
