"""Assemble the moderation queue: what waits, with its context, in a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup, escape
from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import aliased, contains_eager

from forum.extensions import db
from forum.models import AuditEntry, Comment, CommentStatus, Flag, FlagStatus, Profile, RuleHit, User


@dataclass
class AuthorRecord:
    """How a comment's author has fared so far."""

    approved: int = 0
    rejected: int = 0
    flags: int = 0
    user_id: int | None = None


@dataclass
class QueueItem:
    """One comment waiting for a moderator, with what they need to decide."""

    comment: Comment
    parent: Comment | None
    record: AuthorRecord
    hits: list[RuleHit] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return "flagged" if self.flags or self.comment.hidden_by_flags_at else "pending"


def load_queue(limit: int = 200) -> list[QueueItem]:
    """Return pending comments and published ones with open reports, oldest first."""
    flagged = select(Flag.comment_id).where(Flag.status == FlagStatus.OPEN)
    comments = db.session.scalars(
        select(Comment)
        .join(Comment.author)
        .join(Comment.article)
        .options(contains_eager(Comment.author), contains_eager(Comment.article))
        .where(
            Comment.deleted_at.is_(None),
            or_(Comment.status == CommentStatus.PENDING, Comment.id.in_(flagged)),
        )
        .order_by(Comment.created_at, Comment.id)
        .limit(limit)
    ).all()
    if not comments:
        return []
    ids = [c.id for c in comments]
    parent_ids = {c.parent_id for c in comments if c.parent_id}
    author_ids = {c.author_id for c in comments}
    parents = _parents(parent_ids)
    hits: dict[int, list[RuleHit]] = {}
    for hit in db.session.scalars(select(RuleHit).where(RuleHit.comment_id.in_(ids)).order_by(RuleHit.start)):
        hits.setdefault(hit.comment_id, []).append(hit)
    flags: dict[int, list[Flag]] = {}
    for row in db.session.scalars(
        select(Flag).where(Flag.comment_id.in_(ids), Flag.status == FlagStatus.OPEN).order_by(Flag.created_at)
    ):
        flags.setdefault(row.comment_id, []).append(row)
    records = author_records(author_ids)
    return [
        QueueItem(
            c,
            parents.get(c.parent_id) if c.parent_id else None,
            records[c.author_id],
            hits.get(c.id, []),
            flags.get(c.id, []),
        )
        for c in comments
    ]


def queue_size() -> int:
    """Count what waits: pending comments and published ones with open reports."""
    flagged = select(Flag.comment_id).where(Flag.status == FlagStatus.OPEN)
    return (
        db.session.scalar(
            select(func.count(Comment.id)).where(
                Comment.deleted_at.is_(None),
                or_(Comment.status == CommentStatus.PENDING, Comment.id.in_(flagged)),
            )
        )
        or 0
    )


def _parents(ids: set[int]) -> dict[int, Comment]:
    if not ids:
        return {}
    rows = db.session.scalars(
        select(Comment)
        .join(Comment.author)
        .options(contains_eager(Comment.author))
        .where(Comment.id.in_(ids))
    )
    return {c.id: c for c in rows}


def author_records(profile_ids: set[int]) -> dict[int, AuthorRecord]:
    """Count approved and rejected comments and reports received, per author (two queries)."""
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
        select(flagged.author_id, func.count(Flag.id), func.max(User.id))
        .select_from(Profile)
        .outerjoin(User, User.profile_id == Profile.id)
        .outerjoin(flagged, flagged.author_id == Profile.id)
        .outerjoin(Flag, Flag.comment_id == flagged.id)
        .where(Profile.id.in_(profile_ids))
        .group_by(flagged.author_id)
    ).all()
    for author_id, count, user_id in flag_rows:
        if author_id in records:
            records[author_id].flags = int(count or 0)
            records[author_id].user_id = user_id
    return records


def highlight(text: str, hits: list[RuleHit]) -> Markup:
    """Escape the text and mark what each rule matched, for the moderator's eye."""
    out: list[str] = []
    position = 0
    for hit in sorted(hits, key=lambda h: h.start):
        if (
            hit.start < position
            or hit.end > len(text)
            or text[hit.start : hit.end].strip() != hit.matched.strip()
        ):
            continue  # overlapping, or the text changed since: show it plainly
        out.append(str(escape(text[position : hit.start])))
        out.append(f'<mark title="{escape(hit.rule)}">{escape(text[hit.start : hit.end])}</mark>')
        position = hit.end
    out.append(str(escape(text[position:])))
    return Markup("".join(out).replace("\n", "<br>\n"))  # noqa: S704 - every piece was escaped above


def audit_entries(
    comment_id: int | None = None, member_id: int | None = None, actor_id: int | None = None, limit: int = 200
) -> list[AuditEntry]:
    """Return log entries, newest first, filtered by comment, member acted upon, or moderator."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if comment_id is not None:
        query = query.where(AuditEntry.comment_id == comment_id)
    if member_id is not None:
        query = query.where(AuditEntry.member_id == member_id)
    if actor_id is not None:
        query = query.where(AuditEntry.actor_id == actor_id)
    return list(db.session.scalars(query))
