"""Show a thread on the organisation's own site: a page made to be framed, and the host page's script.

``/embed/articles/<slug>`` is the thread without the site's header, under the same visibility rules
(a draft, an archived article or a hidden thread shows nothing), read-only, with a link that opens
the article's forum page in a new tab for posting. Only the origins in ``EMBED_ALLOWED_ORIGINS`` may
frame it (CSP ``frame-ancestors``); every other page stays unframeable. ``/embed/embed.js`` is the
optional script for the host page that sizes the frame to its content.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app, render_template, request, send_from_directory

from forum.accounts.services.viewer import ANONYMOUS
from forum.discussion.http.caching import clock, serve_thread
from forum.discussion.models import Article
from forum.discussion.services import articles, threads
from forum.platform.http.security import allow_framing_by

bp = Blueprint("embed", __name__, url_prefix="/embed")
_JS = Path(__file__).resolve().parents[2] / "static" / "js"


@bp.before_request
def allow_the_listed_sites_to_frame() -> None:
    """Every answer under /embed (its 404s too) may be framed by the listed origins only."""
    allow_framing_by(current_app.config["EMBED_ALLOWED_ORIGINS"])


@bp.get("/articles/<slug>")
def thread(slug: str) -> Response:
    """The article's thread, to be framed by the organisation's page.

    :raises NotFound: when there is no such published article.
    """
    after = request.args.get("after") or None

    def build(found: Article) -> bytes:
        page = threads.load_thread(found, ANONYMOUS, after)  # shared by everyone: what anyone may read
        return render_template(
            "embed/thread.html", article=found, thread=page, after=after, embedded=True
        ).encode()

    # Read-only and the same for everyone, so every reader shares the cached copy.
    return serve_thread(slug, f"embed:{clock()}:{after or ''}", "text/html", articles.get_article, build)


@bp.get("/embed.js")
def host_script() -> Response:
    """The host page's script: sizes each forum frame to its content (the thread works without it)."""
    response = send_from_directory(_JS, "embed-host.js", mimetype="text/javascript", max_age=3600)
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"  # loaded by other sites' pages
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
