"""Render the editors' pages: the article list, new and edit forms with a server-rendered preview, and
the buttons that publish, archive, restore and open, close or hide comments (each a CSRF-checked form).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from marshmallow import ValidationError as SchemaError
from werkzeug.wrappers import Response

from forum.accounts.http.identity import current_viewer
from forum.discussion.models import Article, ArticleKind, ArticleState, CommentsMode
from forum.discussion.services.text import has_images, render_markdown_article
from forum.editorial.http.guards import editor_required
from forum.editorial.schemas import ArticleCreateSchema
from forum.editorial.services import listing, writing
from forum.platform.errors import DomainError, NotFound, ValidationFailed

bp = Blueprint("editorial", __name__, url_prefix="/admin")
PER_PAGE = 20
FIELD_ORDER = [
    "title",
    "slug",
    "subtitle",
    "kind",
    "byline_name",
    "byline_description",
    "byline_profile_id",
    "summary",
    "body",
    "original_date",
    "canonical_url",
]
_BLANK_IS_NONE = ("byline_profile_id", "canonical_url", "kind", "slug")
_DONE = {
    ArticleState.PUBLISHED: "is published",
    ArticleState.ARCHIVED: "is archived: readers no longer see it",
    ArticleState.DRAFT: "is back to a draft",
}


def _article(article_id: int) -> Article:
    found = writing.find(article_id)
    if found is None:
        raise NotFound("There is no such article.")
    return found


def _submitted() -> dict[str, Any]:
    """The form's fields as the schema reads them (a blank id, address, kind or slug is none)."""
    data: dict[str, Any] = {name: request.form.get(name, "") for name in FIELD_ORDER}
    for name in _BLANK_IS_NONE:
        if not data[name].strip():
            data[name] = None
    return data


def _load(form: dict[str, Any]) -> dict[str, Any]:
    """Validate the form through the API's schema; a field left empty is emptied.

    :raises ValidationFailed: with each field's complaint.
    """
    try:
        data = dict(ArticleCreateSchema().load({k: v for k, v in form.items() if v is not None}))
    except SchemaError as exc:
        messages = exc.messages if isinstance(exc.messages, dict) else {"_form": exc.messages}
        if has_images(form.get("body") or ""):  # said at once, not after the other fields are right
            messages.setdefault("body", [writing.IMAGES_REFUSED])
        raise ValidationFailed(errors=messages) from exc
    for name in ("byline_profile_id", "canonical_url"):
        data.setdefault(name, None)
    return data


def _preview(form: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    """The body rendered as readers would see it, or the reason it cannot be."""
    body = form.get("body") or ""
    if has_images(body):
        return None, {"body": [writing.IMAGES_REFUSED]}
    return render_markdown_article(body), {}


def _edit_page(
    article: Article | None, form: dict[str, Any], errors: dict[str, Any], preview: str | None = None
) -> Any:
    status = 422 if errors else 200
    page = render_template(
        "editorial/edit.html",
        article=article,
        form=form,
        errors=errors,
        preview=preview,
        kinds=list(ArticleKind),
        modes=list(CommentsMode),
        field_order=FIELD_ORDER,
    )
    return page, status


@bp.get("")
@editor_required
def home() -> Response:
    """Send editors to the article list (the only admin page so far)."""
    return redirect(url_for("editorial.article_list"))


@bp.get("/articles")
@editor_required
def article_list() -> str:
    """List every article (filter by state, search by title, paged), latest change first."""
    state_name = request.args.get("state") or ""
    state = ArticleState(state_name) if state_name in {s.value for s in ArticleState} else None
    query = (request.args.get("q") or "").strip()[:200]
    page = min(max(request.args.get("page", default=1, type=int) or 1, 1), 100_000)
    viewer = current_viewer()
    found = listing.list_for_editors(viewer, state, query or None, page, PER_PAGE)
    return render_template(
        "editorial/list.html",
        listing=found,
        state=state,
        query=query,
        counts=listing.counts_by_state(viewer),
        states=list(ArticleState),
    )


@bp.route("/articles/new", methods=["GET", "POST"])
@editor_required
def new_article() -> Any:
    """Write a new article: Preview shows it as readers will, Save keeps it as a draft."""
    if request.method == "GET":
        return _edit_page(None, {"kind": ArticleKind.BLOG_POST.value}, {})
    form = _submitted()
    preview, errors = _preview(form) if request.form.get("action") == "preview" else (None, {})
    if request.form.get("action") == "preview":
        return _edit_page(None, form, errors, preview)
    try:
        article = writing.create_article(current_user, _load(form))
    except ValidationFailed as exc:
        return _edit_page(None, form, exc.errors or {"_form": [exc.message]})
    except DomainError as exc:
        return _edit_page(None, form, exc.errors or {"_form": [exc.message]})
    flash(f"“{article.title}” is saved as a draft. Publish it when it is ready.", "success")
    return redirect(url_for("editorial.edit_article", article_id=article.id))


@bp.route("/articles/<int:article_id>/edit", methods=["GET", "POST"])
@editor_required
def edit_article(article_id: int) -> Any:
    """Change an article; Preview renders the text without saving it."""
    article = _article(article_id)
    if request.method == "GET":
        form = {name: getattr(article, name) for name in FIELD_ORDER}
        form["kind"] = article.kind.value
        return _edit_page(article, form, {}, article.body_html)
    form = _submitted()
    if request.form.get("action") == "preview":
        preview, errors = _preview(form)
        return _edit_page(article, form, errors, preview)
    try:
        changed = writing.change_article(current_user, article, _load(form))
    except DomainError as exc:
        return _edit_page(article, form, exc.errors or {"_form": [exc.message]})
    flash("Your changes are saved." if changed else "Nothing had changed.", "success")
    return redirect(url_for("editorial.edit_article", article_id=article.id))


def _state_change(article_id: int, state: ArticleState | None) -> Response:
    article = _article(article_id)
    if state is None:
        writing.restore(current_user, article)
    else:
        writing.set_state(current_user, article, state)
    flash(f"“{article.title}” {_DONE[article.state]}.", "success")
    return redirect(url_for("editorial.edit_article", article_id=article.id))


@bp.post("/articles/<int:article_id>/publish")
@editor_required
def publish(article_id: int) -> Response:
    """Publish the article: readers see it on the front page, in the feed and in search."""
    return _state_change(article_id, ArticleState.PUBLISHED)


@bp.post("/articles/<int:article_id>/archive")
@editor_required
def archive(article_id: int) -> Response:
    """Archive the article: readers get a 404; its thread is kept and it can be restored."""
    return _state_change(article_id, ArticleState.ARCHIVED)


@bp.post("/articles/<int:article_id>/restore")
@editor_required
def restore(article_id: int) -> Response:
    """Bring an archived article back (published again if it had been)."""
    return _state_change(article_id, None)


@bp.post("/articles/<int:article_id>/comments")
@editor_required
def comments(article_id: int) -> Response:
    """Open, close or hide the article's comments."""
    article = _article(article_id)
    mode = request.form.get("mode", "")
    if mode not in {m.value for m in CommentsMode}:
        raise ValidationFailed(errors={"mode": ["Choose open, closed or hidden."]})
    writing.set_comments(current_user, article, CommentsMode(mode))
    said = {
        CommentsMode.OPEN: "Comments are open.",
        CommentsMode.CLOSED: "Comments are closed: the thread stays readable, nobody can add to it.",
        CommentsMode.HIDDEN: "Comments are hidden: only moderators see the thread.",
    }
    flash(said[CommentsMode(mode)], "success")
    return redirect(url_for("editorial.edit_article", article_id=article.id))
