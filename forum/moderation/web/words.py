"""Render and edit the banned-word list (moderators read it, admins change it)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from forum.moderation.http.guards import admin_required, moderator_required
from forum.moderation.services import banned_words
from forum.moderation.web import bp, problem
from forum.platform.errors import DomainError


@bp.route("/banned-words", methods=["GET"])
@moderator_required
def banned_words_page() -> str:
    """List the banned words (admins can change them)."""
    return render_template("moderation/banned_words.html", words=banned_words.list_words())


@bp.post("/banned-words")
@admin_required
def add_banned_word() -> Response:
    """Add a banned word (admins)."""
    try:
        banned_words.add_word(current_user, request.form.get("word", ""))
    except DomainError as exc:
        flash(problem(exc), "error")
    return redirect(url_for("moderation.banned_words_page"))


@bp.post("/banned-words/<int:word_id>/delete")
@admin_required
def remove_banned_word(word_id: int) -> Response:
    """Remove a banned word (admins)."""
    banned_words.remove_word(current_user, word_id)
    return redirect(url_for("moderation.banned_words_page"))
