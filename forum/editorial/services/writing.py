"""Write articles: create, change (PATCH), replace idempotently (PUT), publish, archive, restore, and
open, close or hide their comments. Every change is one audit entry with what it was and became.

The body is Markdown, rendered once here (forum/discussion/services/text.py) and sanitised as comments
are; images are refused. A published article keeps its old slugs (``article_slugs``) so old links
redirect. Changing any article marks its thread changed (the counters' flush subscriber bumps its
version and the cache forgets its copies at the commit).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select

from forum import permissions
from forum.accounts.models import Profile, User
from forum.accounts.services.viewer import viewer_of
from forum.discussion.models import Article, ArticleKind, ArticleSlug, ArticleState, CommentsMode
from forum.discussion.services.text import has_images, render_markdown_article, summarise_markdown
from forum.moderation.services import audit
from forum.platform.database import db
from forum.platform.errors import Conflict, ValidationFailed
from forum.platform.models import utcnow

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 120
# What an editor writes; PUT replaces these (state and comments keep their value when not sent).
CONTENT = (
    "title",
    "subtitle",
    "byline_name",
    "byline_description",
    "byline_profile_id",
    "kind",
    "summary",
    "body",
    "original_date",
    "canonical_url",
)
IMAGES_REFUSED = (
    "Images cannot be added: this forum stores no uploads. Link to the picture on your own site instead."
)
_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %Y", "%b %Y", "%Y")


def slugify(title: str) -> str:
    """Make a slug from a title: lower-case words joined by hyphens, at most SLUG_MAX characters."""
    words = re.findall(r"[a-z0-9]+", title.casefold().replace("'", "").replace("’", ""))
    slug = "-".join(words)[:SLUG_MAX].strip("-")
    return slug or "article"


def parse_original_date(text: str | None) -> date | None:
    """Read "12 March 2019", "March 2019", "2019-03-12" or "2019" as a date for sorting (None if not)."""
    if not text:
        return None
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", " ".join(text.split()))
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
    return None


def _slug_taken(slug: str, article_id: int | None) -> bool:
    """Whether another article has this slug, now or as an old one that redirects."""
    now = select(Article.id).where(Article.slug == slug, Article.id != (article_id or 0))
    before = select(ArticleSlug.article_id).where(
        ArticleSlug.slug == slug, ArticleSlug.article_id != (article_id or 0)
    )
    return db.session.scalar(now.union_all(before).limit(1)) is not None


def _check_slug(slug: str, article_id: int | None) -> str:
    if len(slug) > SLUG_MAX or not SLUG.fullmatch(slug):
        raise ValidationFailed(
            errors={"slug": ["Use lower-case letters, digits and single hyphens (like 'shared-care-2026')."]}
        )
    if _slug_taken(slug, article_id):
        raise Conflict(
            f"Another article already uses the address '{slug}'.",
            errors={"slug": ["Another article already uses this address; choose another."]},
        )
    return slug


def _free_slug(base: str) -> str:
    """The generated slug, or it with -2, -3... when taken."""
    candidate, n = base, 1
    while _slug_taken(candidate, None):
        n += 1
        candidate = f"{base[: SLUG_MAX - len(str(n)) - 1]}-{n}"
    return candidate


def _content_values(data: Mapping[str, Any]) -> dict[str, Any]:
    """The stored values for the content fields given in ``data`` (rendered, parsed, checked)."""
    values: dict[str, Any] = {}
    for name in CONTENT:
        if name in data:
            value = data[name]
            values[name] = value if value != "" else None
    if "kind" in values and values["kind"] is not None:
        values["kind"] = ArticleKind(values["kind"])
    if "body" in values:
        body = values["body"] or ""
        if has_images(body):
            raise ValidationFailed(errors={"body": [IMAGES_REFUSED]})
        values["body"] = body
        values["body_html"] = render_markdown_article(body)
    if "original_date" in values:
        values["original_date_sort"] = parse_original_date(values["original_date"])
    profile_id = values.get("byline_profile_id")
    if profile_id is not None and db.session.get(Profile, profile_id) is None:
        raise ValidationFailed(errors={"byline_profile_id": [f"There is no profile number {profile_id}."]})
    return values


def _plain(value: Any) -> Any:
    if isinstance(value, ArticleKind | ArticleState | CommentsMode):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def _apply(article: Article, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Set what differs; return the fields that changed, before and after (body_html left out)."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for name, value in values.items():
        if getattr(article, name) != value:
            if name not in ("body_html", "original_date_sort"):
                before[name] = _plain(getattr(article, name))
                after[name] = _plain(value)
            setattr(article, name, value)
    return before, after


def _summary_default(article: Article, values: dict[str, Any]) -> None:
    """An empty summary is the body's first paragraph, and follows the body while nobody wrote one."""
    if values.get("summary"):
        return
    body = values.get("body", article.body or "")
    new_or_cleared = "summary" in values or article.id is None
    if new_or_cleared or ("body" in values and article.summary == summarise_markdown(article.body)):
        values["summary"] = summarise_markdown(body)


def _rename(article: Article, slug: str, was_published: bool) -> None:
    """Give the article a new slug; a published article's old one is kept so its links redirect."""
    _check_slug(slug, article.id)
    if was_published:
        db.session.add(ArticleSlug(slug=article.slug, article_id=article.id))
    db.session.execute(
        delete(ArticleSlug).where(ArticleSlug.slug == slug, ArticleSlug.article_id == article.id)
    )
    article.slug = slug


def _state_values(article: Article, data: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if data.get("state") is not None:
        values["state"] = ArticleState(data["state"])
        if values["state"] == ArticleState.PUBLISHED and article.published_at is None:
            values["published_at"] = utcnow()
    if data.get("comments_mode") is not None:
        values["comments_mode"] = CommentsMode(data["comments_mode"])
    return values


def _action(before: dict[str, Any], after: dict[str, Any], created: bool) -> str:
    if created:
        return "article.created"
    if set(after) == {"state"} or set(after) == {"state", "published_at"}:
        return {"published": "article.published", "archived": "article.archived"}.get(
            after["state"], "article.unpublished"
        )
    if set(after) == {"comments_mode"}:
        return f"article.comments_{after['comments_mode']}"
    return "article.updated"


def _record(
    editor: User, article: Article, before: dict[str, Any], after: dict[str, Any], created: bool
) -> None:
    after.pop("published_at", None)
    before.pop("published_at", None)
    audit.record(
        editor,
        _action(before, after, created),
        target_type="article",
        target_id=article.id,
        before=None if created else before,
        after=after,
    )


def create_article(editor: User, data: Mapping[str, Any]) -> Article:
    """Create an article (a draft with comments open unless ``state``/``comments_mode`` say otherwise).

    The slug is ``data["slug"]`` or made from the title.

    :raises Forbidden: for anyone who does not edit articles.
    :raises ValidationFailed: for a bad slug, an image in the body, or an unknown byline profile.
    :raises Conflict: when the slug is taken.
    """
    permissions.ensure_can_edit_articles(viewer_of(editor))
    article = Article(state=ArticleState.DRAFT, comments_mode=CommentsMode.OPEN, kind=ArticleKind.BLOG_POST)
    values = _content_values(data)
    _summary_default(article, values)
    values.update(_state_values(article, data))
    values.setdefault("state", ArticleState.DRAFT)
    slug = data.get("slug")
    values["slug"] = _check_slug(slug, None) if slug else _free_slug(slugify(data["title"]))
    for name, value in values.items():
        setattr(article, name, value)
    db.session.add(article)
    db.session.flush()
    after = {
        name: _plain(value)
        for name, value in values.items()
        if name not in ("body_html", "original_date_sort")
    }
    _record(editor, article, {}, after, created=True)
    return article


def change_article(editor: User, article: Article, data: Mapping[str, Any]) -> bool:
    """Change the fields given in ``data`` (a PATCH); return whether anything changed (no entry if not).

    :raises Forbidden: for anyone who does not edit articles.
    :raises ValidationFailed: for a bad slug, an image in the body, or an unknown byline profile.
    :raises Conflict: when the new slug is taken.
    """
    permissions.ensure_can_edit_articles(viewer_of(editor))
    values = _content_values(data)
    if values.get("body") == article.body:  # kept as rendered when written (seeded pages too)
        del values["body"], values["body_html"]
    _summary_default(article, values)
    values.update(_state_values(article, data))
    old_slug, was_published = article.slug, article.published_at is not None
    before, after = _apply(article, values)
    slug = data.get("slug")
    if slug and slug != article.slug:
        _rename(article, slug, was_published)
        before["slug"], after["slug"] = old_slug, slug
    if not after:
        return False
    db.session.flush()
    _record(editor, article, before, after, created=False)
    return True


def put_article(editor: User, slug: str, data: Mapping[str, Any]) -> tuple[Article, bool, bool]:
    """Create the article at ``slug`` or replace its content (a PUT): return it, created?, changed?

    Content fields not sent are emptied (the kind becomes a blog post); ``state`` and
    ``comments_mode`` keep their value when not sent. The same body twice changes nothing.
    """
    permissions.ensure_can_edit_articles(viewer_of(editor))
    article = db.session.scalar(select(Article).where(Article.slug == slug))
    full = {name: data.get(name) for name in CONTENT}
    full["kind"] = full["kind"] or ArticleKind.BLOG_POST
    full["body"] = full["body"] or ""
    rest = {k: data[k] for k in ("state", "comments_mode") if k in data}
    if article is None:
        return create_article(editor, {**full, **rest, "slug": slug}), True, False
    return article, False, change_article(editor, article, {**full, **rest})


def set_state(editor: User, article: Article, state: ArticleState) -> bool:
    """Publish, archive or restore (to published if it ever was, else to draft): reversible."""
    return change_article(editor, article, {"state": state})


def restore(editor: User, article: Article) -> bool:
    """Bring an archived article back: published if it had been, a draft otherwise."""
    state = ArticleState.PUBLISHED if article.published_at is not None else ArticleState.DRAFT
    return set_state(editor, article, state)


def set_comments(editor: User, article: Article, mode: CommentsMode) -> bool:
    """Open, close (readable, no new comments) or hide (moderators only) the article's thread."""
    return change_article(editor, article, {"comments_mode": mode})


def find(slug_or_id: str | int) -> Article | None:
    """The article with this id or slug, whatever its state (callers are editors)."""
    if isinstance(slug_or_id, int):
        return db.session.get(Article, slug_or_id)
    return db.session.scalar(select(Article).where(Article.slug == slug_or_id))
