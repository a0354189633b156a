"""What a member's thread page needs to know of them, in one read: their last visit, whether they
follow the thread, whether they have a comment there that others do not see as it is, which
comments they thanked, and how many were published since their previous visit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, and_, case, cast, exists, false, func, literal, or_, select

from forum.discussion.models import Comment, CommentStatus, Follow, ThreadVisit
from forum.discussion.services import threads, visits
from forum.discussion.thanks_models import CommentThanks
from forum.platform.database import db


@dataclass(frozen=True, slots=True)
class ReaderFacts:
    """One member's standing in one thread."""

    seen_at: datetime | None  # their visit's row (visits.decide): None when they never read it
    since: datetime | None
    following: bool
    unsettled: bool  # a comment of theirs waiting, refused or deleted: part of their page alone
    thanked: frozenset[int]  # the comments here they said helped them
    new_count: int  # published since their previous visit (threads.news), when this read has one
    first_new_id: int | None


def read(user_id: int, profile_id: int | None, article_id: int, now: datetime) -> ReaderFacts:
    """Read the member's facts for the article's thread, as of ``now`` (one statement of indexed lookups)."""
    visit = and_(ThreadVisit.user_id == user_id, ThreadVisit.article_id == article_id)
    seen_at = select(ThreadVisit.seen_at).where(visit).scalar_subquery()
    since = select(ThreadVisit.since).where(visit).scalar_subquery()
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
    thanked = (
        select(func.aggregate_strings(cast(CommentThanks.comment_id, String), ","))
        .join(Comment, Comment.id == CommentThanks.comment_id)
        .where(CommentThanks.user_id == user_id, Comment.article_id == article_id)
        .scalar_subquery()
    )
    # The "since" this read will have (visits.decide): a new visit looks back to the last one's end.
    previous = case((seen_at < visits.new_visit_before(now), seen_at), else_=since)
    row = db.session.execute(
        select(
            seen_at.label("seen_at"),
            since.label("since"),
            select(Follow.following).where(followed).scalar_subquery().label("following"),
            select(literal(True)).where(unsettled).scalar_subquery().label("unsettled"),
            thanked.label("thanked"),
            *threads.news_columns(article_id, profile_id, previous),
        )
    ).one()
    return ReaderFacts(
        row.seen_at,
        row.since,
        bool(row.following),
        bool(row.unsettled),
        frozenset(int(n) for n in row.thanked.split(",")) if row.thanked else frozenset(),
        int(row.new_count or 0),
        row.first_new_id,
    )
