"""Serve a member's thread page from a frame shared by every member of a kind, with their own marks laid on.

Most of a member's page is the same for every member: the comments, their authors, and the same
actions under each one. What differs is small: the "New" badges since their last visit and the folds
those open, the actions on their own comments and on those they thanked, their CSRF token. So each
worker renders a page's thread tools and comment list once as a *frame* for members of a kind (free
to post or not, their time zone), loaded as a member with no profile, with slots where those
differences go, and keeps it under the thread cache's generations (a change to the thread or to
anyone's profile makes a new one) and the five-minute clock of relative times. A member's page is
then the frame with their marks put in the slots: no thread query and no thread rendering.

A member with a comment here that others cannot see (waiting, refused, deleted) gets the page built
from scratch, since their own comments are part of the tree; so do moderators (they see comments
whose changes move no generation) and any page with a form open or a message to place.
``tests/functional/test_thread_overlay.py`` checks, for every kind of viewer, that the two pages are
the same. Figures in docs/performance.md.
"""

from __future__ import annotations

import copy
import re
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, get_template_attribute, render_template, request
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from forum.accounts.http.identity import viewer_sanction_text
from forum.accounts.services.viewer import Viewer
from forum.discussion.http.caching import clock, thread_cache
from forum.discussion.models import Article
from forum.discussion.services import thread_marks, threads
from forum.discussion.services.comments import edit_window
from forum.discussion.services.reader_facts import ReaderFacts
from forum.discussion.services.thread_options import ThreadOptions
from forum.discussion.services.thread_rows import Thread, ThreadComment
from forum.discussion.web.stamps import NEW_BADGE, SLOT
from forum.platform.http.templating import reader_zone
from forum.platform.models import utcnow

FRAMES_PER_WORKER = 24  # each a page's comment list (a 1,000-comment thread's first page: about 0.7 MB)
_CURSOR = re.compile(r"[A-Za-z0-9_.=-]{1,200}")  # what our cursors are made of (platform/cursors.py)
_CSRF = f"{SLOT}csrf{SLOT}"  # stands for the member's CSRF token in a frame: nobody's token is kept
_MARK = re.compile(f"{SLOT}(?:([NFAW])(\\d+)|(Z)|(csrf)){SLOT}")
# Where Page.splice puts the member's thread tools and comment list in their page.
TOOLS_MARK = Markup(f"{SLOT}tools{SLOT}")  # noqa: S704  # nosec B704 - a constant
LIST_MARK = Markup(f"{SLOT}list{SLOT}")  # noqa: S704  # nosec B704 - a constant


@dataclass(slots=True)
class Cut:
    """Rendered text cut at its slots, kept as UTF-8 pieces with each slot's place among them.

    Bytes, not text: the page is mostly ASCII with a few curly quotes, and Python would copy a 700 KB
    string into a wider form for them and encode it again for every response. A member's page is a
    copy of the pieces with their slots filled: a few dozen assignments and one join.
    """

    parts: list[bytes]  # the text, each slot holding what a member with no marks of their own sees
    csrf: list[int]  # where the CSRF token goes
    new: dict[int, int]  # a comment's "New" badge
    fold: dict[int, int]  # a comment's fold: b" open", or b"" while folded
    actions: dict[int, tuple[int, int]]  # the parts a comment's actions span
    news: int | None = None  # the line "N new since your last visit" (the tools)


@dataclass(slots=True)
class Frame:
    """A page's thread tools and comment list for members of a kind, with what fills their slots."""

    thread: Thread  # as loaded for the kind (no "New" marks, no thanks)
    tools: Cut
    comment_list: Cut
    comments: list[ThreadComment]  # those with actions (published, shown): may be new, own, thanked
    plan: thread_marks.FoldPlan


def _frames() -> OrderedDict[tuple[object, ...], Frame]:
    frames: OrderedDict[tuple[object, ...], Frame] = current_app.extensions.setdefault(
        "forum_frames", OrderedDict()
    )
    return frames


def member_page(
    article: Article,
    viewer: Viewer,
    options: ThreadOptions,
    after: str | None,
    since: datetime | None,
    facts: ReaderFacts,
) -> Page | None:
    """Return the member's page of the thread (what the page shows above the list, and the list) from
    a frame, or None when it must be built from scratch. Not for a member with a comment here that
    others cannot see (``facts.unsettled``: the caller asks)."""
    config = current_app.config
    if not (config["THREAD_OVERLAY"] and config["THREAD_STAMPS"]):
        return None  # the frame's slots for a comment's actions are the stamps'
    if viewer.is_anonymous or viewer.is_moderator:
        # Moderators see comments others do not, and their changes move no generation: built each time.
        return None
    if after is not None and not _CURSOR.fullmatch(after):
        return None  # not one of ours (the page built from scratch says so); never part of a frame
    generations = thread_cache().generations(article.id) or f"v{article.thread_version}"
    sanctioned = viewer_sanction_text() is not None
    # The five minutes it was built in, as the strangers' cached page: relative times stay true.
    key = (article.id, article.slug, options.variant(), after, sanctioned, article.comments_open,
           str(reader_zone()), clock(), generations)  # fmt: skip
    frames = _frames()
    frame = frames.get(key)
    if config["THREAD_CACHE_LOCAL_MB"] <= 0:  # caching off: built for this read, kept for none
        frame = _build(article, viewer, options, after)
    elif frame is None:
        frame = frames[key] = _build(article, viewer, options, after)
        while len(frames) > FRAMES_PER_WORKER:
            frames.popitem(last=False)
    else:
        frames.move_to_end(key)
    return _lay_on(frame, article, viewer, after, since, facts)


def _build(article: Article, viewer: Viewer, options: ThreadOptions, after: str | None) -> Frame:
    """Load and render the page for members of the viewer's kind, with slots in place of their marks.

    Loaded as a member with no profile: only what every member sees, never the comments of the one
    who happened to ask first (their own waiting comment may land between their facts and this)."""
    anyone = Viewer(user_id=viewer.user_id)
    thread = threads.load_thread(article, anyone, after, options=options, who_speaks=True)
    request.thread_frame = True  # type: ignore[attr-defined]
    try:
        html = render_template(
            "articles/_frame.html",
            article=article,
            thread=thread,
            form={},
            after=after,
            csrf_token=lambda: _CSRF,
        )
        tools = render_template(
            "articles/_frame_tools.html", article=article, thread=thread, csrf_token=lambda: _CSRF
        )
    finally:
        request.thread_frame = False  # type: ignore[attr-defined]
    plan = thread_marks.fold_plan(thread)
    cut = _cut(html, plan)
    comments = [node.comment for node, _ in thread.walk() if node.comment.id in cut.actions]
    return Frame(thread, _cut(tools, plan), cut, comments, plan)


def _cut(html: str, plan: thread_marks.FoldPlan) -> Cut:
    """Cut rendered text at its slots (stamps.py marks them), each filled as for no one in particular."""
    cut = Cut([], [], {}, {}, {})
    at, opened = 0, 0
    for mark in _MARK.finditer(html):
        cut.parts.append(html[at : mark.start()].encode())
        at = mark.end()
        kind, number, closing, csrf = mark.groups()
        if csrf:
            cut.csrf.append(len(cut.parts))
            cut.parts.append(b"")
        elif closing:
            cut.actions[opened] = (cut.actions[opened][0], len(cut.parts))
        elif kind == "A":
            opened = int(number)
            cut.actions[opened] = (len(cut.parts), len(cut.parts))
        else:
            place = len(cut.parts)
            if kind == "N":
                cut.new[int(number)] = place
            elif kind == "F":
                cut.fold[int(number)] = place
            else:
                cut.news = place
            cut.parts.append(b"" if kind != "F" or int(number) in plan.foldable else b" open")
    cut.parts.append(html[at:].encode())
    return cut


def _lay_on(
    frame: Frame,
    article: Article,
    viewer: Viewer,
    after: str | None,
    since: datetime | None,
    facts: ReaderFacts,
) -> Page:
    """Put one member's marks (their facts, read before) into the frame's slots."""
    thread = copy.copy(frame.thread)
    thread.article = article  # this request's, not the one the frame was built with
    new: set[int] = set()
    if since is not None:
        new = {c.id for c in frame.comments if thread_marks.is_new(c, viewer.profile_id, since)}
        thread.since = since
        thread.new_count, thread.first_new_id = facts.new_count, facts.first_new_id
        thread.first_new_here = thread.first_new_id in new
    folded = thread_marks.folded_ids(frame.plan, new)
    thanked = facts.thanked
    own = {c.id: c for c in frame.comments if c.author_id == viewer.profile_id or c.id in thanked}
    actions = _own_actions(list(own.values()), thanked, article, after)
    token = generate_csrf().encode()
    parts = frame.comment_list.parts.copy()
    for place in frame.comment_list.csrf:
        parts[place] = token
    for comment_id in new:
        parts[frame.comment_list.new[comment_id]] = NEW_BADGE.format(comment_id).encode()
    for comment_id in frame.plan.foldable - folded:  # opened on the way to something new
        parts[frame.comment_list.fold[comment_id]] = b" open"
    for comment_id, html in actions.items():
        start, end = frame.comment_list.actions[comment_id]
        parts[start:end] = [html] + [b""] * (end - start - 1)
    tools = frame.tools.parts
    if thread.new_count and frame.tools.news is not None:
        tools = tools.copy()
        tools[frame.tools.news] = _new_since(thread)
    return Page(thread, b"".join(tools), b"".join(parts), _edits_end(own.values(), viewer))


@dataclass(slots=True)
class Page:
    """A member's page of the thread from a frame: what shows above the list, the tools, the list."""

    thread: Thread
    tools: bytes
    comment_list: bytes
    until: datetime | None = None  # when the first of the member's own comments here leaves its edit window

    def splice(self, page: str) -> bytes:
        """The page rendered around ``TOOLS_MARK`` and ``LIST_MARK`` with the member's in their places."""
        body = page.encode()
        for mark, part in ((TOOLS_MARK, self.tools), (LIST_MARK, self.comment_list)):
            body = body.replace(str(mark).encode(), part, 1)  # absent from a page with no comments
        return body


def _edits_end(comments: Iterable[ThreadComment], viewer: Viewer) -> datetime | None:
    """The moment the first of the member's comments that they may still edit stops being editable."""
    now, window = utcnow(), edit_window()
    ends = [c.created_at + window for c in comments if c.author_id == viewer.profile_id]
    return min((end for end in ends if end >= now), default=None)


def _new_since(thread: Thread) -> bytes:
    macro = get_template_attribute("articles/_new_since.html", "new_since")
    return str(macro(thread)).encode()


def _own_actions(
    comments: list[ThreadComment], thanked: frozenset[int], article: Article, after: str | None
) -> dict[int, bytes]:
    """Render the actions of the member's own comments and those they thanked (one small render)."""
    if not comments:
        return {}
    marked = []
    for comment in comments:
        mine = copy.copy(comment)  # the frame's comment is every member's: never marked
        mine.thanked = comment.id in thanked
        marked.append(mine)
    html = render_template(
        "articles/_overlay_actions.html", specials=marked, article=article, form={}, after=after, slot=SLOT
    )
    return {c.id: text.encode() for c, text in zip(comments, html.split(SLOT), strict=False)}
