"""Let an author appeal once against a rejection or take-down; another moderator decides the appeal.

An appeal waits in the queue as its own kind (queue_kinds.py). Upheld, the comment is published
again; dismissed, the decision stands. The author is told either way, and every step is logged.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from forum import permissions
from forum.accounts.models import User
from forum.accounts.services.viewer import viewer_of
from forum.discussion.models import Comment, CommentStatus
from forum.moderation.models import Appeal, AppealStatus
from forum.moderation.services import audit
from forum.moderation.services.decision_form import Action, AlreadyDecided, Decision
from forum.notifications.services import notices
from forum.platform import validation
from forum.platform.database import db
from forum.platform.errors import Forbidden, NotFound
from forum.platform.models import utcnow

NOTE_MAX = 2000


def appeal_of(comment_id: int) -> Appeal | None:
    """Return the comment's appeal (there is at most one), waiting or decided."""
    return db.session.scalar(select(Appeal).where(Appeal.comment_id == comment_id))


def appeal(user: User, comment_id: int, note: str | None) -> Appeal:
    """Appeal, once, against the decision that kept one's comment from readers.

    Members under a suspension may still appeal: it is how a decision is put right.

    :raises NotFound: when there is no such comment the member may see.
    :raises Forbidden: on someone else's comment, a published one, or a second appeal.
    :raises ValidationFailed: without a note, or with one over 2,000 characters.
    """
    viewer = viewer_of(user)
    comment = db.session.get(Comment, comment_id)
    if comment is None or not permissions.can_see_comment(viewer, comment):
        raise NotFound("There is no such comment.")
    permissions.ensure_can_appeal(viewer, comment, appeal_of(comment.id) is not None)
    clean = validation.text(
        note, "note", max_length=NOTE_MAX, blank="Say why the decision should be changed."
    )
    row = Appeal(
        comment_id=comment.id, user_id=user.id, note=clean or "", appealed_decider_id=comment.decided_by_id
    )
    db.session.add(row)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as exc:  # two appeals sent at the same moment
        raise Forbidden(
            "You have already appealed against this decision; a comment can be appealed once."
        ) from exc
    audit.record(
        user,
        "appeal.made",
        target_type="appeal",
        target_id=row.id,
        comment_id=comment.id,
        member_id=user.id,
        after={"against": comment.status.value, "decided_by": comment.decided_by_id},
    )
    return row


def decide_appeal(moderator: User, comment: Comment, member_id: int | None, decision: Decision) -> Comment:
    """Uphold (restore the comment) or dismiss (the decision stands) the appeal waiting on ``comment``.

    :raises AlreadyDecided: when no appeal waits (another moderator decided it first).
    :raises Forbidden: for the moderator whose decision is appealed.
    """
    row = appeal_of(comment.id)
    if row is None or row.status != AppealStatus.PENDING:
        raise AlreadyDecided("No appeal about this comment is waiting; perhaps another moderator decided it.")
    permissions.ensure_can_decide_appeal(viewer_of(moderator), row.appealed_decider_id)
    upheld = decision.action == Action.UPHOLD
    now = utcnow()
    claimed = db.session.execute(
        update(Appeal)
        .where(Appeal.id == row.id, Appeal.status == AppealStatus.PENDING)
        .values(
            status=AppealStatus.UPHELD if upheld else AppealStatus.DISMISSED,
            decided_by_id=moderator.id,
            decided_at=now,
            decision_note=decision.note,
        )
        .execution_options(synchronize_session=False)
    )
    if int(getattr(claimed, "rowcount", 0) or 0) != 1:
        raise AlreadyDecided()
    db.session.expire(row)
    before = {
        "status": comment.status.value,
        "reject_reason": comment.reject_reason.value if comment.reject_reason else None,
    }
    title = comment.article.title
    said = f" The moderator said: {decision.note}" if decision.note else ""
    if upheld:
        if comment.status not in (CommentStatus.REJECTED, CommentStatus.REMOVED):
            raise AlreadyDecided("This comment is no longer refused; there is nothing to restore.")
        comment.status = CommentStatus.APPROVED
        comment.reject_reason = None
        comment.hidden_by_flags_at = None
        comment.held_because = None
        comment.decided_by_id = moderator.id
        comment.decided_at = now
        comment.decision_note = decision.note
        try:
            db.session.flush()
        except StaleDataError as exc:
            raise AlreadyDecided() from exc
        message = f"Your appeal was upheld: your comment on “{title}” is published again.{said}"
    else:
        message = f"Your appeal about your comment on “{title}” was dismissed: the decision stands.{said}"
    action = "appeal.upheld" if upheld else "appeal.dismissed"
    audit.record(
        moderator,
        action,
        target_type="appeal",
        target_id=row.id,
        comment_id=comment.id,
        member_id=member_id,
        reason=decision.note,
        before=before,
        after={"status": comment.status.value},
    )
    notices.notify_author(comment.author_id, comment.id, action, message)
    return comment
