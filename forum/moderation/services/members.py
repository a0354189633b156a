"""Find members and sum up how their comments have fared, for moderators' decisions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import BindParameter, and_, bindparam, case, exists, func, not_, or_, select
from sqlalchemy.orm import aliased

from forum.accounts.models import Access, Profile, Sanction, SanctionKind, User
from forum.accounts.services import standing
from forum.discussion.models import Comment, CommentStatus
from forum.moderation.models import Flag, FlagStatus, RecordView
from forum.platform.database import db
from forum.platform.errors import NotFound, ValidationFailed
from forum.platform.models import UTCDateTime, utcnow
from forum.platform.settings import setting


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


# Built once, with the ids written into the statement rather than a parameter each: a queue page
# of 200 has up to 200 authors, and building the statements and binding the ids one by one cost more
# than both queries on the server (bench/queue_json.py).
_PROFILES: BindParameter[list[int]] = bindparam("profile_ids", expanding=True, literal_execute=True)
_REFUSED = [CommentStatus.REJECTED, CommentStatus.REMOVED]
_DECIDED = (
    select(
        Comment.author_id,
        func.sum(case((Comment.status == CommentStatus.APPROVED, 1), else_=0)),
        func.sum(case((Comment.status.in_(_REFUSED), 1), else_=0)),
    )
    .where(Comment.author_id.in_(_PROFILES))
    .group_by(Comment.author_id)
)
_FLAGGED = aliased(Comment, name="flagged")
_NOW = bindparam("now", type_=UTCDateTime())
_FLAGS_AND_ACCOUNTS = (
    select(
        _FLAGGED.author_id,
        func.count(Flag.id),
        func.max(User.id),
        func.max(case((exists().where(standing.premoderation_in_force(User.id, _NOW)), 1), else_=0)),
    )
    .select_from(Profile)
    .outerjoin(User, User.profile_id == Profile.id)
    .outerjoin(_FLAGGED, _FLAGGED.author_id == Profile.id)
    .outerjoin(Flag, Flag.comment_id == _FLAGGED.id)
    .where(Profile.id.in_(_PROFILES))
    .group_by(_FLAGGED.author_id)
)


def author_records(profile_ids: set[int]) -> dict[int, AuthorRecord]:
    """Count approved and rejected comments and reports received, per author, and say who is under
    pre-moderation (two queries)."""
    records = {pid: AuthorRecord() for pid in profile_ids}
    if not profile_ids:
        return records
    values = {"profile_ids": sorted(profile_ids), "now": utcnow()}
    for author_id, approved, rejected in db.session.execute(_DECIDED, values):
        records[author_id].approved = int(approved or 0)
        records[author_id].rejected = int(rejected or 0)
    for author_id, count, user_id, premoderated in db.session.execute(_FLAGS_AND_ACCOUNTS, values):
        if author_id in records:
            records[author_id].flags = int(count or 0)
            records[author_id].user_id = user_id
            records[author_id].premoderated = bool(premoderated)
    return records


def record_view(moderator: User, member: User, what: str) -> None:
    """Note that ``moderator`` opened ``member``'s private record (listed in the member's download)."""
    if moderator.id != member.id:
        db.session.add(RecordView(moderator_id=moderator.id, member_id=member.id, what=what))
        db.session.flush()


MEMBER_FILTERS = {
    "premoderated": "Pre-moderated (new, or always pre-moderate)",
    "trusted": "Trusted",
    "sanctioned": "Suspended, banned or pre-moderated by a moderator",
    "reported": "With open reports",
}


@dataclass
class MemberRow:
    """One member in the moderators' list."""

    user_id: int
    display_name: str
    email: str
    access: str
    approved: int
    open_reports: int
    sanctions: str  # the kinds in force, comma-separated ("" for none)


@dataclass
class MemberPage:
    """A page of the member list and where it sits."""

    rows: list[MemberRow]
    total: int
    page: int
    pages: int


def find_members(search: str | None, wanted: str | None, page: int = 1, per_page: int = 50) -> MemberPage:
    """Members whose name or email contains ``search``, narrowed by one of MEMBER_FILTERS, by name.

    Each row's approved count, open reports and sanctions in force are correlated lookups on indexes,
    so a page costs two queries whatever the number of members.

    :raises ValidationFailed: for a filter not on the list.
    """
    if wanted and wanted not in MEMBER_FILTERS:
        raise ValidationFailed(errors={"filter": ["Choose a filter from the list."]})
    now = utcnow()
    threshold = setting("TRUST_AFTER_APPROVED")
    approved = (
        select(func.count(Comment.id))
        .where(Comment.author_id == User.profile_id, Comment.status == CommentStatus.APPROVED)
        .correlate(User)
        .scalar_subquery()
    )
    reports = (
        select(func.count(Flag.id))
        .join(Comment, Comment.id == Flag.comment_id)
        .where(Comment.author_id == User.profile_id, Flag.status == FlagStatus.OPEN)
        .correlate(User)
        .scalar_subquery()
    )
    in_force = standing.in_force(User.id, now, tuple(SanctionKind))
    kinds = (
        select(func.aggregate_strings(Sanction.kind, ",")).where(in_force).correlate(User).scalar_subquery()
    )
    premoderation = exists().where(standing.premoderation_in_force(User.id, now))
    conditions: list[Any] = []
    text = "".join(ch for ch in (search or "") if ch.isprintable()).strip()  # no NULs or controls
    if text:
        wanted_text = text.casefold()  # % and _ are taken literally
        conditions.append(
            or_(
                func.lower(Profile.display_name).contains(wanted_text, autoescape=True),
                User.email.contains(wanted_text, autoescape=True),
            )
        )
    if wanted == "premoderated":
        conditions.append(and_(User.access == Access.MEMBER, or_(premoderation, approved < threshold)))
    elif wanted == "trusted":
        conditions.append(and_(User.access == Access.MEMBER, not_(premoderation), approved >= threshold))
    elif wanted == "sanctioned":
        conditions.append(exists().where(in_force))
    elif wanted == "reported":
        conditions.append(reports > 0)
    base = select(User.id).join(Profile, Profile.id == User.profile_id).where(*conditions)
    total = db.session.scalar(select(func.count()).select_from(base.subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    rows = db.session.execute(
        select(User.id, Profile.display_name, User.email, User.access, approved, reports, kinds)
        .join(Profile, Profile.id == User.profile_id)
        .where(*conditions)
        .order_by(func.lower(Profile.display_name), User.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return MemberPage(
        [MemberRow(r[0], r[1], r[2], r[3].value, int(r[4] or 0), int(r[5] or 0), r[6] or "") for r in rows],
        total,
        page,
        pages,
    )
