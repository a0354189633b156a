"""Search published articles and public comments (full text on PostgreSQL, word matching on SQLite).

Only what everyone may read is searchable: published articles and approved, undeleted comments on
them. Moderators search the same public set; the queue is where they look at the rest.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, func, literal_column, or_, select
from sqlalchemy.orm import QueryableAttribute, contains_eager

from forum.discussion.models import Article, Comment, public_article, public_thread
from forum.discussion.services.visibility import public_comments
from forum.platform.database import db
from forum.platform.errors import ValidationFailed

MAX_QUERY = 200
MAX_TERMS = 8
ARTICLE_LIMIT = 10
SNIPPET = 240
_WORD = re.compile(r"[^\W_][\w'’-]*")
# The same expressions the PostgreSQL GIN indexes are built on (migration 0006): keep them identical.
COMMENT_DOCUMENT = "to_tsvector('english', comments.body)"
# The byline is searched too ("Dahlborg" finds his guest post); the expression is the index's (2101).
ARTICLE_DOCUMENT = (
    "to_tsvector('english', articles.title || ' ' || coalesce(articles.byline_name, '') "
    "|| ' ' || articles.body)"
)


@dataclass(frozen=True)
class Query:
    """A cleaned search: the text as typed and the words it looks for."""

    text: str
    terms: tuple[str, ...]

    @classmethod
    def parse(cls, raw: str | None) -> Query:
        """Clean what the person typed.

        :raises ValidationFailed: when there is nothing to look for, or far too much.
        """
        text = " ".join(unicodedata.normalize("NFC", raw or "").split())
        if len(text) > MAX_QUERY:
            raise ValidationFailed(errors={"q": [f"Keep the search to {MAX_QUERY} characters."]})
        terms = tuple(dict.fromkeys(w.casefold() for w in _WORD.findall(text)))[:MAX_TERMS]
        if not terms:
            raise ValidationFailed(errors={"q": ["Type a word or two to search for."]})
        return cls(text, terms)


@dataclass(frozen=True)
class Snippet:
    """An extract of a matching text: plain pieces, each marked (a match) or not; shown escaped."""

    parts: tuple[tuple[str, bool], ...]


@dataclass(frozen=True)
class CommentHit:
    """A public comment that matches, with a highlighted extract."""

    comment: Comment
    snippet: Snippet


@dataclass(frozen=True)
class ArticleHit:
    """A published article that matches, with a highlighted extract."""

    article: Article
    snippet: Snippet


@dataclass(frozen=True)
class Results:
    """One page of comment matches plus the best article matches."""

    query: Query
    articles: list[ArticleHit]
    comments: list[CommentHit]
    total_comments: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total_comments // self.per_page))


def _postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _matches(query: Query, document: str, columns: list[QueryableAttribute[Any]]) -> ColumnElement[bool]:
    """Every word must appear: PostgreSQL full text (stemmed, indexed) or LIKE on SQLite."""
    if _postgres():
        tsquery = func.plainto_tsquery("english", " ".join(query.terms))
        return literal_column(document).op("@@")(tsquery)
    conditions = []
    for term in query.terms:
        pattern = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append(or_(*(column.ilike(pattern, escape="\\") for column in columns)))
    return and_(*conditions)


def search(raw: str | None, page: int = 1, per_page: int = 20) -> Results:
    """Find published articles and public comments containing every word (3 queries).

    :raises ValidationFailed: for an empty or overlong search.
    """
    query = Query.parse(raw)
    page = min(max(page, 1), 10_000)  # as the API's SearchArgs; a huge page would overflow OFFSET
    published = public_article()
    comment_match = and_(
        public_comments(), public_thread(), _matches(query, COMMENT_DOCUMENT, [Comment.body])
    )
    total = db.session.scalar(select(func.count(Comment.id)).join(Comment.article).where(comment_match)) or 0
    comments = db.session.scalars(
        select(Comment)
        .join(Comment.article)
        .join(Comment.author)
        .options(contains_eager(Comment.article), contains_eager(Comment.author))
        .where(comment_match)
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    articles = db.session.scalars(
        select(Article)
        .where(
            published, _matches(query, ARTICLE_DOCUMENT, [Article.title, Article.byline_name, Article.body])
        )
        .order_by(Article.listed_at.desc(), Article.id.desc())
        .limit(ARTICLE_LIMIT)
    ).all()
    return Results(
        query=query,
        articles=[ArticleHit(a, snippet(a.body, query.terms)) for a in articles],
        comments=[CommentHit(c, snippet(c.body, query.terms)) for c in comments],
        total_comments=total,
        page=page,
        per_page=per_page,
    )


def _term_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    # Match word beginnings, so "leaders" also marks "leader" and "leadership" (as stemming finds them).
    stems = sorted({t[: max(4, len(t) - 2)] if len(t) > 4 else t for t in terms}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(s) for s in stems) + r")\w*", re.IGNORECASE)


def snippet(text: str, terms: tuple[str, ...], length: int = SNIPPET) -> Snippet:
    """Cut an extract around the first match and say where every match is (the pages escape it)."""
    flat = " ".join(text.split())
    pattern = _term_pattern(terms)
    first = pattern.search(flat)
    start = 0
    if first and first.start() > length // 3:
        start = flat.rfind(" ", 0, first.start() - length // 3) + 1
    extract = flat[start : start + length]
    if start + length < len(flat):
        extract = extract.rsplit(" ", 1)[0]
    parts: list[tuple[str, bool]] = [("…", False)] if start else []
    position = 0
    for match in pattern.finditer(extract):
        parts.append((extract[position : match.start()], False))
        parts.append((match.group(0), True))
        position = match.end()
    parts.append((extract[position:], False))
    if start + length < len(flat):
        parts.append(("…", False))
    return Snippet(tuple(part for part in parts if part[0]))
