"""Open a reply form with a comment's text quoted, from ``?quote=<id>`` on the thread page."""

from __future__ import annotations

from typing import Any

from flask import request, url_for

from forum import permissions
from forum.accounts.http.identity import viewer_sanction_text
from forum.accounts.services.viewer import Viewer
from forum.discussion.models import Article, CommentStatus
from forum.discussion.services import threads
from forum.discussion.services.text import quote_markdown
from forum.discussion.services.threads import Thread, ThreadComment
from forum.platform.ids import parse_id

CANNOT_QUOTE = "That comment cannot be quoted. You can still write your own reply or comment below."


def quote_form(article: Article, thread: Thread, viewer: Viewer) -> dict[str, Any]:
    """Return the comment form's state for ``?quote=``: the quoted comment's reply form, pre-filled.

    Only a published comment on this page, that the viewer may reply to, is quoted; anything else
    (not a number, unknown, hidden from the viewer, another article's) gets one plain message that
    says nothing of whether it exists.
    """
    raw = request.args.get("quote")
    if raw is None:
        return {}
    if not article.comments_open or viewer_sanction_text() is not None:
        return {"quote_problem": "You cannot reply here at the moment, so there is nothing to quote into."}
    found = _on_page(thread, raw.strip())
    if found is None:
        return _elsewhere(article, raw.strip(), viewer)
    if not permissions.can_see(viewer, found.status, found.author_id):
        return {"quote_problem": CANNOT_QUOTE}
    address = url_for("web.comment", comment_id=found.id, _external=True)
    body = quote_markdown(found.body, found.author.display_name, found.id, address)
    return {"parent_id": found.id, "body": body, "quote": True}


def _elsewhere(article: Article, raw: str, viewer: Viewer) -> dict[str, Any]:
    """A published comment of this article on another page: say so, with a link to quote it there."""
    number = parse_id(raw)
    other = threads.get_comment(number, viewer) if number is not None else None
    if other is None or other.article_id != article.id or other.status != CommentStatus.APPROVED:
        return {"quote_problem": CANNOT_QUOTE}
    if other.deleted_at is not None:
        return {"quote_problem": CANNOT_QUOTE}
    after = threads.page_cursor_for(other, viewer)
    link = url_for("web.article", slug=article.slug, after=after, quote=other.id, _anchor=f"body-{other.id}")
    return {"quote_problem": f"Comment #{other.id} is on another page of this thread.", "quote_link": link}


def _on_page(thread: Thread, raw: str) -> ThreadComment | None:
    """The published comment numbered ``raw`` among those this page shows, if any."""
    if not raw.isdigit():
        return None
    for node, _ in thread.walk():
        comment = node.comment
        published = comment.status == CommentStatus.APPROVED and comment.deleted_at is None
        if str(comment.id) == raw and comment.placeholder is None and published:
            return comment
    return None
