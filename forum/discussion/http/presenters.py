"""Shape models into the plain structures the API schemas dump (adds URLs, flattens trees)."""

from __future__ import annotations

from typing import Any

from flask import url_for

from forum.accounts.models import Profile
from forum.discussion.models import Article, Comment, CommentStatus
from forum.discussion.services import support
from forum.discussion.services.articles import ArticleListing, ArticlePage
from forum.discussion.services.threads import Thread, ThreadAuthor, ThreadComment, ThreadNode


def article_summary(listing: ArticleListing) -> dict[str, Any]:
    """Present one row of the article list."""
    article = listing.article
    return {
        "slug": article.slug,
        "title": article.title,
        "kind": article.kind.value,
        "summary": article.summary,
        "original_date": article.original_date,
        "comment_count": listing.comment_count,
        "url": url_for("articles_api.article", slug=article.slug, _external=True),
        "html_url": url_for("web.article", slug=article.slug, _external=True),
    }


def article_page(page: ArticlePage) -> dict[str, Any]:
    """Present a page of the article list."""
    return {
        "items": [article_summary(item) for item in page.items],
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total,
        "next_cursor": page.next_cursor,
    }


def article_detail(article: Article, comment_count: int) -> dict[str, Any]:
    """Present one article with its body and everything an editor can set."""
    summary = article_summary(ArticleListing(article, comment_count))
    return {
        **summary,
        "subtitle": article.subtitle,
        "byline": article.byline_name,
        "byline_name": article.byline_name,
        "byline_description": article.byline_description,
        "byline_profile_id": article.byline_profile_id,
        "body": article.body,
        "body_html": article.body_html,
        "canonical_url": article.canonical_url,
        "state": article.state.value,
        "comments": article.comments_mode.value,
        "comments_open": article.comments_open,
        "comments_url": url_for("articles_api.thread", slug=article.slug, _external=True),
        "created_at": article.created_at,
        "updated_at": article.updated_at,
        "published_at": article.dated_at,
        "imported_at": article.imported_at,
    }


def thread(thread: Thread, member: bool = False) -> dict[str, Any]:
    """Present a page of a thread as JSON-ready data (what ThreadSchema would dump, built directly).

    This is the forum's hottest path, so it skips a second walk through marshmallow;
    tests check that dumping it through ThreadSchema changes nothing. For a ``member`` each comment
    says whether they thanked it (thanks.mark_thanked read that).
    """
    authors: dict[int, dict[str, Any]] = {}

    def node(n: ThreadNode) -> dict[str, Any]:
        c = n.comment
        if c.placeholder is not None:
            return placeholder_json(c, [node(r) for r in n.replies])
        author = authors.get(c.author_id)
        if author is None:
            author = authors[c.author_id] = author_json(c.author)
        out = node_json(c, author, [node(r) for r in n.replies], byline_profile)
        if member:
            out["thanked"] = c.thanked
        return out

    byline_profile = thread.article.byline_profile_id
    options = thread.options
    return {
        "article": thread.article.slug,
        "comments_mode": thread.article.comments_mode.value,
        "count": thread.count,
        "comments": [node(n) for n in thread.roots],
        "next_cursor": thread.next_cursor,
        "sort": options.sort.value,
        "roles": sorted(options.roles),
        "in_reply_to": {
            str(n.comment.id): {"id": n.parent.id, "display_name": n.parent.author.display_name or None}
            for n in thread.roots
            if options.filtered and n.parent is not None
        },
        "since": thread.since.isoformat() if thread.since else None,
        "new_count": thread.new_count,
        "new_ids": [n.comment.id for n, _ in thread.walk() if n.new],
    }


def node_json(
    c: Comment | ThreadComment,
    author: dict[str, Any],
    replies: list[dict[str, Any]],
    byline_profile: int | None = None,
) -> dict[str, Any]:
    """Present a comment as a node of a thread, JSON-ready (CommentNodeSchema's shape, built directly)."""
    return {
        "id": c.id,
        "parent_id": c.parent_id,
        "author": author,
        "body": c.body,
        "body_html": c.body_html,
        "created_at": c.created_at.isoformat() if c.imported_at is None else None,
        "imported_at": c.imported_at.isoformat() if c.imported_at is not None else None,
        "status": c.status.value,
        "edited": c.edited_at is not None,
        "edited_at": c.edited_at.isoformat() if c.edited_at else None,
        "deleted": c.deleted_at is not None,
        "article_author": byline_profile is not None and c.author_id == byline_profile,
        "thanks_count": c.thanks_count,
        "official": c.official_at is not None,
        "placeholder": None,
        "replies": replies,
    }


def placeholder_json(c: ThreadComment, replies: list[dict[str, Any]]) -> dict[str, Any]:
    """Present a placeholder as a node of a thread: where it is and why, nothing of who or what."""
    return {
        "id": c.id,
        "parent_id": c.parent_id,
        "author": None,
        "body": "",
        "body_html": "",
        "created_at": c.created_at.isoformat() if c.imported_at is None else None,
        "imported_at": c.imported_at.isoformat() if c.imported_at is not None else None,
        "status": c.status.value,
        "edited": False,
        "edited_at": None,
        "deleted": c.deleted_at is not None,
        "article_author": False,
        "thanks_count": 0,
        "official": False,
        "placeholder": {"cause": c.placeholder, "text": c.placeholder_text},
        "replies": replies,
    }


def author_json(profile: Profile | ThreadAuthor) -> dict[str, Any]:
    """Present a comment's author as JSON-ready data (AuthorSchema's shape)."""
    return {
        "id": profile.id,
        "display_name": profile.display_name,
        "job_title": profile.job_title,
        "organisation": profile.organisation,
        "role": profile.role.value,
        "role_label": profile.role.label,
        "role_source": profile.role_source.value,
    }


def comment_fields(c: Comment, author: Profile | None = None) -> dict[str, Any]:
    """Present the fields every comment representation shares (``author`` if not loaded on ``c``).

    A deleted comment's author is not named (its placeholder says only that it was deleted).
    """
    return {
        "id": c.id,
        "parent_id": c.parent_id,
        "author": None if c.deleted_at is not None else (author or c.author),
        "body": c.body,
        "body_html": c.body_html,
        "created_at": c.written_at,
        "imported_at": c.imported_at,
        "status": c.status.value,
        "edited": c.edited_at is not None,
        "edited_at": c.edited_at,
        "deleted": c.deleted_at is not None,
        "thanks_count": 0 if c.deleted_at is not None else c.thanks_count,
        "official": c.deleted_at is None and c.official_at is not None,
    }


def comment(
    comment: Comment,
    *,
    decision: bool = False,
    held_edit: Any = None,
    for_author: bool = False,
    thanked: bool | None = None,
) -> dict[str, Any]:
    """Present one comment with links to itself; with ``decision`` (for its author and moderators) why
    it was rejected or taken down, and its latest held edit; ``for_author``: with the help it was offered;
    ``thanked`` (members only): whether the viewer said it helped them."""
    refused = comment.status in (CommentStatus.REJECTED, CommentStatus.REMOVED)
    private: dict[str, Any] = {}
    if decision:
        private = {
            "reject_reason": comment.reject_reason.value if refused and comment.reject_reason else None,
            "decision_note": comment.decision_note if refused or comment.redacted_at else None,
            "held_edit": None
            if held_edit is None
            else {
                "status": held_edit.status.value,
                "body": held_edit.body,
                "created_at": held_edit.created_at,
                "reject_reason": held_edit.reject_reason.value if held_edit.reject_reason else None,
                "decision_note": held_edit.decision_note,
            },
        }
    out = {
        **comment_fields(comment),
        **private,
        "article_slug": comment.article.slug,
        "updated_at": comment.updated_at,
        "url": url_for("comments_api.comment", comment_id=comment.id, _external=True),
        "html_url": url_for("web.comment", comment_id=comment.id, _external=True),
    }
    if thanked is not None:
        out["thanked"] = thanked
    if for_author and comment.offered_help:
        out["help"] = help_json(comment.held_because if comment.status.value == "pending" else None)
    return out


def profile(profile: Profile, comment_count: int) -> dict[str, Any]:
    """Present a profile."""
    return {
        "id": profile.id,
        "display_name": profile.display_name,
        "job_title": profile.job_title,
        "organisation": profile.organisation,
        "role": profile.role,
        "role_source": profile.role_source.value,
        "bio": profile.bio,
        "comment_count": comment_count,
        "url": url_for("profiles_api.profile", profile_id=profile.id, _external=True),
        "html_url": url_for("web.profile", profile_id=profile.id, _external=True),
    }


HELP_MESSAGE = "A member of our team will read what you wrote soon."


def help_json(message: str | None = None) -> dict[str, Any]:
    """Where to get help now, for a writer who may be in crisis (HelpSchema's shape)."""
    return {
        "message": message or HELP_MESSAGE,
        "signposts": [
            {
                "name": s.name,
                "action": s.action,
                "number": s.number,
                "href": s.href,
                "instruction": s.instruction,
                "note": s.note,
            }
            for s in support.signposts()
        ],
    }
