"""Render a member's record for moderators and act on it: sanctions, notes, access, role verification."""

from __future__ import annotations

import re

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from forum import permissions
from forum.accounts.models import Access, SanctionKind
from forum.accounts.services import profiles, standing
from forum.accounts.services.viewer import viewer_of
from forum.moderation.http.guards import admin_required, moderator_required
from forum.moderation.services import access as access_levels
from forum.moderation.services import audit_log, members, notes, sanctions, verification
from forum.moderation.web import bp, problem
from forum.platform.errors import DomainError, ValidationFailed
from forum.platform.http.transactions import after_read


@bp.get("/members")
@moderator_required
def members_page() -> str | tuple[str, int]:
    """List members for moderators: search by name or email, filter, page (a bad filter: a 422)."""
    search = request.args.get("q", "")[:200]
    wanted = request.args.get("filter") or None
    page_number = request.args.get("page", 1, type=int) or 1
    errors: dict[str, list[str]] = {}
    try:
        found = members.find_members(search, wanted, page_number)
    except ValidationFailed as exc:
        errors, wanted = exc.errors, None
        found = members.find_members(search, None, page_number)
    page = render_template(
        "moderation/members.html",
        found=found,
        search=search,
        wanted=wanted,
        filters=members.MEMBER_FILTERS,
        errors=errors,
    )
    return (page, 422) if errors else page


@bp.get("/members/<int:user_id>")
@moderator_required
def member_page(user_id: int) -> str:
    """Show a member's record, sanctions, notes, and the forms to act on them."""
    member = members.get_member(user_id)
    record = members.author_records({member.profile_id})[member.profile_id]
    moderator = current_user._get_current_object()
    after_read(lambda: members.record_view(moderator, member, "member record (page)"))
    return render_template(
        "moderation/member.html",
        member=member,
        record=record,
        active=standing.active_sanction(member.id),
        in_force=standing.sanctions_in_force(member.id),
        history=sanctions.sanctions_for(member),
        notes=notes.notes_for(member),
        entries=audit_log.audit_entries(member_id=member.id, limit=50),
        accesses=list(Access),
        # Erasing on written request (privacy.erase_member): whom they may act on, never themselves.
        can_erase=member.id != moderator.id and permissions.can_act_on(viewer_of(moderator), member.access),
    )


def _back_to_member(user_id: int) -> Response:
    return redirect(url_for("moderation.member_page", user_id=user_id))


@bp.post("/members/<int:user_id>/sanctions")
@moderator_required
def sanction(user_id: int) -> Response:
    """Suspend or ban a member."""
    member = members.get_member(user_id)
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
        flash("Choose pre-moderation, a suspension or a ban.", "error")
    except DomainError as exc:
        flash(problem(exc), "error")
    else:
        flash(f"{member.profile.display_name}: {kind.label.lower()} recorded.", "success")
    return _back_to_member(user_id)


@bp.post("/members/<int:user_id>/lift")
@moderator_required
def lift(user_id: int) -> Response:
    """Lift a suspension or ban."""
    raw = request.form.get("kind", "")
    kind = SanctionKind(raw) if raw in {k.value for k in SanctionKind} else None
    try:
        sanctions.lift(current_user, members.get_member(user_id), kind)
        flash("Sanction lifted.", "success")
    except DomainError as exc:
        flash(problem(exc), "error")
    return _back_to_member(user_id)


@bp.post("/members/<int:user_id>/notes")
@moderator_required
def add_note(user_id: int) -> Response:
    """Add a private note on a member."""
    try:
        notes.add_note(current_user, members.get_member(user_id), request.form.get("body", ""))
        flash("Note saved.", "success")
    except ValidationFailed as exc:
        flash(problem(exc), "error")
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
    access_levels.change_access(current_user, members.get_member(user_id), access)
    flash(f"Access is now {access.value}.", "success")
    return _back_to_member(user_id)


@bp.post("/profiles/<int:profile_id>/verification")
@moderator_required
def verify(profile_id: int) -> Response:
    """Mark a profile's role verified."""
    profile = profiles.get_profile(profile_id)
    try:
        verification.verify_role(current_user, profile, request.form.get("method", ""))
        flash(f"{profile.display_name}'s role is verified.", "success")
    except ValidationFailed as exc:
        flash(problem(exc), "error")
    back = request.form.get("back", "")
    fallback = url_for("web.profile", profile_id=profile.id)
    return redirect(back if back.startswith("/moderation/") else fallback)
