"""Handle posting, replying, editing and deleting comments, and following threads, from HTML forms."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from forum import permissions
from forum.accounts.http.identity import current_viewer, safe_next
from forum.discussion.models import CommentStatus
from forum.discussion.services import articles, comments, follows, official, posting, thanks, threads
from forum.platform.errors import DomainError
from forum.platform.http.ratelimits import taking_part
from forum.platform.ids import parse_id
from forum.platform.models import utcnow

bp = Blueprint("comments", __name__)


def _anchor(comment_id: int, slug: str) -> Response:
    return redirect(url_for("web.article", slug=slug, _anchor=f"comment-{comment_id}"))


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
def post(slug: str) -> Response | tuple[str, int, dict[str, str]]:
    """Post a comment or reply, then show it in place; on a problem, show the form again with why."""
    viewer = current_viewer()
    raw_parent = request.form.get("parent_id", "").strip()
    parent_id = parse_id(raw_parent)
    if raw_parent and parent_id is None:
        abort(400)
    try:
        comment = posting.post_comment(current_user, viewer, slug, request.form.get("body"), parent_id)
    except DomainError as exc:
        article = articles.get_article(slug)  # raises NotFound again when that was the problem
        thread = threads.load_thread(article, viewer)
        thanks.mark_thanked(thread, viewer)
        form = {
            "parent_id": parent_id,
            "body": request.form.get("body", ""),
            "errors": exc.errors,
            "message": exc.message,
        }
        page = render_template("articles/show.html", article=article, thread=thread, form=form)
        return page, exc.status, exc.headers
    what = "reply" if parent_id else "comment"
    if comment.offered_help:  # the page lands on the help offered with it, not on a routine notice
        flash(f"Your {what} is saved. A member of our team will read it soon.", "success")
        return redirect(url_for("web.article", slug=slug, _anchor=f"help-now-{comment.id}"))
    if comment.status == CommentStatus.APPROVED:
        flash(f"Your {what} is published.", "success")
    else:
        flash(f"Your {what} is posted. A moderator will read it before others can see it.", "success")
    return _anchor(comment.id, slug)


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
def edit(comment_id: int) -> Response | str | tuple[str, int]:
    """Show and save the edit form for one's own comment."""
    viewer = current_viewer()
    comment = comments.load_own_comment(comment_id, viewer)
    permissions.ensure_can_edit(viewer, comment, utcnow(), comments.edit_window())
    if request.method == "GET":
        return render_template("comments/edit.html", comment=comment, body=comment.body, errors={})
    try:
        comments.edit_comment(current_user, viewer, comment, request.form.get("body"))
    except DomainError as exc:
        body = request.form.get("body", "")
        return render_template(
            "comments/edit.html", comment=comment, body=body, errors=exc.errors
        ), exc.status
    if comment.offered_help and comment.status == CommentStatus.PENDING:
        return redirect(url_for("web.article", slug=comment.article.slug, _anchor=f"help-now-{comment.id}"))
    return _anchor(comment.id, comment.article.slug)


@bp.route("/comments/<int:comment_id>/delete", methods=["GET", "POST"])
@login_required
def delete(comment_id: int) -> Response | str:
    """Ask to confirm, then delete one's own comment."""
    viewer = current_viewer()
    comment = comments.load_own_comment(comment_id, viewer)
    if request.method == "GET":
        permissions.ensure_can_delete(viewer, comment)
        return render_template("comments/delete.html", comment=comment)
    comments.delete_comment(viewer, comment)
    return _anchor(comment.id, comment.article.slug)


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
