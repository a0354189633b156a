"""What a member's thread page needs to know of them, in one read: their last visit, whether they
follow the thread, and whether they have a comment there that others do not see as it is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, false, literal, or_, select

from forum.discussion.models import Comment, CommentStatus, Follow, ThreadVisit
from forum.platform.database import db


@dataclass(frozen=True, slots=True)
class ReaderFacts:
    """One member's standing in one thread."""

    seen_at: datetime | None  # their visit's row (visits.decide): None when they never read it
    since: datetime | None
    following: bool
    unsettled: bool  # a comment of theirs waiting, refused or deleted: part of their page alone


def read(user_id: int, profile_id: int | None, article_id: int) -> ReaderFacts:
    """Read the member's facts for the article's thread (one statement of indexed lookups)."""
    visit = and_(ThreadVisit.user_id == user_id, ThreadVisit.article_id == article_id)
    followed = and_(Follow.user_id == user_id, Follow.article_id == article_id)
    unsettled = (
        exists().where(
            Comment.article_id == article_id,
            Comment.author_id == profile_id,
            or_(Comment.status != CommentStatus.APPROVED, Comment.deleted_at.is_not(None)),
        )
        if profile_id is not None
        else false()
    )
    row = db.session.execute(
        select(
            select(ThreadVisit.seen_at).where(visit).scalar_subquery().label("seen_at"),
            select(ThreadVisit.since).where(visit).scalar_subquery().label("since"),
            select(Follow.following).where(followed).scalar_subquery().label("following"),
            select(literal(True)).where(unsettled).scalar_subquery().label("unsettled"),
        )
    ).one()
    return ReaderFacts(row.seen_at, row.since, bool(row.following), bool(row.unsettled))
