"""Handle posting, replying, editing and deleting comments, and following threads, from HTML forms."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from forum import permissions
from forum.accounts.http.identity import current_viewer, safe_next
from forum.discussion.models import Comment, CommentStatus
from forum.discussion.services import articles, comments, follows, official, posting, thanks, threads
from forum.discussion.services.threads import ThreadComment
from forum.platform.errors import DomainError, ValidationFailed
from forum.platform.http.messages import flash_at
from forum.platform.http.ratelimits import limit_previews, taking_part
from forum.platform.ids import parse_id
from forum.platform.models import utcnow

bp = Blueprint("comments", __name__)


def _at_message(comment: Comment | ThreadComment, slug: str) -> Response:
    """Land on the message beside ``comment``, on the page of its thread that shows it."""
    after = threads.page_cursor_for(comment, current_viewer())  # type: ignore[arg-type]
    return redirect(url_for("web.article", slug=slug, after=after, _anchor=f"message-{comment.id}"))


def _show_form(
    slug: str, form: dict[str, Any], status: int = 200, headers: Any = None
) -> tuple[str, int, Any]:
    """Show the article again with the comment form as the writer left it (a problem, or a preview).

    :raises NotFound: when there is no such published article.
    """
    viewer = current_viewer()
    article = articles.get_article(slug)  # raises NotFound again when that was the problem
    after = request.form.get("after") or None  # the page the form was on
    try:
        thread = threads.load_thread(article, viewer, after)
    except ValidationFailed:  # a cursor not of ours: the first page, and the writer's text still kept
        after = None
        thread = threads.load_thread(article, viewer)
    thanks.mark_thanked(thread, viewer)
    page = render_template("articles/show.html", article=article, thread=thread, form=form, after=after)
    return page, status, headers or {}


def _back_to(comment_id: int) -> Response:
    """Back to the comment in its thread, on the page that shows it (``?after=`` in a long thread).

    :raises NotFound: when the viewer may not see it.
    """
    viewer = current_viewer()
    found = threads.get_comment(comment_id, viewer)
    if found is None:
        abort(404)
    after = threads.page_cursor_for(found, viewer)
    return redirect(
        url_for("web.article", slug=found.article.slug, after=after, _anchor=f"comment-{found.id}")
    )


@bp.post("/comments/<int:comment_id>/thanks")
@login_required
@taking_part
def thank(comment_id: int) -> Response:
    """Say "This helped me" (or, with ``undo``, take it back), then return to the comment.

    :raises NotFound: when the viewer may not see the comment.
    """
    if threads.get_comment(comment_id, current_viewer()) is None:
        abort(404)
    try:
        if request.form.get("undo"):
            thanks.unthank(current_user, comment_id)
        else:
            thanks.thank(current_user, comment_id)
    except DomainError as exc:
        flash(exc.message, "error")
    return _back_to(comment_id)


@bp.post("/comments/<int:comment_id>/official")
@login_required
@taking_part
def mark_official(comment_id: int) -> Response:
    """Mark one's comment as the publisher's official response (``official=0``: unmark it), then return.

    :raises NotFound: when the viewer may not see the comment.
    """
    if threads.get_comment(comment_id, current_viewer()) is None:
        abort(404)
    mark = request.form.get("official", "1") != "0"
    try:
        official.mark(current_user, comment_id, mark)
        if mark:
            flash(
                f"Your comment is marked as an official response from {permissions.publisher_name()}.",
                "success",
            )
        else:
            flash("Your comment is no longer marked as an official response.", "success")
    except DomainError as exc:
        flash(exc.message, "error")
    return _back_to(comment_id)


@bp.post("/articles/<slug>/comments")
@login_required
def post(slug: str) -> Response | tuple[str, int, Any]:
    """Post a comment or reply, then land on its message; on a problem, show the form again with why.

    With the Preview button, show the text as it would be published above the form, saving nothing.
    """
    viewer = current_viewer()
    raw_parent = request.form.get("parent_id", "").strip()
    parent_id = parse_id(raw_parent)
    if raw_parent and parent_id is None:
        abort(400)
    body = request.form.get("body", "")
    if request.form.get("action") == "preview":
        return _preview_page(slug, parent_id, body)
    try:
        comment = posting.post_comment(current_user, viewer, slug, body, parent_id)
    except DomainError as exc:
        form = {"parent_id": parent_id, "body": body, "errors": exc.errors, "message": exc.message}
        return _show_form(slug, form, exc.status, exc.headers)
    what = "reply" if parent_id else "comment"
    if comment.offered_help:  # the page lands on the help offered with it, not on a routine notice
        flash(f"Your {what} is saved. A member of our team will read it soon.", "success")
        return redirect(url_for("web.article", slug=slug, _anchor=f"help-now-{comment.id}"))
    flash_at(f"comment-{comment.id}", _posted_message(comment, viewer))
    return _at_message(comment, slug)


@limit_previews
def _preview_page(slug: str, parent_id: int | None, body: str) -> tuple[str, int, Any]:
    """Show the article with the form's text rendered above it (or why it could not be)."""
    form: dict[str, Any] = {"parent_id": parent_id, "body": body}
    try:
        form["preview_html"] = comments.preview(body)
    except DomainError as exc:
        form.update(errors=exc.errors, message=exc.message)
        return _show_form(slug, form, exc.status)
    return _show_form(slug, form)


def _posted_message(comment: ThreadComment, viewer: Any) -> str:
    """Say what became of a new comment, naming it (a reply: whom it answers)."""
    if comment.parent_id is not None:
        parent = threads.get_comment(comment.parent_id, viewer)
        name = parent.author.display_name if parent is not None and parent.deleted_at is None else None
        what = f"Your reply to {name} (#{comment.parent_id})" if name else f"Your reply (#{comment.id})"
    else:
        what = f"Your comment (#{comment.id})"
    if comment.status == CommentStatus.APPROVED:
        return f"{what} is published."
    return f"{what} is waiting for a moderator to check it. Until then only you can see it."


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
def edit(comment_id: int) -> Response | str | tuple[str, int]:
    """Show and save the edit form for one's own comment; the Preview button shows it, saving nothing."""
    viewer = current_viewer()
    comment = comments.load_own_comment(comment_id, viewer)
    permissions.ensure_can_edit(viewer, comment, utcnow(), comments.edit_window())
    if request.method == "GET":
        return render_template("comments/edit.html", comment=comment, body=comment.body, errors={})
    body = request.form.get("body", "")
    if request.form.get("action") == "preview":
        return _edit_preview(comment, body)
    before = (comment.body, comment.status)
    try:
        comments.edit_comment(current_user, viewer, comment, body)
    except DomainError as exc:
        return render_template(
            "comments/edit.html", comment=comment, body=body, errors=exc.errors
        ), exc.status
    if comment.offered_help and comment.status == CommentStatus.PENDING:
        return redirect(url_for("web.article", slug=comment.article.slug, _anchor=f"help-now-{comment.id}"))
    flash_at(f"comment-{comment.id}", _edited_message(comment, before))
    return _at_message(comment, comment.article.slug)


@limit_previews
def _edit_preview(comment: Comment, body: str) -> tuple[str, int]:
    """Show the edit form with its text rendered above it (or why it could not be)."""
    try:
        html = comments.preview(body)
    except DomainError as exc:
        return render_template(
            "comments/edit.html", comment=comment, body=body, errors=exc.errors
        ), exc.status
    return render_template(
        "comments/edit.html", comment=comment, body=body, errors={}, preview_html=html
    ), 200


def _edited_message(comment: Comment, before: tuple[str, CommentStatus]) -> str:
    """Say what became of an edit: saved, waiting for a moderator, or nothing changed."""
    if comments.held_edit_of(comment.id) is not None:
        return (
            f"Your edit to comment #{comment.id} is waiting for a moderator to check it. "
            "Until then others see the earlier text."
        )
    if comment.status == CommentStatus.PENDING and before[1] == CommentStatus.APPROVED:
        return (
            f"Your edit to comment #{comment.id} is saved. "
            "A moderator will check it before others see it again."
        )
    if comment.body == before[0]:
        return f"Comment #{comment.id} is unchanged: the text was the same."
    return f"Your edit to comment #{comment.id} is saved."


@bp.route("/comments/<int:comment_id>/delete", methods=["GET", "POST"])
@login_required
def delete(comment_id: int) -> Response | str:
    """Ask to confirm, then delete one's own comment and say so where it was."""
    viewer = current_viewer()
    comment = comments.load_own_comment(comment_id, viewer)
    if request.method == "GET":
        permissions.ensure_can_delete(viewer, comment)
        return render_template("comments/delete.html", comment=comment)
    comments.delete_comment(viewer, comment)
    flash_at(f"comment-{comment.id}", f"Your comment #{comment.id} is deleted.")
    return _at_message(comment, comment.article.slug)


@bp.post("/articles/<slug>/follow")
@login_required
def follow(slug: str) -> Response:
    """Follow the article's thread; back to the article (or a local ``next``).

    :raises NotFound: when there is no such published article.
    """
    follows.follow(current_user, slug)
    flash("You follow this thread. Choose how you hear of new comments in your email settings.", "success")
    return _back(slug)


@bp.post("/articles/<slug>/unfollow")
@login_required
def unfollow(slug: str) -> Response:
    """Stop following the article's thread; back to the article (or a local ``next``).

    :raises NotFound: when there is no such published article.
    """
    article = follows.unfollow(current_user, slug)
    flash(f"You no longer follow “{article.title}”.", "success")
    return _back(slug)


def _back(slug: str) -> Response:
    """Return to a local ``next`` page (the email settings' list) or to the article's follow button."""
    target = request.form.get("next")
    if target:
        return redirect(safe_next(target))
    return redirect(url_for("web.article", slug=slug, _anchor="follow"))
