"""Render the moderators' pages: the queue, decisions, members, banned words and the audit log."""

from __future__ import annotations

import re

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from forum.auth import admin_required, moderator_required
from forum.errors import DomainError, ValidationFailed
from forum.ids import parse_id
from forum.models import Access, FlagReason, RejectReason, SanctionKind
from forum.services import banned_words, moderation, profiles, queue, sanctions

bp = Blueprint("moderation", __name__, url_prefix="/moderation")
LOG_PER_PAGE = 100


def _problem(exc: DomainError) -> str:
    details = " ".join(" ".join(v) if isinstance(v, list) else str(v) for v in exc.errors.values())
    return f"{exc.message} {details}".strip()


def _int_or_none(name: str) -> int | None:
    return parse_id(request.args.get(name))


QUEUE_PER_PAGE = 25


_BACK = re.compile(r"/moderation(\?[^#\\]*|/comments/\d+)?")


def _back_to_queue(anchor: str | None = None) -> Response:
    """Return to the queue page (filter and page) or the comment page the moderator came from."""
    back = request.form.get("back", "")
    if not _BACK.fullmatch(back):
        back = url_for("moderation.queue_page")
    return redirect(back + (f"#{anchor}" if anchor else ""))


@bp.get("")
@moderator_required
def queue_page() -> str | tuple[str, int]:
    """Show a page of what waits for a decision, oldest first, filtered by kind and reason.

    A kind or reason not on the lists shows the whole queue under a 422 saying what was wrong.
    """
    errors: dict[str, list[str]] = {}
    try:
        wanted = queue.QueueFilter.parse(request.args.get("kind"), request.args.get("reason"))
    except ValidationFailed as exc:
        wanted, errors = queue.QueueFilter(), exc.errors
    found = queue.load_queue_page(wanted, request.args.get("page", 1, type=int) or 1, QUEUE_PER_PAGE)
    page = render_template(
        "moderation/queue.html",
        queue_page=found,
        items=found.items,
        errors=errors,
        wanted=wanted,
        kinds=queue.KINDS,
        held_reasons=queue.HELD_REASONS,
        report_reasons=queue.REPORT_REASONS,
        reasons=list(RejectReason),
        flag_reasons={r.value: r.label for r in FlagReason},
        highlight=queue.highlight,
    )
    return (page, 422) if errors else page


@bp.get("/comments/<int:comment_id>")
@moderator_required
def comment_page(comment_id: int) -> str:
    """Show one comment in any state with its context, history and the decisions that fit it.

    :raises NotFound: when there is no such comment.
    """
    return render_template(
        "moderation/comment.html",
        item=queue.comment_item(comment_id),
        revisions=queue.revisions(comment_id),
        reasons=list(RejectReason),
        flag_reasons={r.value: r.label for r in FlagReason},
        highlight=queue.highlight,
    )


@bp.post("/comments/<int:comment_id>/decision")
@moderator_required
def decide(comment_id: int) -> Response:
    """Apply a decision from the queue and come back to the same place in it."""
    try:
        decision = moderation.parse_decision(request.form.to_dict())
        comment = moderation.decide(current_user, comment_id, decision)
    except DomainError as exc:
        flash(f"Comment #{comment_id}: {_problem(exc)}", "error")
        return _back_to_queue(f"item-{comment_id}")
    flash(f"Comment #{comment.id} is now {comment.status.value}.", "success")
    return _back_to_queue()


@bp.post("/decisions")
@moderator_required
def decide_many() -> Response:
    """Approve or reject the selected comments, all or none."""
    ids = [i for i in map(parse_id, request.form.getlist("comment_ids")) if i is not None]
    try:
        decision = moderation.parse_decision(request.form.to_dict())
        decided = moderation.decide_many(current_user, ids, decision)
    except DomainError as exc:
        flash(f"Nothing was changed. {_problem(exc)}", "error")
        return _back_to_queue()
    flash(f"{len(decided)} comments are now {decided[0].status.value}.", "success")
    return _back_to_queue()


@bp.get("/log")
@moderator_required
def log_page() -> str:
    """Show the audit log, newest first, filtered by comment, member or moderator."""
    filters = {name: _int_or_none(name) for name in ("comment", "member", "moderator")}
    before = _int_or_none("before")
    entries = queue.audit_entries(
        filters["comment"], filters["member"], filters["moderator"], LOG_PER_PAGE + 1, before
    )
    older = entries[LOG_PER_PAGE].id + 1 if len(entries) > LOG_PER_PAGE else None
    entries = entries[:LOG_PER_PAGE]
    people = queue.account_names(
        {e.actor_id for e in entries if e.actor_id} | {e.member_id for e in entries if e.member_id}
    )
    return render_template(
        "moderation/log.html", entries=entries, filters=filters, people=people, older=older, before=before
    )


@bp.get("/members/<int:user_id>")
@moderator_required
def member_page(user_id: int) -> str:
    """Show a member's record, sanctions, notes, and the forms to act on them."""
    member = sanctions.get_member(user_id)
    record = queue.author_records({member.profile_id})[member.profile_id]
    return render_template(
        "moderation/member.html",
        member=member,
        record=record,
        active=sanctions.active_sanction(member.id),
        history=sanctions.sanctions_for(member),
        notes=sanctions.notes_for(member),
        entries=queue.audit_entries(member_id=member.id, limit=50),
        accesses=list(Access),
    )


def _back_to_member(user_id: int) -> Response:
    return redirect(url_for("moderation.member_page", user_id=user_id))


@bp.post("/members/<int:user_id>/sanctions")
@moderator_required
def sanction(user_id: int) -> Response:
    """Suspend or ban a member."""
    member = sanctions.get_member(user_id)
    days = request.form.get("days", "").strip()
    try:
        kind = SanctionKind(request.form.get("kind", ""))
        sanctions.sanction(
            current_user,
            member,
            kind,
            request.form.get("reason", ""),
            int(days) if re.fullmatch(r"[0-9]{1,5}", days) else None,
        )
    except ValueError:
        flash("Choose a suspension or a ban.", "error")
    except DomainError as exc:
        flash(_problem(exc), "error")
    else:
        flash(f"{member.profile.display_name}: {kind.value} recorded.", "success")
    return _back_to_member(user_id)


@bp.post("/members/<int:user_id>/lift")
@moderator_required
def lift(user_id: int) -> Response:
    """Lift a suspension or ban."""
    try:
        sanctions.lift(current_user, sanctions.get_member(user_id))
        flash("Sanction lifted.", "success")
    except DomainError as exc:
        flash(_problem(exc), "error")
    return _back_to_member(user_id)


@bp.post("/members/<int:user_id>/notes")
@moderator_required
def add_note(user_id: int) -> Response:
    """Add a private note on a member."""
    try:
        sanctions.add_note(current_user, sanctions.get_member(user_id), request.form.get("body", ""))
        flash("Note saved.", "success")
    except ValidationFailed as exc:
        flash(_problem(exc), "error")
    return _back_to_member(user_id)


@bp.post("/members/<int:user_id>/access")
@admin_required
def set_access(user_id: int) -> Response:
    """Change a member's access level (admins)."""
    try:
        access = Access(request.form.get("access", ""))
    except ValueError:
        flash("Choose member, moderator or admin.", "error")
        return _back_to_member(user_id)
    sanctions.change_access(current_user, sanctions.get_member(user_id), access)
    flash(f"Access is now {access.value}.", "success")
    return _back_to_member(user_id)


@bp.post("/profiles/<int:profile_id>/verification")
@moderator_required
def verify(profile_id: int) -> Response:
    """Mark a profile's role verified."""
    profile = profiles.get_profile(profile_id)
    try:
        sanctions.verify_role(current_user, profile, request.form.get("method", ""))
        flash(f"{profile.display_name}'s role is verified.", "success")
    except ValidationFailed as exc:
        flash(_problem(exc), "error")
    back = request.form.get("back", "")
    fallback = url_for("web.profile", profile_id=profile.id)
    return redirect(back if back.startswith("/moderation/") else fallback)


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
        flash(_problem(exc), "error")
    return redirect(url_for("moderation.banned_words_page"))


@bp.post("/banned-words/<int:word_id>/delete")
@admin_required
def remove_banned_word(word_id: int) -> Response:
    """Remove a banned word (admins)."""
    banned_words.remove_word(current_user, word_id)
    return redirect(url_for("moderation.banned_words_page"))
