"""What a member's thread page needs to know of them, in one read: their last visit, whether they
follow the thread, whether they have a comment there that others do not see as it is, which
comments they thanked, and how many were published since their previous visit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    Integer,
    Select,
    String,
    and_,
    bindparam,
    case,
    cast,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
)

from forum.discussion.models import Comment, CommentStatus, Follow, ThreadVisit
from forum.discussion.services import thread_marks, visits
from forum.discussion.thanks_models import CommentThanks
from forum.platform.database import db

# In the statement's text, not bound at each execution (member_state runs the text on the driver).
COMMA: Any = literal_column("','")


@dataclass(frozen=True, slots=True)
class ReaderFacts:
    """One member's standing in one thread."""

    seen_at: datetime | None  # their visit's row (visits.decide): None when they never read it
    since: datetime | None
    following: bool
    unsettled: bool  # a comment of theirs waiting, refused or deleted: part of their page alone
    thanked: frozenset[int]  # the comments here they said helped them
    new_count: int  # published since their previous visit (thread_marks.news), when this read has one
    first_new_id: int | None


def read(user_id: int, profile_id: int | None, article_id: int, now: datetime) -> ReaderFacts:
    """Read the member's facts for the article's thread, as of ``now`` (one statement of indexed lookups)."""
    # No profile: 0, which no profile has (nothing of theirs here, everyone's comments new).
    params = {"user_id": user_id, "profile_id": profile_id or 0, "article_id": article_id}
    row = db.session.execute(statement(), {**params, "new_visit_before": visits.new_visit_before(now)}).one()
    return facts_of(row)


def facts_of(row: Any) -> ReaderFacts:
    """The facts from a row holding the statement's columns."""
    return ReaderFacts(
        row.seen_at,
        row.since,
        bool(row.following),
        bool(row.unsettled),
        frozenset(int(n) for n in row.thanked.split(",")) if row.thanked else frozenset(),
        int(getattr(row, "new_count", 0) or 0),
        getattr(row, "first_new_id", None),
    )


@cache
def statement(news: bool = True) -> Select[Any]:
    """The statement, built once with parameters ``user_id``, ``profile_id``, ``article_id`` and
    ``new_visit_before``: it is read on every member's page, and building it cost more than running
    it. A member's page from its copy reads it within a larger one (services/member_state.py), without
    the news (``news=False``: what is new since a visit follows from the thread and the visit)."""
    user_id, profile_id = bindparam("user_id", type_=Integer), bindparam("profile_id", type_=Integer)
    article_id = bindparam("article_id", type_=Integer)
    visit = and_(ThreadVisit.user_id == user_id, ThreadVisit.article_id == article_id)
    seen_at = select(ThreadVisit.seen_at).where(visit).scalar_subquery()
    since = select(ThreadVisit.since).where(visit).scalar_subquery()
    followed = and_(Follow.user_id == user_id, Follow.article_id == article_id)
    unsettled = exists().where(
        Comment.article_id == article_id,
        Comment.author_id == profile_id,
        or_(Comment.status != CommentStatus.APPROVED, Comment.deleted_at.is_not(None)),
    )
    thanked = (
        select(func.aggregate_strings(cast(CommentThanks.comment_id, String), COMMA))
        .join(Comment, Comment.id == CommentThanks.comment_id)
        .where(CommentThanks.user_id == user_id, Comment.article_id == article_id)
        .scalar_subquery()
    )
    # The "since" this read will have (visits.decide): a new visit looks back to the last one's end.
    cutoff = bindparam("new_visit_before", type_=ThreadVisit.seen_at.type)
    previous = case((seen_at < cutoff, seen_at), else_=since)
    return select(
        seen_at.label("seen_at"),
        since.label("since"),
        select(Follow.following).where(followed).scalar_subquery().label("following"),
        select(literal(True)).where(unsettled).scalar_subquery().label("unsettled"),
        thanked.label("thanked"),
        *(thread_marks.news_columns(article_id, profile_id, previous) if news else ()),
    )
