"""Decide what becomes of a comment: pre-moderation for new members, and rules that hold anyone's.

This is the discussion's publication gate (forum/discussion/services/gate.py), installed on every
app by the moderation feature. Posting reads the author's state with everything else it needs in
one statement (``state_columns``); an edit reads it alone (``author_state``). What the rules match
is kept as rule hits for the moderators' queue.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, Integer, Select, bindparam, delete, exists, func, select

from forum.accounts.models import User
from forum.accounts.services import standing
from forum.discussion.models import Comment, CommentStatus, text_fingerprint
from forum.discussion.services.gate import Verdict
from forum.moderation.models import BannedWord, RuleHit
from forum.moderation.services import risk_signals, rules, safeguarding
from forum.moderation.services.rules import Hit
from forum.platform.database import db
from forum.platform.folding import Folded, fold_for_rules
from forum.platform.models import sql_constant, utcnow
from forum.platform.settings import setting


@dataclass(frozen=True)
class AuthorState:
    """What the policy needs to know about an author, read in one query."""

    approved: int  # approved comments, counted up to the trust threshold
    rejected_recently: int  # rejected or taken down among the last 10 decided
    repeated: bool  # the same text from them within the duplicate window
    banned_words: tuple[str, ...]
    premoderated: bool = False  # an "always pre-moderate" sanction is in force

    def trusted(self, threshold: int) -> bool:
        """Trusted: enough approved, nothing refused lately, and no pre-moderation sanction."""
        return self.approved >= threshold and self.rejected_recently == 0 and not self.premoderated


@cache
def state_columns() -> tuple[ColumnElement[Any], ...]:
    """The author's state as columns of a statement, for bound parameters (see state_parameters).

    Posting reads them in the same statement as the article (forum/discussion/services/posting.py);
    author_state reads them alone. Every part is an index lookup bounded by constants (the trust
    threshold, the last 10 decided, the duplicate window), so posting costs the same however much
    the member has written. Built once per process.
    """
    # Statuses spelled out in the SQL: bound, they left PostgreSQL's generic plan sorting every comment
    # the member ever wrote (0.9 ms at 2,000); knowing the values, it reads ix_comments_author_recent
    # backwards and stops after ten, and counts approved ones from ix_comments_author.
    approved = sql_constant(CommentStatus.APPROVED)
    decided = [approved, sql_constant(CommentStatus.REJECTED), sql_constant(CommentStatus.REMOVED)]
    profile_id: BindParameter[int] = bindparam("profile_id")
    some_approved = (
        select(Comment.id)
        .where(Comment.author_id == profile_id, Comment.status == approved)
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
    return (
        select(func.count()).select_from(some_approved).scalar_subquery().label("approved"),
        select(func.count())
        .select_from(recent)
        .where(recent.c.status != CommentStatus.APPROVED)
        .scalar_subquery()
        .label("rejected_recently"),
        repeated.label("repeated"),
        select(func.aggregate_strings(BannedWord.word, "\n")).scalar_subquery().label("banned_words"),
        exists()
        .where(standing.premoderation_in_force(bindparam("gate_user_id"), bindparam("gate_now")))
        .label("premoderated"),
    )


def state_parameters(author: User, text: str, now: datetime) -> dict[str, Any]:
    """The values state_columns() is bound to, for ``author`` posting ``text`` at ``now``."""
    window = timedelta(minutes=setting("DUPLICATE_WINDOW_MINUTES"))
    return {
        "profile_id": author.profile_id,
        "enough": max(setting("TRUST_AFTER_APPROVED"), 1),
        "since": now - window,
        "fingerprint": text_fingerprint(text),
        "gate_user_id": author.id,
        "gate_now": now,
    }


def state_from_row(row: Any) -> AuthorState:
    """Read an AuthorState from a row holding state_columns() (by their labels)."""
    return AuthorState(
        approved=min(int(row.approved or 0), setting("TRUST_AFTER_APPROVED")),
        rejected_recently=int(row.rejected_recently or 0),
        repeated=bool(row.repeated),
        banned_words=tuple(w for w in (row.banned_words or "").split("\n") if w),
        premoderated=bool(row.premoderated),
    )


@cache
def _author_state_statement() -> Select[Any]:
    """Build author_state's query once per process (building a statement of four subqueries and
    finding it in SQLAlchemy's cache cost more CPU than the database spends answering it)."""
    return select(*state_columns())


def author_state(author: User, text: str) -> AuthorState:
    """Read the author's record, recent repeats of ``text`` and the banned list (one query)."""
    parameters = state_parameters(author, text, utcnow())
    return state_from_row(db.session.execute(_author_state_statement(), parameters).one())


def _findings(body: str, folded: Folded, state: AuthorState, trusted: bool) -> list[Hit]:
    """What the rules find in ``body``: personal data, banned words, a repeat, links from the untrusted."""
    hits = rules.personal_data(body, folded) + rules.banned_words(body, state.banned_words, folded)
    if state.repeated:
        hits.append(Hit("duplicate", body[:80], 0, min(len(body), 80)))
    if not trusted:
        hits = rules.links(body, folded) + hits
    hits.sort(key=lambda h: (h.start, h.rule))
    return hits


def _risks(body: str, folded: Folded) -> list[Hit]:
    """Signs that someone may be at risk, as rule hits named ``risk:<signal>`` (anyone's text).

    Read as a reader sees the text (``fold_for_rules``: no invisible characters, compatibility forms
    made plain), like every other rule; the spans are the author's own characters.
    """
    hits = []
    for found in risk_signals.risk_signals(folded.text):
        start, end = folded.span(found.start, found.end)
        hits.append(Hit(f"{RISK_PREFIX}{found.signal}", body[start:end].strip(), start, end))
    return hits


RISK_PREFIX = "risk:"
SAFEGUARDING_HELD = "A member of our team will read what you wrote soon. Until then, only you can see it."


def _held_for_safeguarding(risks: list[Hit], others: list[Hit]) -> Verdict:
    hits = sorted(risks + others, key=lambda h: (h.start, h.rule))
    return Verdict(CommentStatus.PENDING, SAFEGUARDING_HELD, hits, offer_help=True)


def judge(author: User, body: str, state: AuthorState) -> Verdict:
    """Return the status a new comment starts in, the rule hits and the reason it waits (no queries).

    A sign that someone may be at risk holds anyone's comment, moderators' and staff's included:
    a person reads it first, and the writer is offered help at once (docs/safeguarding.md).
    """
    folded = fold_for_rules(body)  # what a reader sees: one reading for every rule
    risks = _risks(body, folded)
    if author.is_moderator:
        return _held_for_safeguarding(risks, []) if risks else Verdict(CommentStatus.APPROVED)
    trusted = state.trusted(setting("TRUST_AFTER_APPROVED"))
    hits = _findings(body, folded, state, trusted)
    if risks:
        return _held_for_safeguarding(risks, hits)
    if hits:
        return Verdict(CommentStatus.PENDING, rules.explain(h.rule for h in hits), hits)
    if state.premoderated:
        return Verdict(CommentStatus.PENDING, rules.explain(["premoderation"]))
    if not trusted:
        return Verdict(CommentStatus.PENDING, rules.explain(["new_member"]))
    return Verdict(CommentStatus.APPROVED)


def judge_edit(author: User, body: str, published: bool = True) -> Verdict:
    """Judge an edit.

    A member who is still pre-moderated (not yet trusted, or under an "always pre-moderate"
    sanction) has every edit of a published comment held for review (``hold_edit``): readers keep
    the approved text. A trusted member's edit goes through the rules: a match sends the comment
    back to the queue; otherwise it stands.
    """
    state = author_state(author, body)
    verdict = judge(author, body, state)
    if author.is_moderator:
        return verdict
    if not state.trusted(setting("TRUST_AFTER_APPROVED")):
        if not published:  # still waiting as a whole: the new text waits in its place
            return verdict
        why = " ".join(filter(None, [rules.explain(["held_edit"]), verdict.held_because]))
        return Verdict(CommentStatus.PENDING, why, verdict.findings, hold_edit=True)
    if verdict.findings:
        return verdict
    return Verdict(CommentStatus.APPROVED)


def record_hits(comment_id: int, hits: Sequence[object], *, replacing: bool = False) -> None:
    """Keep what each rule matched, for the moderators' queue (``replacing`` an earlier text's)."""
    if replacing:
        db.session.execute(delete(RuleHit).where(RuleHit.comment_id == comment_id))
    db.session.add_all(
        RuleHit(comment_id=comment_id, rule=h.rule, matched=h.matched[:500], start=h.start, end=h.end)
        for h in hits
        if isinstance(h, Hit)
    )


class ModerationGate:
    """The discussion's publication gate, as this policy decides it."""

    def columns(self) -> Sequence[ColumnElement[Any]]:
        return state_columns()

    def parameters(self, author: User, text: str, now: datetime) -> dict[str, Any]:
        return state_parameters(author, text, now)

    def judge_new(self, author: User, text: str, row: Any) -> Verdict:
        return judge(author, text, state_from_row(row))

    def judge_edit(self, author: User, text: str, published: bool = True) -> Verdict:
        return judge_edit(author, text, published)

    def keep(self, comment_id: int, verdict: Verdict, *, replacing: bool = False) -> None:
        record_hits(comment_id, verdict.findings, replacing=replacing)
        signals = [
            h.rule.removeprefix(RISK_PREFIX)
            for h in verdict.findings
            if isinstance(h, Hit) and h.rule.startswith(RISK_PREFIX)
        ]
        if signals:
            safeguarding.open_case(comment_id, "detected", signals)


GATE = ModerationGate()
