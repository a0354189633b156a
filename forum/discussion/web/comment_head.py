"""Write the opening of each comment on a thread page: its ``<article>`` tag and its header.

A thread page shows up to a few hundred comments, and their headers (who wrote it, the badges, when,
its number, whom it answers) were most of what the thread template's loop spent per comment: some
twenty escaped values each, through Jinja's machinery. Here each header is one function call that
escapes the few values that need it (names) and writes the rest, digits and constants, as they are.
The markup is the same as the template's was: tests/functional/test_thread_reading.py and the
browser journeys read it; templates/articles/_thread.html says where it goes.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, request, url_for
from markupsafe import Markup, escape

from forum.discussion.models import Article, CommentStatus
from forum.discussion.services.thread_rows import ParentRef, ThreadAuthor, ThreadComment, ThreadNode
from forum.discussion.web.stamps import new_mark
from forum.permissions import publisher_name
from forum.platform.http.templating import format_moment

_SEP = '<span class="sep" aria-hidden="true">&nbsp;·</span>'
_AUTHOR = ' <span class="badge badge--author">Author</span>'
_UNDATED = '<span class="byline__undated">date not recorded on the original page</span>'
_REDACTED = ' <span class="byline__edited">(edited by a moderator)</span>'
_LINES_KEPT = 10_000  # author lines a worker keeps (about 400 bytes each); all forgotten past it

AuthorLines = dict[tuple[Any, ...], Markup]


def author_lines() -> AuthorLines:
    """This worker's author lines (the ``author_line`` macro) for this site's root, asked once per page.

    An author line (name, job title, organisation, role badge) depends on nothing but those fields,
    the profile's number and where the site is mounted, and the same few dozen people write beside
    hundreds of comments: each line is rendered once per worker, filed under every field it shows,
    so a renamed or re-badged author simply files a new one."""
    kept: dict[str, AuthorLines] = current_app.extensions.setdefault("forum_author_lines", {})
    return kept.setdefault(request.script_root, {})


def _author_line(author: ThreadAuthor, lines: AuthorLines) -> Markup:
    key = (
        author.id,
        author.display_name,
        author.job_title,
        author.organisation,
        author.role,
        author.role_source,
    )
    line = lines.get(key)
    if line is None:
        if len(lines) >= _LINES_KEPT:
            lines.clear()
        macro = current_app.jinja_env.get_template("_macros.html").module.author_line  # type: ignore[attr-defined]
        line = lines[key] = macro(author)  # a macro's output is already Markup
    return line


def comment_head(
    node: ThreadNode, article: Article, permalink: str, alone: bool, framed: bool, lines: AuthorLines
) -> Markup:
    """The comment's ``<article>`` opening tag and its ``<header>``: byline, badges, date, number,
    "(edited)" and, for a reply, whom it answers (a link when the page shows some voices alone)."""
    c, p = node.comment, node.parent
    name = escape(c.author.display_name)
    status = "" if c.status == CommentStatus.APPROVED else f" comment--{c.status.value}"
    byline: list[str] = [_author_line(c.author, lines)]
    if article.byline_profile_id and c.author_id == article.byline_profile_id:
        byline.append(_AUTHOR)
    if c.official_at:
        byline.append(
            f' <span class="badge badge--official">Official response · {escape(publisher_name())}</span>'
        )
    byline.append(f"{_SEP} {_UNDATED if c.imported_at else format_moment(c.created_at)}")
    byline.append(new_mark(node, framed))
    link = f"{escape(permalink)}{c.id}"
    byline.append(
        f'{_SEP} <a class="byline__number" href="{link}" data-permalink="{link}">'
        f'<span class="visually-hidden">Link to comment </span>#{c.id}</a>'
    )
    if c.edited_at:
        byline.append(f' <span class="byline__edited">(edited {format_moment(c.edited_at)})</span>')
    if c.redacted_at:
        byline.append(_REDACTED)
    head = (
        f'<article class="comment{status}" id="comment-{c.id}" aria-label="'
        f'{"Reply" if p else "Comment"} #{c.id} by {name}">\n'
        f'    <header class="comment__header">\n      <p class="byline">{"".join(byline)}</p>\n'
    )
    if p is not None:
        head += _reply_to(p, alone)
    return Markup(head + "    </header>")  # noqa: S704  # nosec B704 - names escaped above, the rest ours


def _reply_to(parent: ThreadComment | ParentRef, alone: bool) -> str:
    if parent.placeholder:
        whom = "a comment no longer shown"
    elif alone:
        link = url_for("web.comment", comment_id=parent.id)
        whom = f'<a href="{link}">{escape(parent.author.display_name)}</a>'
    else:
        whom = str(escape(parent.author.display_name))
    return f'<p class="comment__reply-to"><span aria-hidden="true">↳ </span>Reply to {whom}</p>'


def init_app(app: Flask) -> None:
    """Give the thread template the functions."""
    app.add_template_global(comment_head)
    app.add_template_global(author_lines)
