"""Let members report published comments; enough reports hide a comment until a moderator looks."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from forum import permissions
from forum.accounts.models import User
from forum.accounts.services import standing
from forum.accounts.services.viewer import viewer_of
from forum.discussion.models import Comment, CommentStatus
from forum.moderation.models import Flag, FlagReason, FlagStatus
from forum.moderation.services import audit, safeguarding
from forum.notifications.services import notices
from forum.platform import validation
from forum.platform.database import db
from forum.platform.errors import Conflict, NotFound, ValidationFailed
from forum.platform.models import utcnow
from forum.platform.settings import setting


def flag(user: User, comment_id: int, reason: str | None, note: str | None) -> Flag:
    """Report a published comment once; at the threshold of distinct reporters it is hidden for review.

    :raises NotFound: when the comment is not published.
    :raises Forbidden: for one's own comment or while suspended.
    :raises Conflict: when this member already reported it.
    :raises ValidationFailed: for a reason not on the list.
    """
    standing.ensure_can_act(user)
    try:
        flag_reason = FlagReason(reason or "")
    except ValueError:
        raise ValidationFailed(
            errors={
                "reason": [
                    "Choose spam, abusive, personal data, misinformation, someone may be at risk, or other."
                ]
            }
        ) from None
    clean_note = validation.text(note, "note", max_length=1000)
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        raise NotFound("There is no such published comment.")
    permissions.ensure_can_flag(viewer_of(user), comment)
    existing = db.session.scalar(
        select(Flag.id).where(Flag.comment_id == comment.id, Flag.flagger_id == user.id)
    )
    if existing is not None:
        raise Conflict("You have already reported this comment. A moderator will look at it.")
    row = Flag(
        comment_id=comment.id,
        flagger_id=user.id,
        reason=flag_reason,
        note=clean_note,
    )
    db.session.add(row)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as exc:  # the same member reporting twice at the same moment
        raise Conflict("You have already reported this comment. A moderator will look at it.") from exc
    if flag_reason is FlagReason.AT_RISK:
        # One such report is enough: to the top of the queue, the on-call moderators alerted. It stays
        # published (hiding what someone wrote about their own crisis helps nobody) until a moderator acts.
        safeguarding.open_case(comment.id, safeguarding.REPORTED, [])
        return row
    reporters = (
        db.session.scalar(
            select(func.count(func.distinct(Flag.flagger_id))).where(
                Flag.comment_id == comment.id,
                Flag.status == FlagStatus.OPEN,
                Flag.reason != FlagReason.AT_RISK,
            )
        )
        or 0
    )
    if reporters >= setting("FLAGS_TO_HIDE"):
        comment.status = CommentStatus.PENDING
        comment.hidden_by_flags_at = utcnow()
        comment.held_because = (
            "Several members reported it, so it is hidden until a moderator has looked at it."
        )
        db.session.flush()
        audit.record(
            None,
            "comment.hidden_by_flags",
            target_type="comment",
            target_id=comment.id,
            comment_id=comment.id,
            reason=f"{reporters} members reported it",
            before={"status": "approved"},
            after={"status": "pending"},
        )
        notices.notify_author(
            comment.author_id,
            comment.id,
            "comment.hidden_by_flags",
            "One of your comments is hidden while a moderator reviews reports about it.",
        )
    return row
