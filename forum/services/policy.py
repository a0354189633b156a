"""Decide the status of a new comment: pre-moderation for new members, and rules that hold anyone's."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from flask import current_app
from sqlalchemy import BindParameter, Integer, Select, bindparam, exists, func, select

from forum.extensions import db
from forum.models import BannedWord, Comment, CommentStatus, User
from forum.models.base import utcnow
from forum.models.comment import text_fingerprint
from forum.services import rules, sanctions
from forum.services.rules import Hit


@dataclass(frozen=True)
class Verdict:
    """What the policy decided for a new comment, and why."""

    status: CommentStatus
    hits: list[Hit] = field(default_factory=list)
    held_because: str | None = None


@dataclass(frozen=True)
class AuthorState:
    """What the policy needs to know about an author, read in one query."""

    sanctioned: bool  # a suspension or ban is in force (sanctions.py says which, and why)
    approved: int  # approved comments, counted up to the trust threshold
    rejected_recently: int  # rejected or taken down among the last 10 decided
    repeated: bool  # the same text from them within the duplicate window
    banned_words: tuple[str, ...]

    def trusted(self, threshold: int) -> bool:
        return self.approved >= threshold and self.rejected_recently == 0


@cache
def _author_state_statement() -> Select[Any]:
    """Build the one query behind author_state, with bound parameters (built once per process).

    Posting runs it every time; building and caching-by-key a statement of five subqueries cost
    more CPU than the database spends answering it.
    """
    decided = [CommentStatus.APPROVED, CommentStatus.REJECTED, CommentStatus.REMOVED]
    profile_id: BindParameter[int] = bindparam("profile_id")
    now: BindParameter[datetime] = bindparam("now")
    sanction = exists().where(sanctions.in_force(bindparam("user_id"), now))
    some_approved = (
        select(Comment.id)
        .where(Comment.author_id == profile_id, Comment.status == CommentStatus.APPROVED)
        .limit(bindparam("enough", type_=Integer))
        .subquery()
    )
    recent = (
        select(Comment.status)
        .where(Comment.author_id == profile_id, Comment.status.in_(decided))
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(10)
        .subquery()
    )
    repeated = exists().where(
        Comment.author_id == profile_id,
        Comment.created_at >= bindparam("since"),
        Comment.fingerprint == bindparam("fingerprint"),
    )
    return select(
        sanction,
        select(func.count()).select_from(some_approved).scalar_subquery(),
        select(func.count())
        .select_from(recent)
        .where(recent.c.status != CommentStatus.APPROVED)
        .scalar_subquery(),
        repeated,
        select(func.aggregate_strings(BannedWord.word, "\n")).scalar_subquery(),
    )


def author_state(author: User, text: str) -> AuthorState:
    """Read the author's sanction, record, recent repeats of ``text`` and the banned list (one query).

    Every part is an index lookup bounded by constants (the trust threshold, the last 10 decided,
    the duplicate window), so posting costs the same however much the member has written.
    """
    now = utcnow()
    enough = current_app.config["TRUST_AFTER_APPROVED"]
    window = timedelta(minutes=current_app.config["DUPLICATE_WINDOW_MINUTES"])
    row = db.session.execute(
        _author_state_statement(),
        {
            "user_id": author.id,
            "profile_id": author.profile_id,
            "now": now,
            "enough": max(enough, 1),
            "since": now - window,
            "fingerprint": text_fingerprint(text),
        },
    ).one()
    return AuthorState(
        sanctioned=bool(row[0]),
        approved=min(int(row[1] or 0), enough),
        rejected_recently=int(row[2] or 0),
        repeated=bool(row[3]),
        banned_words=tuple(w for w in (row[4] or "").split("\n") if w),
    )


def judge(author: User, body: str, state: AuthorState) -> Verdict:
    """Return the status a new comment starts in, the rule hits and the reason it waits (no queries)."""
    if author.is_moderator:
        return Verdict(CommentStatus.APPROVED)
    threshold = current_app.config["TRUST_AFTER_APPROVED"]
    trusted = state.trusted(threshold)
    hits = rules.personal_data(body) + rules.banned_words(body, state.banned_words)
    if state.repeated:
        hits.append(Hit("duplicate", body[:80], 0, min(len(body), 80)))
    if not trusted:
        hits = rules.links(body) + hits
    hits.sort(key=lambda h: (h.start, h.rule))
    if hits:
        return Verdict(CommentStatus.PENDING, hits, rules.explain(h.rule for h in hits))
    if not trusted:
        return Verdict(CommentStatus.PENDING, [], rules.explain(["new_member"]))
    return Verdict(CommentStatus.APPROVED)


def decide(author: User, body: str) -> Verdict:
    """Read the author's state and judge ``body`` (for callers that have not read it already)."""
    return judge(author, body, author_state(author, body))
