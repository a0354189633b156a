"""Decide comments: approve, reject or redact queued ones; edit or take down published ones; bulk.

Every decision is written with its audit entry in the same transaction, and the comment's
version column makes two moderators deciding at once a conflict rather than a double decision.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import contains_eager
from sqlalchemy.orm.exc import StaleDataError

from forum import permissions
from forum.accounts.models import User
from forum.accounts.services.viewer import viewer_of
from forum.discussion.models import Comment, CommentRevision, CommentStatus, RejectReason
from forum.discussion.services import replies
from forum.discussion.services.text import normalise_comment, render_comment
from forum.moderation.models import Flag, FlagStatus, RuleHit
from forum.moderation.services import audit
from forum.notifications.services import notices
from forum.platform import validation
from forum.platform.database import db
from forum.platform.errors import Conflict, NotFound, ValidationFailed
from forum.platform.models import utcnow

MAX_BULK = 200
NOTE_MAX = 2000  # a decision's note to the author


class Action(enum.StrEnum):
    """What a moderator can do with a queued comment."""

    APPROVE = "approve"
    REJECT = "reject"
    REDACT = "redact"
    REMOVE = "remove"  # take down a published comment
    EDIT = "edit"  # change a published comment's text (shown as edited by a moderator)


class AlreadyDecided(Conflict):
    """Someone else decided the comment first."""

    default_message = "This comment has already been decided, perhaps by another moderator. Reload the queue."


@dataclass(frozen=True)
class Decision:
    """A moderator's decision as received from a form or the API."""

    action: Action
    reason: RejectReason | None = None
    note: str | None = None
    body: str | None = None


def parse_decision(data: dict[str, Any]) -> Decision:
    """Check a decision's fields together.

    :raises ValidationFailed: for an unknown action, a rejection without a reason from the list,
        or a redaction without text.
    """
    errors: dict[str, list[str]] = {}
    try:
        action = Action(str(data.get("action") or ""))
    except ValueError:
        raise ValidationFailed(
            errors={"action": ["Choose approve, reject, redact, edit or remove."]}
        ) from None
    reason = None
    if action in (Action.REJECT, Action.REMOVE):
        try:
            reason = RejectReason(str(data.get("reason") or ""))
        except ValueError:
            errors["reason"] = ["Choose a reason: off topic, abusive, personal data, spam or other."]
    body = data.get("body")
    if action in (Action.REDACT, Action.EDIT) and not normalise_comment(body or ""):
        errors["body"] = ["Give the text to publish in place of the original."]
    note = None
    try:
        note = validation.text(data.get("note"), "note", max_length=NOTE_MAX)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors=errors)
    return Decision(action, reason, note, normalise_comment(body) if body else None)


def _load(comment_id: int) -> Comment:
    comment = db.session.scalar(
        select(Comment)
        .join(Comment.author)
        .join(Comment.article)
        .options(contains_eager(Comment.author), contains_eager(Comment.article))
        .where(Comment.id == comment_id)
    )
    if comment is None:
        raise NotFound("There is no such comment.")
    return comment


def _open_flags(comment_id: int) -> list[Flag]:
    return list(
        db.session.scalars(select(Flag).where(Flag.comment_id == comment_id, Flag.status == FlagStatus.OPEN))
    )


def _snapshot(comment: Comment) -> dict[str, Any]:
    return {
        "status": comment.status.value,
        "reject_reason": comment.reject_reason.value if comment.reject_reason else None,
        "body_sha256": hashlib.sha256(comment.body.encode()).hexdigest(),
    }


def _check_applicable(comment: Comment, flags: list[Flag], action: Action) -> None:
    """Refuse a decision that no longer fits the comment's state (someone decided it already)."""
    queued = comment.status == CommentStatus.PENDING or bool(flags)
    published = comment.status == CommentStatus.APPROVED
    if comment.deleted_at is not None:
        raise AlreadyDecided("Its author has deleted this comment.")
    if action in (Action.REMOVE, Action.EDIT):
        if not published:
            raise AlreadyDecided("This comment is not published; decide it in the queue instead.")
    elif not queued:  # a queue decision on something no longer queued: someone got there first
        raise AlreadyDecided()


def decide(moderator: User, comment_id: int, decision: Decision) -> Comment:
    """Apply one decision: to a queued comment (pending, or published with open reports), or redact
    or take down a published one.

    :raises NotFound: when the comment does not exist.
    :raises AlreadyDecided: when the decision no longer fits (another moderator got there first).
    """
    permissions.ensure_can_moderate(viewer_of(moderator))
    comment = _load(comment_id)
    author_access = db.session.scalar(select(User.access).where(User.profile_id == comment.author_id))
    permissions.ensure_can_act_on(
        viewer_of(moderator), author_access, own=comment.author_id == moderator.profile_id
    )
    flags = _open_flags(comment.id)
    _check_applicable(comment, flags, decision.action)
    before = _snapshot(comment)
    was_published = comment.status == CommentStatus.APPROVED or comment.hidden_by_flags_at is not None
    moderator_id, moderator_profile_id = moderator.id, moderator.profile_id
    now = utcnow()
    redacted = (
        decision.action in (Action.REDACT, Action.EDIT)
        and decision.body is not None
        and decision.body != comment.body
    )
    if decision.action == Action.EDIT and not redacted:
        raise ValidationFailed(errors={"body": ["The text is unchanged."]})
    with db.session.no_autoflush:  # nothing reaches the database before the version check below
        if decision.action in (Action.REJECT, Action.REMOVE):
            comment.status = CommentStatus.REMOVED if was_published else CommentStatus.REJECTED
            comment.reject_reason = decision.reason
        else:
            comment.status = CommentStatus.APPROVED
            comment.reject_reason = None
            comment.hidden_by_flags_at = None
        if redacted and decision.body is not None:
            db.session.add(
                CommentRevision(
                    comment_id=comment.id,
                    editor_id=moderator_profile_id,
                    body=comment.body,
                    body_html=comment.body_html,
                )
            )
            comment.body = decision.body
            comment.body_html = render_comment(decision.body)
            comment.redacted_at = now
        comment.decided_by_id = moderator_id
        comment.decided_at = now
        comment.decision_note = decision.note
        comment.held_because = None
    try:
        db.session.flush()
    except StaleDataError as exc:
        raise AlreadyDecided() from exc
    if redacted:
        db.session.execute(delete(RuleHit).where(RuleHit.comment_id == comment.id))
    flag_status = FlagStatus.DISMISSED if decision.action == Action.APPROVE else FlagStatus.UPHELD
    if flags:
        db.session.execute(
            update(Flag)
            .where(Flag.id.in_([f.id for f in flags]))
            .values(status=flag_status, resolved_by_id=moderator_id, resolved_at=now)
        )
    action = {
        Action.APPROVE: "comment.approved",
        Action.REDACT: "comment.redacted",
        Action.EDIT: "comment.redacted",
    }.get(decision.action, "comment.removed" if was_published else "comment.rejected")
    member_id = db.session.scalar(select(User.id).where(User.profile_id == comment.author_id))
    audit.record(
        moderator,
        action,
        target_type="comment",
        target_id=comment.id,
        comment_id=comment.id,
        member_id=member_id,
        reason=_reason_text(decision, flags, flag_status),
        before=before,
        after=_snapshot(comment),
    )
    notices.notify_author(comment.author_id, comment.id, action, _message(comment, decision))
    if comment.status == CommentStatus.APPROVED and not was_published:  # published for the first time
        replies.notify_parent_author(comment, comment.author.display_name, comment.article.title)
    return comment


def _reason_text(decision: Decision, flags: list[Flag], flag_status: FlagStatus) -> str | None:
    parts = []
    if decision.reason:
        parts.append(decision.reason.value)
    if decision.note:
        parts.append(decision.note)
    if flags:
        parts.append(f"{len(flags)} report(s) {flag_status.value}")
    return "; ".join(parts) or None


def _message(comment: Comment, decision: Decision) -> str:
    title = comment.article.title
    if decision.action == Action.APPROVE:
        return f"Your comment on “{title}” is published."
    if decision.action in (Action.REDACT, Action.EDIT):
        return f"Your comment on “{title}” is published, with changes by a moderator."
    reason = decision.reason.label.lower() if decision.reason else "other"
    verb = "was taken down" if comment.status == CommentStatus.REMOVED else "was not published"
    note = f" The moderator said: {decision.note}" if decision.note else ""
    return f"Your comment on “{title}” {verb} (reason: {reason}).{note}"


def decide_many(moderator: User, comment_ids: list[int], decision: Decision) -> list[Comment]:
    """Apply one decision to several comments: all of them, or none if any cannot be decided.

    :raises ValidationFailed: for an empty or oversized selection, or a redaction (one at a time).
    :raises AlreadyDecided: when any of them is no longer in the queue.
    """
    permissions.ensure_can_moderate(viewer_of(moderator))
    ids = list(dict.fromkeys(comment_ids))
    if not ids or len(ids) > MAX_BULK:
        raise ValidationFailed(errors={"comment_ids": [f"Select between 1 and {MAX_BULK} comments."]})
    if decision.action == Action.REDACT:
        raise ValidationFailed(errors={"action": ["Redactions are made one comment at a time."]})
    return [decide(moderator, comment_id, decision) for comment_id in ids]
