"""Tell the author of a comment when a reply to it is published."""

from __future__ import annotations

from sqlalchemy import select

from forum.accounts.models import User
from forum.discussion.models import Comment
from forum.notifications.models import Notification
from forum.notifications.services import notices
from forum.platform.database import db


def notify_parent_author(reply: Comment, replier_name: str, article_title: str) -> Notification | None:
    """Leave the parent's author a notice of a newly published reply (not when answering oneself)."""
    if reply.parent_id is None:
        return None
    row = db.session.execute(
        select(User.id, Comment.author_id)
        .join(User, User.profile_id == Comment.author_id)
        .where(Comment.id == reply.parent_id, Comment.deleted_at.is_(None))
    ).first()
    if row is None:
        return None
    return notices.reply_notice(reply.id, reply.author_id, row.id, row.author_id, replier_name, article_title)
