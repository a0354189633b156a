"""Load and dump the discussion: article lists and articles, comments and threads, search."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from forum.accounts.schemas import AuthorSchema
from forum.discussion.services.search import MAX_QUERY
from forum.platform.fields import Id


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
    state = fields.String(
        load_default="published",
        validate=validate.OneOf(["published", "draft", "archived"]),
        metadata={"description": "draft or archived: editors and admins only (newest change first)"},
    )


class ArticleSummarySchema(Schema):
    """One article in the list."""

    slug = fields.String(required=True)
    title = fields.String(required=True)
    kind = fields.String(metadata={"description": "blog_post, report, reading_list or guest_post"})
    summary = fields.String()
    original_date = fields.String(allow_none=True, metadata={"description": "First published, as written"})
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
    byline = fields.String(allow_none=True, metadata={"description": "The byline's name (as byline_name)"})
    byline_name = fields.String(allow_none=True, metadata={"example": "Thomas Dahlborg"})
    byline_description = fields.String(
        allow_none=True, metadata={"example": "chief financial officer, NICHQ"}
    )
    byline_profile_id = fields.Integer(
        allow_none=True, metadata={"description": "The profile whose comments carry an Author badge"}
    )
    body = fields.String(metadata={"description": "Source text (Markdown for articles written by editors)"})
    body_html = fields.String(metadata={"description": "The body rendered to sanitised HTML when written"})
    original_date = fields.String(allow_none=True, metadata={"description": "As written, e.g. 'March 2019'"})
    canonical_url = fields.String(
        allow_none=True, metadata={"description": "The page on the organisation's site"}
    )
    state = fields.String(metadata={"description": "published (readers see only these), draft or archived"})
    comments = fields.String(metadata={"description": "open, closed (readable, no new comments) or hidden"})
    comments_open = fields.Boolean(
        metadata={"description": "Whether new comments are taken (comments == open)"}
    )
    comments_url = fields.String()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    published_at = fields.DateTime(
        allow_none=True,
        metadata={
            "description": "Its own date: first published (original_date) where known; null for a draft "
            "or an imported page that gives no date"
        },
    )
    imported_at = fields.DateTime(
        allow_none=True, metadata={"description": "When it was loaded from an original page (imported only)"}
    )


class ArticleCountSchema(Schema):
    """What the organisation's own page shows of a thread ("12 comments")."""

    comment_count = fields.Integer(metadata={"description": "Published comments", "example": 12})
    latest_comment_at = fields.DateTime(allow_none=True, metadata={"description": "null: no comments yet"})
    url = fields.String(
        metadata={
            "description": "The thread on the forum",
            "example": "https://forum.example.org/articles/shared-care#comments",
        }
    )


class SignpostSchema(Schema):
    """A service to turn to now: who, what to do, the number, and a link a phone follows."""

    name = fields.String(metadata={"example": "Samaritans"})
    action = fields.String(metadata={"description": "call or text", "example": "call"})
    number = fields.String(metadata={"example": "116 123"})
    href = fields.String(metadata={"example": "tel:116123"})
    instruction = fields.String(metadata={"example": "call 116 123"})
    note = fields.String(metadata={"example": "free, any time, day or night"})


class HelpSchema(Schema):
    """Shown to a writer whose comment says they or someone may be at risk (SAFEGUARDING_SIGNPOSTS)."""

    message = fields.String()
    signposts = fields.List(fields.Nested(SignpostSchema))


class PlaceholderSchema(Schema):
    """What stands in place of a comment the reader may not see, so its replies keep their place."""

    cause = fields.String(metadata={"description": "review, removed or deleted"})
    text = fields.String(
        metadata={"description": 'What readers are shown, e.g. "This comment is being reviewed"'}
    )


class HeldEditSchema(Schema):
    """The author's latest edit held for a moderator (shown to its author and moderators only)."""

    status = fields.String(metadata={"description": "pending, approved or rejected"})
    body = fields.String()
    created_at = fields.DateTime()
    reject_reason = fields.String(allow_none=True)
    decision_note = fields.String(allow_none=True)


class CommentSchema(Schema):
    """One comment, without its replies."""

    id = fields.Integer(required=True)
    article = fields.String(attribute="article_slug", metadata={"description": "The article's slug"})
    parent_id = fields.Integer(allow_none=True)
    author = fields.Nested(AuthorSchema, allow_none=True, metadata={"description": "null once deleted"})
    body = fields.String(metadata={"description": "The text as written"})
    body_html = fields.String(metadata={"description": "The text rendered to sanitised HTML"})
    created_at = fields.DateTime(
        allow_none=True,
        metadata={"description": "When it was written; null if imported from a page that records no dates"},
    )
    imported_at = fields.DateTime(
        allow_none=True,
        metadata={"description": "When it was loaded from an original page (imported comments only)"},
    )
    updated_at = fields.DateTime()
    status = fields.String(metadata={"description": "pending, approved, rejected or removed"})
    edited = fields.Boolean(metadata={"description": "Its text changed after it was published"})
    edited_at = fields.DateTime(allow_none=True, metadata={"description": "When its text last changed"})
    deleted = fields.Boolean(metadata={"description": "Deleted by its author; body is empty, author null"})
    reject_reason = fields.String(
        allow_none=True,
        metadata={"description": "Why it was rejected or taken down (its author and moderators only)"},
    )
    decision_note = fields.String(
        allow_none=True,
        metadata={"description": "The moderator's note to the author (author and moderators)"},
    )
    held_edit = fields.Nested(HeldEditSchema, allow_none=True)
    thanks_count = fields.Integer(metadata={"description": 'How many members said "This helped me"'})
    official = fields.Boolean(
        metadata={"description": "An official response of the publisher (PUBLISHER_NAME)"}
    )
    thanked = fields.Boolean(
        metadata={"description": "Whether you said it helped you (only for a logged-in member)"}
    )
    url = fields.String()
    html_url = fields.String()
    help = fields.Nested(
        HelpSchema,
        metadata={
            "description": "Only for its author, when it says someone may be at risk: where to get help now"
        },
    )


class CommentNodeSchema(Schema):
    """A comment inside a thread, with its replies oldest first."""

    id = fields.Integer(required=True)
    parent_id = fields.Integer(allow_none=True)
    author = fields.Nested(AuthorSchema, allow_none=True, metadata={"description": "null for a placeholder"})
    body = fields.String()
    body_html = fields.String()
    created_at = fields.DateTime(
        allow_none=True,
        metadata={"description": "When it was written; null if imported from a page that records no dates"},
    )
    imported_at = fields.DateTime(
        allow_none=True,
        metadata={"description": "When it was loaded from an original page (imported comments only)"},
    )
    status = fields.String()
    edited = fields.Boolean()
    edited_at = fields.DateTime(allow_none=True)
    deleted = fields.Boolean()
    article_author = fields.Boolean(
        metadata={"description": "Written by the person the article's byline links to"}
    )
    thanks_count = fields.Integer(metadata={"description": 'How many members said "This helped me"'})
    official = fields.Boolean(
        metadata={"description": "An official response of the publisher (PUBLISHER_NAME)"}
    )
    thanked = fields.Boolean(
        metadata={"description": "Whether you said it helped you (only for a logged-in member)"}
    )
    placeholder = fields.Nested(PlaceholderSchema, allow_none=True)
    replies = fields.List(fields.Nested(lambda: CommentNodeSchema()))


class PostedCommentSchema(CommentNodeSchema):
    """The answer to a post: the new comment as a thread node, and help when it says someone is at risk."""

    help = fields.Nested(
        HelpSchema,
        metadata={"description": "Where to get help now, when the comment says someone may be at risk"},
    )


class VisitSchema(Schema):
    """A member's visit to a thread, recorded."""

    article = fields.String(metadata={"description": "The article's slug"})
    since = fields.DateTime(
        allow_none=True, metadata={"description": "When your previous visit ended (null: your first)"}
    )


class ReplyToSchema(Schema):
    """The comment a reply answers, when the reply is shown alone."""

    id = fields.Integer()
    display_name = fields.String(allow_none=True, metadata={"description": "null: no longer shown"})


class ThreadSchema(Schema):
    """An article's visible comments as a tree."""

    article = fields.String(metadata={"description": "The article's slug"})
    comments_mode = fields.String(
        metadata={"description": "open, closed (no new comments) or hidden (empty for readers)"}
    )
    count = fields.Integer(metadata={"description": "How many comments the whole thread holds for you"})
    comments = fields.List(fields.Nested(CommentNodeSchema))
    next_cursor = fields.String(
        allow_none=True,
        metadata={"description": "Pass as ?after= for the next top-level comments; null at the end"},
    )
    sort = fields.String(metadata={"description": "The order of conversations: oldest, newest or replies"})
    roles = fields.List(
        fields.String(),
        metadata={"description": "The voices shown (each comment alone, no replies nested); empty for all"},
    )
    in_reply_to = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(ReplyToSchema),
        metadata={"description": "Filtered by roles: for each reply shown, the comment it answers"},
    )
    since = fields.DateTime(
        allow_none=True,
        metadata={"description": "For a member: when their previous visit to the thread's page ended"},
    )
    new_count = fields.Integer(metadata={"description": "Comments published since then, in the whole thread"})
    new_ids = fields.List(fields.Integer(), metadata={"description": "Those of them on this page"})


class ThreadArgsSchema(Schema):
    """Which page of a thread: top-level comments after a cursor, with all their replies."""

    after = fields.String(load_default=None, metadata={"description": "next_cursor from the previous page"})
    limit = fields.Integer(
        load_default=50,
        validate=validate.Range(min=1, max=1000),
        metadata={"description": "Top-level comments per page (their replies always come along)"},
    )
    sort = fields.String(
        load_default=None,
        metadata={"description": "oldest (default), newest or replies: the conversations' order"},
    )
    roles = fields.String(
        load_default=None,
        metadata={"description": "Comma-separated roles (patient,carer,patient_leader): only their comments"},
    )


class CommentCreateSchema(Schema):
    """A new comment or reply."""

    body = fields.String(required=True, metadata={"description": "1 to 10,000 characters after trimming"})
    parent_id = Id(load_default=None, allow_none=True, metadata={"description": "The comment replied to"})


class CommentUpdateSchema(Schema):
    """New text for one's own comment."""

    body = fields.String(required=True)


class PreviewSchema(Schema):
    """Comment text to see as it would be published (nothing is saved)."""

    body = fields.String(required=True)


class PreviewedSchema(Schema):
    """The text rendered and sanitised exactly as posting would store it."""

    html = fields.String(required=True)


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


class FollowSchema(Schema):
    """Whether you follow an article's thread."""

    following = fields.Boolean(required=True)


class ThanksStateSchema(Schema):
    """Where a comment's thanks stand after you thanked it or took it back."""

    comment_id = fields.Integer(required=True)
    thanks_count = fields.Integer(metadata={"description": 'How many members said "This helped me"'})
    thanked = fields.Boolean(metadata={"description": "Whether you are one of them"})
