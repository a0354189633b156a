"""Serve the moderation queue, decisions, members, banned words and the audit log (moderators only)."""

from __future__ import annotations

from typing import Any

from flask_login import current_user, login_required
from flask_smorest import Blueprint

from forum.accounts.models import Access, SanctionKind
from forum.accounts.schemas import AuthorSchema
from forum.accounts.services import profiles
from forum.moderation.http import presenters as present
from forum.moderation.http.guards import admin_required, moderator_required
from forum.moderation.schemas import (
    AccessSchema,
    AppealCreateSchema,
    AppealSchema,
    AuditEntrySchema,
    BannedWordCreateSchema,
    BannedWordSchema,
    BulkDecisionSchema,
    BulkResultSchema,
    DecisionResultSchema,
    DecisionSchema,
    FlagCreateSchema,
    FlagSchema,
    LiftArgsSchema,
    LogArgsSchema,
    MemberSchema,
    NoteCreateSchema,
    NoteSchema,
    QueueArgsSchema,
    QueueSchema,
    SanctionCreateSchema,
    SanctionSchema,
    VerifySchema,
)
from forum.moderation.services import (
    access,
    appeals,
    audit_log,
    banned_words,
    decisions,
    members,
    notes,
    reports,
    review_queue,
    sanctions,
    verification,
)

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
def get_queue(args: dict[str, Any]) -> dict[str, Any]:
    """List what waits, as the queue page orders it (by kind's priority, then oldest first), with
    context, history, rule hits, reports, held edits and appeals; filter by kind and reason, page by
    cursor (``after`` = the ``next_cursor`` you were given)."""
    wanted = review_queue.QueueFilter.parse(args.get("kind"), args.get("reason"), args.get("member"))
    found = review_queue.load_queue_after(wanted, args.get("after"), args["limit"])
    return {
        "count": len(found.items),
        "total": found.total,
        "next_cursor": found.next_cursor,
        "items": [present.queue_item(i) for i in found.items],
    }


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


@blp.get("/members/<int:user_id>")
@moderator_required
@blp.response(200, MemberSchema)
@blp.alt_response(404, description="No such member")
@_guarded
def member(user_id: int) -> dict[str, Any]:
    """Show a member's record, sanctions and the moderators' private notes."""
    return present.member(members.get_member(user_id))


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


@reports_blp.post("/comments/<int:comment_id>/flags")
@login_required
@reports_blp.arguments(FlagCreateSchema)
@reports_blp.response(201, FlagSchema)
@reports_blp.alt_response(401, description="Not logged in")
@reports_blp.alt_response(403, description="Your own comment, or you are suspended")
@reports_blp.alt_response(404, description="No such published comment")
@reports_blp.alt_response(409, description="You already reported it")
def flag(data: dict[str, Any], comment_id: int) -> Any:
    """Report a published comment to the moderators (once per member)."""
    return reports.flag(current_user, comment_id, data["reason"], data.get("note"))
