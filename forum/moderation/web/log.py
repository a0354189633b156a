"""Render the audit log for moderators, newest first, filtered and paged."""

from __future__ import annotations

from flask import render_template, request

from forum.moderation.http.audit_text import sentence
from forum.moderation.http.guards import moderator_required
from forum.moderation.services import audit_log
from forum.moderation.web import bp, int_or_none
from forum.platform.errors import ValidationFailed
from forum.platform.ids import parse_id

LOG_PER_PAGE = 100


@bp.get("/log")
@moderator_required
def log_page() -> str | tuple[str, int]:
    """Show the audit log in sentences, newest first, filtered by comment, member or moderator;
    ``?entry=<id>`` shows one entry in full (hashes, raw before and after).

    :raises NotFound: for an entry that does not exist.
    """
    filters: dict[str, int | None] = {"comment": int_or_none("comment")}
    errors: dict[str, list[str]] = {}
    for name in ("member", "moderator"):  # an id, or a name or email
        raw = (request.args.get(name) or "").strip()
        filters[name] = parse_id(raw)
        if raw and filters[name] is None:
            try:
                filters[name] = audit_log.find_account(raw[:254])
            except ValidationFailed as exc:
                errors[name] = exc.errors["person"]
    wanted = int_or_none("entry")
    if wanted is not None:  # one entry in full: its hashes and raw before and after
        found = audit_log.entry(wanted)
        people = audit_log.account_names({i for i in (found.actor_id, found.member_id) if i})
        return render_template("moderation/log_entry.html", entry=found, people=people, sentence=sentence)
    before = int_or_none("before")
    entries = audit_log.audit_entries(
        filters["comment"], filters["member"], filters["moderator"], LOG_PER_PAGE + 1, before
    )
    older = entries[LOG_PER_PAGE].id + 1 if len(entries) > LOG_PER_PAGE else None
    entries = entries[:LOG_PER_PAGE]
    people = audit_log.account_names(
        {e.actor_id for e in entries if e.actor_id} | {e.member_id for e in entries if e.member_id}
    )
    return render_template(
        "moderation/log.html",
        entries=entries,
        filters=filters,
        people=people,
        older=older,
        before=before,
        sentence=sentence,
        errors=errors,
        raw={name: request.args.get(name, "") for name in ("member", "moderator")},
    ), (422 if errors else 200)
