"""Tell members, in the app, what happened to their comments and who answered them."""

from __future__ import annotations

from sqlalchemy import func, select, update

from forum.extensions import db
from forum.models import Comment, Notification, User
from forum.models.base import utcnow


def notify_author(comment: Comment, kind: str, message: str) -> Notification | None:
    """Leave a message for the comment's author, if they have an account (imported authors do not)."""
    user_id = db.session.scalar(select(User.id).where(User.profile_id == comment.author_id))
    if user_id is None:
        return None
    note = Notification(user_id=user_id, comment_id=comment.id, kind=kind, message=message)
    db.session.add(note)
    db.session.flush()
    return note


def notify_reply(reply: Comment, replier_name: str, article_title: str) -> Notification | None:
    """Tell the author of the comment answered by a newly published reply (not when answering oneself)."""
    if reply.parent_id is None:
        return None
    row = db.session.execute(
        select(User.id, Comment.author_id)
        .join(User, User.profile_id == Comment.author_id)
        .where(Comment.id == reply.parent_id, Comment.deleted_at.is_(None))
    ).first()
    if row is None:
        return None
    return reply_notice(reply, row.id, row.author_id, replier_name, article_title)


def reply_notice(
    reply: Comment, parent_user_id: int, parent_author_id: int, replier_name: str, article_title: str
) -> Notification | None:
    """Leave the notice of a published reply for the parent's author, already looked up by the caller
    (posting reads them with everything else); nothing when they answer themselves."""
    if parent_author_id == reply.author_id:
        return None
    note = Notification(
        user_id=parent_user_id,
        comment_id=reply.id,
        kind="comment.reply",
        message=f"{replier_name} replied to your comment on “{article_title}”.",
    )
    db.session.add(note)
    db.session.flush()
    return note


def unread_count(user: User) -> int:
    """Count the member's unread notifications."""
    return (
        db.session.scalar(
            select(func.count(Notification.id)).where(
                Notification.user_id == user.id, Notification.read_at.is_(None)
            )
        )
        or 0
    )


def list_for(user: User, limit: int = 100) -> list[Notification]:
    """Return the member's notifications, newest first."""
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def mark_all_read(user: User) -> int:
    """Mark every unread notification read; return how many."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return int(getattr(result, "rowcount", 0) or 0)
