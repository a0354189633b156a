"""Decide the status of a new comment: pre-moderation for new members, and rules that hold anyone's."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import BannedWord, Comment, CommentStatus, User
from forum.models.base import utcnow
from forum.services import rules
from forum.services.rules import Hit


@dataclass(frozen=True)
class Verdict:
    """What the policy decided for a new comment, and why."""

    status: CommentStatus
    hits: list[Hit] = field(default_factory=list)
    held_because: str | None = None


@dataclass(frozen=True)
class History:
    """A member's moderation record."""

    approved: int
    rejected_recently: int

    def trusted(self, threshold: int) -> bool:
        return self.approved >= threshold and self.rejected_recently == 0


def history(profile_id: int, enough: int) -> History:
    """Count approved comments (up to ``enough``: trust needs no more, and counting a prolific member's
    every comment on each post would grow with them) and rejections among the last 10 decided ones,
    in one query."""
    decided = [CommentStatus.APPROVED, CommentStatus.REJECTED, CommentStatus.REMOVED]
    recent = (
        select(Comment.status)
        .where(Comment.author_id == profile_id, Comment.status.in_(decided))
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(10)
        .subquery()
    )
    some_approved = (
        select(Comment.id)
        .where(Comment.author_id == profile_id, Comment.status == CommentStatus.APPROVED)
        .limit(enough)
        .subquery()
    )
    approved = select(func.count()).select_from(some_approved).scalar_subquery()
    rejected = (
        select(func.count())
        .select_from(recent)
        .where(recent.c.status != CommentStatus.APPROVED)
        .scalar_subquery()
    )
    row = db.session.execute(select(approved, rejected)).one()
    return History(approved=int(row[0] or 0), rejected_recently=int(row[1] or 0))


def _duplicates(author: User, body: str) -> list[Hit]:
    window = timedelta(minutes=current_app.config["DUPLICATE_WINDOW_MINUTES"])
    recent = db.session.scalars(
        select(Comment.body).where(
            Comment.author_id == author.profile_id, Comment.created_at >= utcnow() - window
        )
    ).all()
    mark = rules.fingerprint(body)
    if any(rules.fingerprint(previous) == mark for previous in recent):
        return [Hit("duplicate", body[:80], 0, min(len(body), 80))]
    return []


def decide(author: User, body: str) -> Verdict:
    """Return the status a new comment starts in, the rule hits and the reason it waits."""
    if author.is_moderator:
        return Verdict(CommentStatus.APPROVED)
    threshold = current_app.config["TRUST_AFTER_APPROVED"]
    trusted = history(author.profile_id, threshold).trusted(threshold)
    words = db.session.scalars(select(BannedWord.word)).all()
    hits = rules.personal_data(body) + rules.banned_words(body, words) + _duplicates(author, body)
    if not trusted:
        hits = rules.links(body) + hits
    hits.sort(key=lambda h: (h.start, h.rule))
    if hits:
        return Verdict(CommentStatus.PENDING, hits, rules.explain(h.rule for h in hits))
    if not trusted:
        return Verdict(CommentStatus.PENDING, [], rules.explain(["new_member"]))
    return Verdict(CommentStatus.APPROVED)
