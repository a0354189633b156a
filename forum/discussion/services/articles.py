"""Read and write articles: the list with public comment counts, one article by slug."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from sqlalchemy import Select, bindparam, func, select, tuple_
from sqlalchemy.orm import undefer

from forum.discussion import thanks_models
from forum.discussion.models import (
    PUBLISHED_ARTICLES,
    Article,
    ArticleKind,
    ArticleSlug,
    ArticleState,
    Comment,
    SiteCounter,
    public_article,
)
from forum.discussion.services.text import render_markdown_article, summarise_markdown
from forum.discussion.services.visibility import public_comments
from forum.platform import cursors
from forum.platform.database import db
from forum.platform.errors import NotFound
from forum.platform.models import utcnow


@dataclass(frozen=True)
class ArticleListing:
    """One row of the article list."""

    article: Article
    comment_count: int


@dataclass(frozen=True)
class ArticlePage:
    """A page of the article list: by number (``page``) or after a cursor (``page`` is None)."""

    items: list[ArticleListing]
    page: int | None
    per_page: int
    total: int
    next_cursor: str | None = None  # where the next (older) page starts; None on the last page

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def list_articles(page: int = 1, per_page: int = 20, after: str | None = None) -> ArticlePage:
    """Return published articles, newest first, each with its public comment count (2 queries).

    Newest by their own date: the original date where known (``Article.listed_at``).

    The counts are the ones kept on each article and the total the one kept for the site
    (services/counters.py), so a page costs the same however many articles and comments there
    are. By number, the page's ids come from the listing index past an offset counted from the
    nearer end (so the first and last pages are the cheapest, a middle page the dearest); after a
    cursor (``next_cursor`` of the page before), the index is entered at the cursor, so every page
    costs what the first does.

    :raises ValidationFailed: for a cursor that is not one of ours.
    """
    published = public_article()
    total = db.session.scalar(select(SiteCounter.value).where(SiteCounter.name == PUBLISHED_ARTICLES))
    if total is None:  # never counted (a database emptied by hand): count, once
        total = db.session.scalar(select(func.count(Article.id)).where(published)) or 0
    newest_first = select(Article.id).where(published).order_by(Article.listed_at.desc(), Article.id.desc())
    skip = (page - 1) * per_page
    older = total - skip - per_page  # articles after this page, if the page is read by number
    if after is not None:
        when, number = cursors.decode(after)
        ids = newest_first.where(tuple_(Article.listed_at, Article.id) < tuple_(when, number))
        ids = ids.limit(per_page + 1)  # one more says whether an older page exists
    elif 0 < skip < total and older < skip:
        # Nearer the oldest end: enter the index from there, so the last pages cost what the first
        # do. The stored total says where the page starts; one more row says an older page exists.
        oldest_first = select(Article.id).where(published).order_by(Article.listed_at, Article.id)
        ids = oldest_first.offset(max(older - 1, 0)).limit(
            min(per_page, total - skip) + min(max(older, 0), 1)
        )
    else:
        ids = newest_first.offset(skip).limit(per_page + 1)
    found = ids.subquery()
    rows = db.session.scalars(
        select(Article)
        .join(found, found.c.id == Article.id)
        .order_by(Article.listed_at.desc(), Article.id.desc())
    ).all()
    more, rows = len(rows) > per_page, rows[:per_page]
    last = rows[-1] if rows else None
    next_cursor = cursors.encode(last.listed_at, last.id) if more and last and last.listed_at else None
    return ArticlePage(
        [ArticleListing(a, 0 if a.comments_hidden else a.comment_count) for a in rows],
        None if after is not None else page,
        per_page,
        total,
        next_cursor,
    )


def list_in_state(state: ArticleState, page: int = 1, per_page: int = 20) -> ArticlePage:
    """Return the articles in one state, the latest changed first (editors' API list; 2 queries)."""
    total = db.session.scalar(select(func.count(Article.id)).where(Article.state == state)) or 0
    rows = db.session.scalars(
        select(Article)
        .where(Article.state == state)
        .order_by(Article.updated_at.desc(), Article.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return ArticlePage([ArticleListing(a, a.comment_count) for a in rows], page, per_page, total)


@cache
def _published_by_slug() -> Select[Article]:
    """Build the lookup every thread read and post makes, once (bound parameter ``slug``)."""
    return (
        select(Article)
        .options(undefer(Article.refusal_reasons))  # the thread's transparency counts, in the same read
        .options(undefer(thanks_models.OFFICIAL_IDS))  # and the thread's official responses (its box)
        .where(Article.slug == bindparam("slug"), public_article())
    )


def get_article(slug: str) -> Article:
    """Return the published article with this slug.

    :raises NotFound: when there is none.
    """
    article = db.session.scalar(_published_by_slug(), {"slug": slug})
    if article is None:
        raise missing(slug)
    return article


def current_slug(slug: str) -> str | None:
    """The slug a published article has now, if ``slug`` is one it had before (old links redirect)."""
    return db.session.scalar(
        select(Article.slug)
        .join(ArticleSlug, ArticleSlug.article_id == Article.id)
        .where(ArticleSlug.slug == slug, public_article())
    )


def get_any_article(slug: str) -> Article:
    """Return the article with this slug whatever its state (for editors: callers check who asks).

    :raises NotFound: when there is none.
    """
    article = db.session.scalar(select(Article).where(Article.slug == slug))
    if article is None:
        raise missing(slug)
    return article


def missing(slug: str) -> NotFound:
    """The error for a slug with no published article."""
    return NotFound(f"There is no article at '{slug}'.")


def upsert_article(
    *,
    slug: str,
    title: str,
    kind: ArticleKind,
    body: str,
    subtitle: str | None = None,
    byline: str | None = None,
    byline_description: str | None = None,
    original_date: str | None = None,
    original_date_sort: date | None = None,
) -> tuple[Article, bool]:
    """Create the imported article or bring it in line with its page; return it and whether it changed.

    The seed loader's way in: ``body`` is Markdown, rendered as editors' articles are. A new article
    is published with comments open; an existing one keeps its state and comments as the editors
    left them.
    """
    values = {
        "title": title,
        "subtitle": subtitle,
        "byline_name": byline,
        "byline_description": byline_description,
        "kind": kind,
        "body": body,
        "body_html": render_markdown_article(body),
        "summary": summarise_markdown(body),
        "original_date": original_date,
        "original_date_sort": original_date_sort,
    }
    article = db.session.scalar(select(Article).where(Article.slug == slug))
    if article is None:
        article = Article(slug=slug, imported_at=utcnow(), **values)
        db.session.add(article)
        db.session.flush()
        return article, True
    changed = False
    if article.imported_at is None:  # loaded before imports were marked
        article.imported_at = article.created_at
        changed = True
    for name, value in values.items():
        if getattr(article, name) != value:
            setattr(article, name, value)
            changed = True
    db.session.flush()
    return article, changed


def set_byline_profile(article: Article, profile_id: int | None) -> bool:
    """Link an imported article's byline to its author's profile; return whether that changed it."""
    if article.byline_profile_id == profile_id:
        return False
    article.byline_profile_id = profile_id
    db.session.flush()
    return True


def latest_comment_at(article: Article) -> datetime | None:
    """When the newest comment everyone may read was written (None: none, none dated, or hidden).

    Imported comments have no date of their own (the pages record none), so they give none here.
    """
    if article.comments_hidden:
        return None
    return db.session.scalar(
        select(func.max(Comment.created_at)).where(
            Comment.article_id == article.id, public_comments(), Comment.imported_at.is_(None)
        )
    )
