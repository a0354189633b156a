"""Serve the moderation queue, decisions, members, banned words and the audit log (moderators only)."""

from __future__ import annotations

from typing import Any

import orjson
from flask import Response
from flask_login import current_user, login_required
from flask_smorest import Blueprint

from forum.accounts.models import Access, SanctionKind
from forum.accounts.schemas import AuthorSchema
from forum.accounts.services import profiles
from forum.discussion.http.presenters import help_json
from forum.moderation.http import presenters as present
from forum.moderation.http import queue_copies, queue_json
from forum.moderation.http.guards import admin_required, moderator_required
from forum.moderation.models import FlagReason
from forum.moderation.schemas import (
    AccessSchema,
    AppealCreateSchema,
    AppealSchema,
    AuditEntrySchema,
    BannedWordCreateSchema,
    BannedWordSchema,
    BulkDecisionSchema,
    BulkResultSchema,
    DashboardSchema,
    DecisionResultSchema,
    DecisionSchema,
    FlagCreateSchema,
    FlagSchema,
    LiftArgsSchema,
    LogArgsSchema,
    MemberListArgsSchema,
    MemberListSchema,
    MemberSchema,
    NoteCreateSchema,
    NoteSchema,
    QueueArgsSchema,
    QueueSchema,
    SafeguardingCaseSchema,
    SafeguardingListSchema,
    SafeguardingOutcomeSchema,
    SanctionCreateSchema,
    SanctionSchema,
    VerifySchema,
)
from forum.moderation.services import (
    access,
    appeals,
    audit_log,
    banned_words,
    dashboard,
    decisions,
    members,
    notes,
    queue_rows,
    reports,
    review_queue,
    safeguarding,
    sanctions,
    verification,
)
from forum.platform.http.transactions import after_read

blp = Blueprint(
    "moderation_api",
    __name__,
    url_prefix="/api/v1/moderation",
    description="Moderation: queue, decisions, members, banned words and the audit log",
)
reports_blp = Blueprint("reports_api", __name__, url_prefix="/api/v1", description="Reports")
GUARDED = {401: "Not logged in", 403: "Not a moderator"}


def _guarded(func: Any) -> Any:
    for status, description in GUARDED.items():
        func = blp.alt_response(status, description=description)(func)
    return func


@blp.get("/queue")
@moderator_required
@blp.arguments(QueueArgsSchema, location="query")
@blp.response(200, QueueSchema)
@blp.alt_response(422, description="A kind, reason or cursor not on the lists")
@_guarded
def get_queue(args: dict[str, Any]) -> Response:
    """List what waits, as the queue page orders it (by kind's priority, then oldest first), with
    context, history, rule hits, reports, held edits and appeals; filter by kind and reason, page by
    cursor (``after`` = the ``next_cursor`` you were given)."""
    wanted = review_queue.QueueFilter.parse(args.get("kind"), args.get("reason"), args.get("member"))

    def build() -> bytes:
        found = queue_rows.load_rows_after(wanted, args.get("after"), args["limit"])
        # Rows and orjson, not ORM objects and QueueSchema (bench/queue_json.py);
        # tests/functional/test_queue_json.py holds it equal to the schema's dump.
        return orjson.dumps(queue_json.queue(found))

    # On PostgreSQL, this worker's copy while nothing the queue shows has changed (queue_copies.py).
    return Response(queue_copies.answer(build), mimetype="application/json")


@blp.post("/comments/<int:comment_id>/decision")
@moderator_required
@blp.arguments(DecisionSchema)
@blp.response(200, DecisionResultSchema)
@blp.alt_response(404, description="No such comment")
@blp.alt_response(409, description="Already decided (perhaps by another moderator)")
@blp.alt_response(422, description="A rejection needs a reason; a redaction needs text")
@_guarded
def decide(data: dict[str, Any], comment_id: int) -> dict[str, Any]:
    """Approve, reject (with a reason) or approve with a redaction; the decision is logged."""
    comment = decisions.decide(current_user, comment_id, decisions.parse_decision(data))
    return present.decision(comment)


@blp.post("/decisions")
@moderator_required
@blp.arguments(BulkDecisionSchema)
@blp.response(200, BulkResultSchema)
@blp.alt_response(404, description="One of them does not exist: none were decided")
@blp.alt_response(409, description="One of them was already decided: none were")
@blp.alt_response(422, description="Bad selection or missing reason")
@_guarded
def decide_many(data: dict[str, Any]) -> dict[str, Any]:
    """Approve or reject several comments at once, all or nothing."""
    decision = decisions.parse_decision(data)
    decided = decisions.decide_many(current_user, data["comment_ids"], decision)
    return {"decided": [present.decision(c) for c in decided]}


@reports_blp.post("/comments/<int:comment_id>/appeal")
@login_required
@reports_blp.arguments(AppealCreateSchema)
@reports_blp.response(201, AppealSchema)
@reports_blp.alt_response(401, description="Not logged in")
@reports_blp.alt_response(403, description="Not your comment, not refused, or already appealed")
@reports_blp.alt_response(404, description="No such comment")
def appeal(data: dict[str, Any], comment_id: int) -> Any:
    """Appeal once against the rejection or take-down of your comment; another moderator decides."""
    return appeals.appeal(current_user, comment_id, data.get("note"))


@blp.get("/members")
@moderator_required
@blp.arguments(MemberListArgsSchema, location="query")
@blp.response(200, MemberListSchema)
@blp.alt_response(422, description="A filter not on the list")
@_guarded
def member_list(args: dict[str, Any]) -> Any:
    """Find members by name or email, narrowed by premoderated, trusted, sanctioned or reported; 50 a page."""
    return members.find_members(args["q"], args["filter"], args["page"])


@blp.get("/members/<int:user_id>")
@moderator_required
@blp.response(200, MemberSchema)
@blp.alt_response(404, description="No such member")
@_guarded
def member(user_id: int) -> dict[str, Any]:
    """Show a member's record, sanctions and the moderators' private notes (the view is recorded, and
    listed in the member's download of their data)."""
    found = members.get_member(user_id)
    moderator = current_user._get_current_object()
    after_read(lambda: members.record_view(moderator, found, "member record (API)"))
    return present.member(found)


@blp.post("/members/<int:user_id>/sanctions")
@moderator_required
@blp.arguments(SanctionCreateSchema)
@blp.response(201, SanctionSchema)
@blp.alt_response(422, description="Missing reason or length")
@_guarded
def sanction(data: dict[str, Any], user_id: int) -> Any:
    """Suspend a member for some days, ban them, or pre-moderate them (``premoderation``: every post and
    edit waits for a moderator; ``days`` optional), with a reason they will see."""
    target = members.get_member(user_id)
    return sanctions.sanction(
        current_user, target, SanctionKind(data["kind"]), data["reason"], data.get("days")
    )


@blp.delete("/members/<int:user_id>/sanctions")
@moderator_required
@blp.arguments(LiftArgsSchema, location="query")
@blp.response(204)
@blp.alt_response(409, description="No sanction (of that kind) in force")
@_guarded
def lift(args: dict[str, Any], user_id: int) -> None:
    """Lift a member's sanctions in force (``?kind=`` only that kind: premoderation, suspension, ban)."""
    kind = SanctionKind(args["kind"]) if args.get("kind") else None
    sanctions.lift(current_user, members.get_member(user_id), kind)


@blp.post("/members/<int:user_id>/notes")
@moderator_required
@blp.arguments(NoteCreateSchema)
@blp.response(201, NoteSchema)
@_guarded
def add_note(data: dict[str, Any], user_id: int) -> Any:
    """Keep a private note on a member."""
    return notes.add_note(current_user, members.get_member(user_id), data["body"])


@blp.put("/members/<int:user_id>/access")
@admin_required
@blp.arguments(AccessSchema)
@blp.response(200, MemberSchema)
@_guarded
def set_access(data: dict[str, Any], user_id: int) -> dict[str, Any]:
    """Change a member's access level (admins only)."""
    target = access.change_access(current_user, members.get_member(user_id), Access(data["access"]))
    return present.member(target)


@blp.post("/profiles/<int:profile_id>/verification")
@moderator_required
@blp.arguments(VerifySchema)
@blp.response(200, AuthorSchema)
@_guarded
def verify(data: dict[str, Any], profile_id: int) -> Any:
    """Mark a profile's role as verified, saying how it was checked."""
    return verification.verify_role(current_user, profiles.get_profile(profile_id), data["method"])


@blp.get("/banned-words")
@moderator_required
@blp.response(200, BannedWordSchema(many=True))
@_guarded
def list_banned_words() -> Any:
    """List the words that hold a comment for review."""
    return banned_words.list_words()


@blp.post("/banned-words")
@admin_required
@blp.arguments(BannedWordCreateSchema)
@blp.response(201, BannedWordSchema)
@blp.alt_response(409, description="Already listed")
@_guarded
def add_banned_word(data: dict[str, Any]) -> Any:
    """Add a word or phrase (admins only)."""
    return banned_words.add_word(current_user, data["word"])


@blp.delete("/banned-words/<int:word_id>")
@admin_required
@blp.response(204)
@_guarded
def remove_banned_word(word_id: int) -> None:
    """Remove a word (admins only)."""
    banned_words.remove_word(current_user, word_id)


@blp.get("/log")
@moderator_required
@blp.arguments(LogArgsSchema, location="query")
@blp.response(200, AuditEntrySchema(many=True))
@_guarded
def log(args: dict[str, Any]) -> list[dict[str, Any]]:
    """Read the audit log, newest first; filter by comment, member or moderator."""
    entries = audit_log.audit_entries(
        args["comment"], args["member"], args["moderator"], args["limit"], args["before"]
    )
    return [present.audit_entry(e) for e in entries]


@blp.get("/dashboard")
@moderator_required
@blp.response(200, DashboardSchema)
@_guarded
def get_dashboard() -> dict[str, Any]:
    """What waits by kind and the oldest wait, safeguarding times (30 days), decisions per day."""
    return present.dashboard(dashboard.build())


@blp.get("/safeguarding")
@moderator_required
@blp.response(200, SafeguardingListSchema)
@_guarded
def get_safeguarding() -> dict[str, Any]:
    """Open safeguarding items oldest first, the latest 30 outcomes, and the on-call moderators."""
    return {
        "open": [row.case for row in safeguarding.list_cases(open_only=True)],
        "decided": [row.case for row in safeguarding.list_cases(open_only=False, limit=30)],
        "on_call": safeguarding.on_call_ids(),
    }


@blp.post("/safeguarding/<int:comment_id>/read")
@moderator_required
@blp.response(204)
@_guarded
def read_safeguarding(comment_id: int) -> None:
    """Say a person is reading the item now (its first read; later ones change nothing)."""
    safeguarding.mark_read(current_user, [comment_id])


@blp.post("/safeguarding/<int:comment_id>/outcome")
@moderator_required
@blp.arguments(SafeguardingOutcomeSchema)
@blp.response(200, SafeguardingCaseSchema)
@blp.alt_response(404, description="The comment has no safeguarding item")
@blp.alt_response(422, description="Unknown outcome, a referral without whom, or a message missing")
@_guarded
def record_safeguarding_outcome(data: dict[str, Any], comment_id: int) -> Any:
    """Record the outcome (no_concern, support_sent, referred) and optionally message the author."""
    return safeguarding.record_outcome(current_user, comment_id, safeguarding.Outcome(**data))


@reports_blp.post("/comments/<int:comment_id>/flags")
@login_required
@reports_blp.arguments(FlagCreateSchema)
@reports_blp.response(201, FlagSchema)
@reports_blp.alt_response(401, description="Not logged in")
@reports_blp.alt_response(403, description="Your own comment, or you are suspended")
@reports_blp.alt_response(404, description="No such published comment")
@reports_blp.alt_response(409, description="You already reported it")
def flag(data: dict[str, Any], comment_id: int) -> Any:
    """Report a published comment to the moderators (once per member).

    A report that someone may be at risk puts the comment at the top of the queue and alerts the
    on-call moderators; the answer then carries where to get help now (``help``).
    """
    row = reports.flag(current_user, comment_id, data["reason"], data.get("note"))
    if row.reason is not FlagReason.AT_RISK:
        return row
    fields = ("id", "comment_id", "reason", "note", "status", "created_at")
    return {**{name: getattr(row, name) for name in fields}, "help": help_json(safeguarding.REPORT_THANKS)}
