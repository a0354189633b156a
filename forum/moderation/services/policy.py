"""Decide the status of a new comment: pre-moderation for new members, and rules that hold anyone's."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from flask import current_app
from sqlalchemy import BindParameter, Integer, Select, bindparam, exists, func, select

from forum.accounts.models import User
from forum.accounts.services import standing
from forum.discussion.models import Comment, CommentStatus, text_fingerprint
from forum.moderation.models import BannedWord
from forum.moderation.services import rules
from forum.moderation.services.rules import Hit
from forum.platform.database import db
from forum.platform.models import utcnow


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


def state_columns() -> list[Any]:
    """The author's state as columns of a statement, for bound parameters (see state_parameters).

    Posting reads them in the same statement as the article (services/posting.py); author_state
    reads them alone. Every part is an index lookup bounded by constants (the trust threshold,
    the last 10 decided, the duplicate window), so posting costs the same however much the member
    has written.
    """
    decided = [CommentStatus.APPROVED, CommentStatus.REJECTED, CommentStatus.REMOVED]
    profile_id: BindParameter[int] = bindparam("profile_id")
    now: BindParameter[datetime] = bindparam("now")
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
    return [
        exists().where(standing.in_force(bindparam("user_id"), now)).label("sanctioned"),
        select(func.count()).select_from(some_approved).scalar_subquery().label("approved"),
        select(func.count())
        .select_from(recent)
        .where(recent.c.status != CommentStatus.APPROVED)
        .scalar_subquery()
        .label("rejected_recently"),
        repeated.label("repeated"),
        select(func.aggregate_strings(BannedWord.word, "\n")).scalar_subquery().label("banned_words"),
    ]


def state_parameters(author: User, text: str) -> dict[str, Any]:
    """The values state_columns() is bound to, for ``author`` posting ``text`` now."""
    now = utcnow()
    window = timedelta(minutes=current_app.config["DUPLICATE_WINDOW_MINUTES"])
    return {
        "user_id": author.id,
        "profile_id": author.profile_id,
        "now": now,
        "enough": max(current_app.config["TRUST_AFTER_APPROVED"], 1),
        "since": now - window,
        "fingerprint": text_fingerprint(text),
    }


def state_from_row(row: Any) -> AuthorState:
    """Read an AuthorState from a row holding state_columns() (by their labels)."""
    return AuthorState(
        sanctioned=bool(row.sanctioned),
        approved=min(int(row.approved or 0), current_app.config["TRUST_AFTER_APPROVED"]),
        rejected_recently=int(row.rejected_recently or 0),
        repeated=bool(row.repeated),
        banned_words=tuple(w for w in (row.banned_words or "").split("\n") if w),
    )


@cache
def _author_state_statement() -> Select[Any]:
    """Build author_state's query once per process (building a statement of five subqueries and
    finding it in SQLAlchemy's cache cost more CPU than the database spends answering it)."""
    return select(*state_columns())


def author_state(author: User, text: str) -> AuthorState:
    """Read the author's sanction, record, recent repeats of ``text`` and the banned list (one query)."""
    return state_from_row(db.session.execute(_author_state_statement(), state_parameters(author, text)).one())


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
