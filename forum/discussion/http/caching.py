"""Answer anonymous thread reads from the thread cache: 304s, stored bytes, or a page built and kept.

Used by the thread page and the thread JSON alike (forum/discussion/services/thread_cache.py holds
the copies and their generations). Only requests that carry no session, remember-me cookie or token
are answered here: nobody else sees a shared page.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

from flask import Flask, Response, current_app, request

from forum.discussion.models import Article
from forum.discussion.services.thread_cache import ThreadCache
from forum.platform.http.health import add_check
from forum.platform.http.metrics import count_cache
from forum.platform.unit_of_work import unit_of_work

# A slug's article, remembered by each worker. An article's id never changes, but an editor may change
# its slug (the old one then redirects), so stored copies are keyed by the slug they were built for
# as well: a copy built for the new slug is never answered for the old one.
_slug_ids: dict[str, int] = {}
_SLUG_CACHE_LIMIT = 50_000


RELATIVE_SECONDS = 300  # a shared page says "3 hours ago": it is rebuilt at least this often


def clock() -> str:
    """The five minutes a shared page with relative times belongs to (part of its cache key)."""
    return str(int(time.time() // RELATIVE_SECONDS))


def thread_cache() -> ThreadCache:
    """Return the current app's cache."""
    cache: ThreadCache = current_app.extensions["forum_cache"]
    return cache


def init_app(app: Flask) -> None:
    """Create the cache for ``app``: copies go stale at every commit that touched their thread."""
    cache = app.extensions["forum_cache"] = ThreadCache(
        app.config.get("REDIS_URL"),
        app.config["REDIS_PREFIX"],
        app.config["THREAD_CACHE_TTL"],
        app.config["THREAD_CACHE_LOCAL_MB"] * 1024 * 1024,
        app.config["THREAD_CACHE_SUBSCRIBE"],
    )
    unit_of_work(app).on_commit(cache.invalidate_committed)
    add_check(app, "redis", cache.status)


def _etag(article_id: int, variant: str, generations: str) -> str:
    digest = hashlib.blake2b(f"{article_id}|{variant}|{generations}".encode(), digest_size=12).hexdigest()
    return digest


def _answer(
    cache: ThreadCache, article_id: int, variant: str, generations: str, mimetype: str
) -> Response | None:
    """Answer from what is current: 304 if the client has it, else the stored bytes (None: build it)."""
    etag = _etag(article_id, variant, generations)
    if request.if_none_match.contains(etag):
        return _conditional(Response(status=304), etag, "hit", variant)
    body = cache.body(article_id, variant, generations)
    if body is not None:
        return _conditional(Response(body, mimetype=mimetype), etag, "hit", variant)
    return None


def cached_only(slug: str, variant: str, mimetype: str) -> Response | None:
    """Answer without the database (304 or stored bytes) when Redis says what is current; None: build it."""
    article_id = _slug_ids.get(slug)
    if article_id is None:
        return None
    cache = thread_cache()
    generations = cache.generations(article_id)
    return (
        None
        if generations is None
        else _answer(cache, article_id, f"{slug}|{variant}", generations, mimetype)
    )


def looks_anonymous() -> bool:
    """True when the request carries no session, remember-me cookie or token (so no login is possible)."""
    cookies = request.cookies
    return not (
        request.headers.get("Authorization")
        or cookies.get(current_app.config.get("SESSION_COOKIE_NAME", "session"))
        or cookies.get(current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token"))
    )


def serve_thread(
    slug: str, variant: str, mimetype: str, find: Callable[[str], Article], build: Callable[[Article], bytes]
) -> Response:
    """Answer an anonymous read of a thread: 304, cached bytes, or freshly built bytes.

    ``find`` loads the published article (raising NotFound); ``build`` renders it.
    """
    answer = cached_only(slug, variant, mimetype)
    if answer is not None:
        return answer
    variant = f"{slug}|{variant}"
    cache = thread_cache()
    article = find(slug)
    if len(_slug_ids) < _SLUG_CACHE_LIMIT:
        _slug_ids[slug] = article.id
    generations = cache.generations(article.id)  # read before the thread is
    if generations is None:  # no Redis: the version read with the article says what is current
        generations = f"v{article.thread_version}"
    # Another worker or server may have built it already (this process had not met the slug).
    answer = _answer(cache, article.id, variant, generations, mimetype)
    if answer is not None:
        return answer
    body = build(article)
    cache.store(article.id, variant, generations, body)
    etag = _etag(article.id, variant, generations)
    if request.if_none_match.contains(etag):
        return _conditional(Response(status=304), etag, "miss", variant)
    return _conditional(Response(body, mimetype=mimetype), etag, "miss", variant)


def _conditional(response: Response, etag: str, state: str, variant: str = "") -> Response:
    # "html" or "json": never the slug the key starts with, nor the cursor
    count_cache((variant or "page").rsplit("|", 1)[-1].split(":")[0], state)
    response.set_etag(etag)
    response.headers["X-Cache"] = state
    # Shared caches may keep it but must ask again each time: a moderator's decision shows at once.
    response.headers["Cache-Control"] = "public, no-cache"
    response.headers["Vary"] = "Cookie, Authorization"
    return response
