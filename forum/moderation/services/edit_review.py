"""Decide held edits: publish the new text, or refuse it and keep the approved one (telling the author why).

An edit by a member who is still pre-moderated waits as a ``HeldEdit`` (forum/discussion/services/
comments.py); readers see the approved text until a moderator decides here. Each decision is logged
and the author told, in the same transaction.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.orm.exc import StaleDataError

from forum.accounts.models import User
from forum.discussion.models import Comment, CommentRevision, EditStatus, HeldEdit
from forum.discussion.services.text import render_comment
from forum.moderation.models import RuleHit
from forum.moderation.services import audit
from forum.moderation.services.decision_form import Action, AlreadyDecided, Decision
from forum.notifications.services import notices
from forum.platform.database import db
from forum.platform.models import utcnow


def decide_edit(moderator: User, comment: Comment, member_id: int | None, decision: Decision) -> Comment:
    """Publish (APPROVE_EDIT) or refuse (REJECT_EDIT, with a reason) the edit waiting on ``comment``.

    The caller has checked that the moderator may moderate and loaded the comment.

    :raises AlreadyDecided: when no edit waits (someone decided it first, or the author withdrew it).
    """
    edit = db.session.scalar(
        select(HeldEdit).where(HeldEdit.comment_id == comment.id, HeldEdit.status == EditStatus.PENDING)
    )
    if edit is None or comment.deleted_at is not None:
        raise AlreadyDecided("No edit of this comment is waiting; perhaps another moderator decided it.")
    now = utcnow()
    approve = decision.action == Action.APPROVE_EDIT
    # Claim the edit: of two moderators deciding at once, only one matches a waiting row.
    claimed = db.session.execute(
        update(HeldEdit)
        .where(HeldEdit.id == edit.id, HeldEdit.status == EditStatus.PENDING)
        .values(
            status=EditStatus.APPROVED if approve else EditStatus.REJECTED,
            decided_by_id=moderator.id,
            decided_at=now,
            reject_reason=None if approve else decision.reason,
            decision_note=decision.note,
        )
        .execution_options(synchronize_session=False)
    )
    if int(getattr(claimed, "rowcount", 0) or 0) != 1:
        raise AlreadyDecided()
    db.session.expire(edit)
    title = comment.article.title
    if approve:
        db.session.add(
            CommentRevision(
                comment_id=comment.id,
                editor_id=comment.author_id,
                body=comment.body,
                body_html=comment.body_html,
            )
        )
        comment.body = edit.body
        comment.body_html = render_comment(edit.body)
        comment.edited_at = now  # published text changed: readers see it marked edited
        try:
            db.session.flush()
        except StaleDataError as exc:
            raise AlreadyDecided() from exc
        message = f"Your edit of your comment on “{title}” is published."
    else:
        reason = decision.reason.label.lower() if decision.reason else "other"
        said = f" The moderator said: {decision.note}" if decision.note else ""
        message = (
            f"Your edit of your comment on “{title}” was not published (reason: {reason}). "
            f"The comment keeps its earlier text.{said}"
        )
    db.session.execute(delete(RuleHit).where(RuleHit.comment_id == comment.id))  # they were the edit's
    action = "comment.edit_approved" if approve else "comment.edit_rejected"
    audit.record(
        moderator,
        action,
        target_type="comment",
        target_id=comment.id,
        comment_id=comment.id,
        member_id=member_id,
        reason="; ".join(filter(None, [decision.reason.value if decision.reason else None, decision.note]))
        or None,
        after={"edit_id": edit.id, "edit": "approved" if approve else "rejected"},
    )
    notices.notify_author(comment.author_id, comment.id, action, message)
    return comment


@dataclass(frozen=True)
class Change:
    """One run of a text comparison: kept, removed or added words."""

    kind: str  # "same", "removed", "added"
    text: str


_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


def compare(old: str, new: str) -> tuple[list[Change], list[Change]]:
    """Compare two texts word by word: the old side (kept and removed runs), the new (kept and added)."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    left: list[Change] = []
    right: list[Change] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            left.append(Change("same", "".join(a[i1:i2])))
            right.append(Change("same", "".join(b[j1:j2])))
            continue
        if i2 > i1:
            left.append(Change("removed", "".join(a[i1:i2])))
        if j2 > j1:
            right.append(Change("added", "".join(b[j1:j2])))
    return left, right
