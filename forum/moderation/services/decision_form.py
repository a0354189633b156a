"""Name what a moderator can decide and read a decision's fields (forms and the API), checked together."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from forum.discussion.models import RejectReason
from forum.discussion.services.text import normalise_comment
from forum.platform import validation
from forum.platform.errors import Conflict, ValidationFailed

MAX_BULK = 200
NOTE_MAX = 2000  # a decision's note to the author


class Action(enum.StrEnum):
    """What a moderator can do with a comment, by what it waits as."""

    APPROVE = "approve"
    REJECT = "reject"
    REDACT = "redact"
    REMOVE = "remove"  # take down a published comment
    EDIT = "edit"  # change a published comment's text (shown as edited by a moderator)
    APPROVE_EDIT = "approve_edit"  # publish a held edit
    REJECT_EDIT = "reject_edit"  # refuse a held edit: the approved text stays
    UPHOLD = "uphold"  # an appeal: restore the comment
    DISMISS = "dismiss"  # an appeal: the decision stands


EDIT_ACTIONS = frozenset({Action.APPROVE_EDIT, Action.REJECT_EDIT})
APPEAL_ACTIONS = frozenset({Action.UPHOLD, Action.DISMISS})
NEEDS_REASON = frozenset({Action.REJECT, Action.REMOVE, Action.REJECT_EDIT})


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


def reasons_sentence() -> str:
    """The fixed list of reasons, in words ("off topic, abusive, ... or other")."""
    labels = [r.label.lower() for r in RejectReason]
    return f"{', '.join(labels[:-1])} or {labels[-1]}"


def parse_decision(data: dict[str, Any]) -> Decision:
    """Check a decision's fields together.

    :raises ValidationFailed: for an unknown action, a rejection without a reason from the list,
        or a redaction without text.
    """
    errors: dict[str, list[str]] = {}
    try:
        action = Action(str(data.get("action") or ""))
    except ValueError:
        choices = ", ".join(a.value for a in Action)
        raise ValidationFailed(errors={"action": [f"Choose one of: {choices}."]}) from None
    reason = None
    if action in NEEDS_REASON:
        try:
            reason = RejectReason(str(data.get("reason") or ""))
        except ValueError:
            errors["reason"] = [f"Choose a reason: {reasons_sentence()}."]
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
