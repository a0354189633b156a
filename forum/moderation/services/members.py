"""Find members and sum up how their comments have fared, for moderators' decisions."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, exists, func, select
from sqlalchemy.orm import aliased

from forum.accounts.models import Profile, User
from forum.accounts.services import standing
from forum.discussion.models import Comment, CommentStatus
from forum.moderation.models import Flag
from forum.platform.database import db
from forum.platform.errors import NotFound
from forum.platform.models import utcnow


@dataclass
class AuthorRecord:
    """How a comment's author has fared so far."""

    approved: int = 0
    rejected: int = 0
    flags: int = 0
    user_id: int | None = None
    premoderated: bool = False  # an "always pre-moderate" sanction is in force


def get_member(user_id: int) -> User:
    """Return the account.

    :raises NotFound: when there is none.
    """
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("There is no such member.")
    return user


def author_records(profile_ids: set[int]) -> dict[int, AuthorRecord]:
    """Count approved and rejected comments and reports received, per author, and say who is under
    pre-moderation (two queries)."""
    records = {pid: AuthorRecord() for pid in profile_ids}
    if not profile_ids:
        return records
    decided = CommentStatus.APPROVED
    rows = db.session.execute(
        select(
            Comment.author_id,
            func.sum(case((Comment.status == decided, 1), else_=0)),
            func.sum(case((Comment.status.in_([CommentStatus.REJECTED, CommentStatus.REMOVED]), 1), else_=0)),
        )
        .where(Comment.author_id.in_(profile_ids))
        .group_by(Comment.author_id)
    ).all()
    for author_id, approved, rejected in rows:
        records[author_id].approved = int(approved or 0)
        records[author_id].rejected = int(rejected or 0)
    flagged = aliased(Comment)
    flag_rows = db.session.execute(
        select(
            flagged.author_id,
            func.count(Flag.id),
            func.max(User.id),
            func.max(case((exists().where(standing.premoderation_in_force(User.id, utcnow())), 1), else_=0)),
        )
        .select_from(Profile)
        .outerjoin(User, User.profile_id == Profile.id)
        .outerjoin(flagged, flagged.author_id == Profile.id)
        .outerjoin(Flag, Flag.comment_id == flagged.id)
        .where(Profile.id.in_(profile_ids))
        .group_by(flagged.author_id)
    ).all()
    for author_id, count, user_id, premoderated in flag_rows:
        if author_id in records:
            records[author_id].flags = int(count or 0)
            records[author_id].user_id = user_id
            records[author_id].premoderated = bool(premoderated)
    return records
