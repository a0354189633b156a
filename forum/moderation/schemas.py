"""Load moderation requests and dump the queue, reports, sanctions, notes, the log and notifications."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from forum.accounts.models import Access, SanctionKind
from forum.accounts.schemas import AuthorSchema
from forum.discussion.models import RejectReason
from forum.discussion.schemas import HelpSchema
from forum.moderation.models import FlagReason, SafeguardingOutcome
from forum.moderation.services.decision_form import Action
from forum.platform.fields import Id, Line, Text

REJECT_REASONS = [r.value for r in RejectReason]
FLAG_REASONS = [r.value for r in FlagReason]


class DecisionSchema(Schema):
    """One decision on a queued comment."""

    action = fields.String(
        required=True,
        validate=validate.OneOf([a.value for a in Action]),
        metadata={
            "description": "approve, reject or redact (edit and approve) a queued comment; edit or remove "
            "(take down) a published one; approve_edit or reject_edit a held edit; uphold or dismiss an "
            "appeal (by a moderator other than the one who made the decision)"
        },
    )
    reason = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(REJECT_REASONS),
        metadata={"description": "Required to reject, remove or reject_edit: " + ", ".join(REJECT_REASONS)},
    )
    note = Text(
        load_default=None,
        allow_none=True,
        max_length=2000,
        metadata={"description": "Shown to the author with the decision"},
    )
    body = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=10_000),
        metadata={"description": "Required to redact or edit: the text to publish instead"},
    )


class BulkDecisionSchema(Schema):
    """The same decision on several comments, all or nothing."""

    comment_ids = fields.List(Id(), required=True, validate=validate.Length(min=1, max=200))
    action = fields.String(required=True, validate=validate.OneOf(["approve", "reject"]))
    reason = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(REJECT_REASONS))
    note = Text(load_default=None, allow_none=True, max_length=2000)


class FlagCreateSchema(Schema):
    """A member's report of a published comment."""

    reason = fields.String(required=True, validate=validate.OneOf(FLAG_REASONS))
    note = Text(load_default=None, allow_none=True, max_length=1000)


class FlagSchema(Schema):
    """A report, as moderators see it."""

    id = fields.Integer()
    comment_id = fields.Integer()
    reason = fields.String()
    note = fields.String(allow_none=True)
    status = fields.String()
    created_at = fields.DateTime()
    help = fields.Nested(HelpSchema, metadata={"description": "For a report that someone may be at risk"})


class RuleHitSchema(Schema):
    """A rule that held a comment and what it matched."""

    rule = fields.String()
    matched = fields.String()
    start = fields.Integer()
    end = fields.Integer()


class AuthorRecordSchema(Schema):
    """The author's record so far."""

    member_id = fields.Integer(allow_none=True, attribute="user_id")
    approved = fields.Integer()
    rejected = fields.Integer()
    flags = fields.Integer()


class QueuedCommentSchema(Schema):
    """A comment in the queue."""

    id = fields.Integer()
    article = fields.String(metadata={"description": "The article's slug"})
    article_title = fields.String()
    parent_id = fields.Integer(allow_none=True)
    author = fields.Nested(AuthorSchema)
    body = fields.String()
    body_html = fields.String()
    status = fields.String()
    held_because = fields.String(allow_none=True)
    created_at = fields.DateTime()


class ParentSchema(Schema):
    """The comment replied to, for context."""

    id = fields.Integer()
    author = fields.String()
    body = fields.String()


class HeldEditItemSchema(Schema):
    """An edit waiting for a moderator: the published text and the proposed one."""

    id = fields.Integer()
    old_body = fields.String(metadata={"description": "What readers see now"})
    new_body = fields.String(metadata={"description": "What the author wants it to say"})
    held_because = fields.String(allow_none=True)
    created_at = fields.DateTime()


class QueueAppealSchema(Schema):
    """An appeal waiting in the queue."""

    id = fields.Integer()
    note = fields.String()
    status = fields.String()
    created_at = fields.DateTime()
    appealed_decider_id = fields.Integer(allow_none=True, metadata={"description": "May not decide it"})


class QueueItemSchema(Schema):
    """One entry of the queue."""

    kind = fields.String(metadata={"description": "safeguarding (first), flagged, pending, edit or appeal"})
    why = fields.String(allow_none=True, metadata={"description": "Why it waits, for moderators"})
    edit = fields.Nested(HeldEditItemSchema, allow_none=True)
    appeal = fields.Nested(QueueAppealSchema, allow_none=True)
    comment = fields.Nested(QueuedCommentSchema)
    parent = fields.Nested(ParentSchema, allow_none=True)
    author_record = fields.Nested(AuthorRecordSchema)
    rule_hits = fields.List(fields.Nested(RuleHitSchema))
    flags = fields.List(fields.Nested(FlagSchema))
    safeguarding = fields.Nested(lambda: SafeguardingCaseSchema(), allow_none=True)


class QueueSchema(Schema):
    """A page of the queue, by kind's priority then oldest first."""

    count = fields.Integer(metadata={"description": "Items on this page"})
    total = fields.Integer(metadata={"description": "Items matching the filter in the whole queue"})
    next_cursor = fields.String(allow_none=True, metadata={"description": "Pass as ?after=; null at the end"})
    items = fields.List(fields.Nested(QueueItemSchema))


class QueueArgsSchema(Schema):
    """The queue's filters and cursor (as the queue page's)."""

    kind = fields.String(load_default=None, metadata={"description": "reported, pending, edit or appeal"})
    reason = fields.String(
        load_default=None, metadata={"description": "What held it or what it was reported as"}
    )
    member = fields.String(
        load_default=None,
        validate=validate.Length(max=254),
        metadata={"description": "Only this member's comments: their name, email or account number"},
    )
    after = fields.String(load_default=None, validate=validate.Length(max=200))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class AppealCreateSchema(Schema):
    """An author's appeal against a decision."""

    note = Text(required=True, max_length=2000, blank="Say why the decision should be changed.")


class AppealSchema(Schema):
    """An appeal."""

    id = fields.Integer()
    comment_id = fields.Integer()
    note = fields.String()
    status = fields.String()
    created_at = fields.DateTime()
    decided_at = fields.DateTime(allow_none=True)
    decision_note = fields.String(allow_none=True)


class DecisionResultSchema(Schema):
    """What a decision left."""

    id = fields.Integer()
    status = fields.String()
    reject_reason = fields.String(allow_none=True)
    decision_note = fields.String(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)


class BulkResultSchema(Schema):
    """What a bulk decision left."""

    decided = fields.List(fields.Nested(DecisionResultSchema))


class SanctionCreateSchema(Schema):
    """Suspend (for days) or ban a member."""

    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in SanctionKind]))
    days = fields.Integer(
        load_default=None,
        allow_none=True,
        metadata={"description": "Suspensions (required) and pre-moderation (optional: until lifted)"},
    )
    reason = Text(required=True, max_length=1000, blank="Say why; the member will see it.")


class LiftArgsSchema(Schema):
    """Which sanctions to lift (all in force when absent)."""

    kind = fields.String(load_default=None, validate=validate.OneOf([k.value for k in SanctionKind]))


class SanctionSchema(Schema):
    """A sanction."""

    id = fields.Integer()
    kind = fields.String()
    reason = fields.String()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime(allow_none=True)
    lifted_at = fields.DateTime(allow_none=True)


class NoteCreateSchema(Schema):
    """A private note on a member."""

    body = Text(required=True, max_length=5000, blank="Write the note first.")


class NoteSchema(Schema):
    """A private note."""

    id = fields.Integer()
    author_id = fields.Integer()
    body = fields.String()
    created_at = fields.DateTime()


class MemberSchema(Schema):
    """A member as moderators see them."""

    id = fields.Integer()
    email = fields.String()
    access = fields.String()
    profile = fields.Nested(AuthorSchema)
    record = fields.Nested(AuthorRecordSchema)
    active_sanction = fields.Nested(
        SanctionSchema, allow_none=True, metadata={"description": "A suspension or ban in force"}
    )
    premoderated = fields.Nested(
        SanctionSchema,
        allow_none=True,
        metadata={"description": 'An "always pre-moderate" sanction in force'},
    )
    sanctions = fields.List(fields.Nested(SanctionSchema))
    notes = fields.List(fields.Nested(NoteSchema))


class VerifySchema(Schema):
    """How a role was checked."""

    method = Line(required=True, max_length=300, blank="Say how the role was checked (e.g. GMC register).")


class AccessSchema(Schema):
    """A new access level."""

    access = fields.String(required=True, validate=validate.OneOf([a.value for a in Access]))


class BannedWordCreateSchema(Schema):
    """A word or phrase to hold for review."""

    word = Line(required=True, max_length=100, blank="Enter a word or phrase.")


class BannedWordSchema(Schema):
    """A banned word."""

    id = fields.Integer()
    word = fields.String()
    created_at = fields.DateTime()


class AuditEntrySchema(Schema):
    """One entry of the audit log."""

    id = fields.Integer()
    created_at = fields.DateTime()
    actor_id = fields.Integer(
        allow_none=True, metadata={"description": "null: the command line or the system"}
    )
    action = fields.String()
    target_type = fields.String()
    target_id = fields.Integer()
    comment_id = fields.Integer(allow_none=True)
    member_id = fields.Integer(allow_none=True)
    reason = fields.String(allow_none=True)
    before = fields.Raw(allow_none=True)
    after = fields.Raw(allow_none=True)
    prev_hash = fields.String()
    entry_hash = fields.String()


class LogArgsSchema(Schema):
    """Filters of the audit log."""

    comment = Id(load_default=None)
    member = Id(load_default=None)
    moderator = Id(load_default=None)
    limit = fields.Integer(load_default=200, validate=validate.Range(min=1, max=1000))
    before = Id(load_default=None, metadata={"description": "Page back: entries older than this entry id"})


class SafeguardingCaseSchema(Schema):
    """A comment that says someone may be at risk, and what moderators did about it."""

    comment_id = fields.Integer()
    source = fields.String(metadata={"description": "detected (by the risk signals) or report"})
    signals = fields.List(
        fields.String(),
        attribute="signal_names",
        metadata={"description": "suicide, self_harm, harm_others, abuse, emergency"},
    )
    opened_at = fields.DateTime()
    first_read_at = fields.DateTime(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    outcome = fields.Function(lambda c: c.outcome.value if c.outcome else None, allow_none=True)
    referred_to = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    support_sent_at = fields.DateTime(allow_none=True)


class SafeguardingListSchema(Schema):
    """Open safeguarding items (oldest first), the latest outcomes, and who is on call."""

    open = fields.List(fields.Nested(SafeguardingCaseSchema))
    decided = fields.List(fields.Nested(SafeguardingCaseSchema))
    on_call = fields.List(fields.Integer(), metadata={"description": "The on-call moderators' user ids"})


class SafeguardingOutcomeSchema(Schema):
    """A moderator's safeguarding outcome."""

    outcome = fields.String(
        required=True,
        validate=validate.OneOf([o.value for o in SafeguardingOutcome]),
        metadata={"example": "support_sent"},
    )
    referred_to = Line(load_default=None, allow_none=True, max_length=200)
    note = Text(load_default=None, allow_none=True, max_length=2000)
    send_support = fields.Boolean(load_default=False)
    message = Text(load_default=None, allow_none=True, max_length=2000)


class WaitingSchema(Schema):
    kind = fields.String()
    label = fields.String()
    count = fields.Integer()
    oldest = fields.DateTime(allow_none=True)
    oldest_wait_seconds = fields.Integer(allow_none=True)


class DashboardSchema(Schema):
    """The moderators' dashboard."""

    now = fields.DateTime()
    waiting = fields.List(fields.Nested(WaitingSchema))
    safeguarding_open = fields.Integer()
    safeguarding_unread = fields.Integer()
    median_seconds_to_first_read = fields.Integer(allow_none=True)
    median_seconds_to_decision = fields.Integer(allow_none=True)
    safeguarding_decided = fields.Integer(metadata={"description": "In the last 30 days"})
    decisions_per_day = fields.List(fields.Dict(), metadata={"description": "[{date, count}], 30 days"})


class MemberListArgsSchema(Schema):
    """Find members: by name or email, one filter, a page."""

    q = fields.String(load_default="", validate=validate.Length(max=200))
    filter = fields.String(load_default=None, allow_none=True)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))


class MemberRowSchema(Schema):
    user_id = fields.Integer()
    display_name = fields.String()
    email = fields.String()
    access = fields.String()
    approved = fields.Integer()
    open_reports = fields.Integer()
    sanctions = fields.String(metadata={"description": "The kinds in force, comma-separated"})


class MemberListSchema(Schema):
    """A page of the moderators' member list, by name."""

    members = fields.List(fields.Nested(MemberRowSchema), attribute="rows")
    total = fields.Integer()
    page = fields.Integer()
    pages = fields.Integer()
