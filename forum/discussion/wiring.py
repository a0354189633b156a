"""Plug the discussion into an app: reading and posting pages, the API, counters, the thread cache,
and the news of threads (followers' emails, daily digests, what notifications may quote)."""

from __future__ import annotations

from flask import Flask

from forum.discussion.api import articles, comments, preview, profiles, search
from forum.discussion.http import caching
from forum.discussion.services import counters, daily_digest, thanks, thread_news
from forum.discussion.web import comment_head, discovery, embed, helpers, member_pages, reading, stamps
from forum.discussion.web import comments as comment_pages
from forum.notifications.services import comments as comment_news
from forum.platform import jobs
from forum.platform.http.openapi import register_api
from forum.platform.unit_of_work import unit_of_work

DIGESTS_EVERY = "*/10 * * * *"  # each member's digest goes at the first run after their hour


def init_app(app: Flask) -> None:
    """Register the discussion feature on ``app``."""
    unit_of_work(app).on_flush(counters.apply)  # stored counts and versions move with every flush
    unit_of_work(app).on_flush(thanks.forget_when_gone)  # a comment that is gone loses its thanks
    unit_of_work(app).on_flush(thread_news.announce_published)  # a moderator's approval tells followers
    app.extensions[comment_news.EXTENSION] = thread_news.DiscussionComments()  # what emails may quote
    jobs.register(app, thread_news.COMMENT_PUBLISHED, thread_news.comment_published, retry=True)
    jobs.every(app, "notifications.digests", daily_digest.build_due, cron=DIGESTS_EVERY)
    caching.init_app(app)  # ... and cached copies of the threads it touched go stale at its commit
    for module in (reading, comment_pages, discovery, embed):
        app.register_blueprint(module.bp)
    helpers.init_app(app)
    stamps.init_app(app)
    comment_head.init_app(app)
    member_pages.init_app(app)
    for api_module in (articles, comments, preview, profiles, search):
        register_api(api_module.blp)
