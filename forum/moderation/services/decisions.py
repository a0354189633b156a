"""Decide comments: approve, reject or redact queued ones; edit or take down published ones; held edits
and appeals (edit_review.py, appeals.py); several at once.

One decision and a bulk decision take the same path: the comments, their reports and their authors'
accounts are read in one statement each, the changes are flushed together (the ORM sends one
UPDATE for the lot), the reports, audit entries and notices are written with a statement or two
each, so 1, 10 or 200 comments cost the same number of statements (tests/functional/
test_bulk_decisions.py). The comment's version column makes two moderators deciding at once a
conflict rather than a double decision; any refusal refuses the whole selection.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, select, update
from sqlalchemy.orm import contains_eager
from sqlalchemy.orm.attributes import set_committed_value

from forum import permissions
from forum.accounts.models import User
from forum.accounts.services.viewer import viewer_of
from forum.discussion.models import Comment, CommentRevision, CommentStatus
from forum.discussion.models import RejectReason as RejectReason
from forum.discussion.services import counters, thanks, thread_news
from forum.discussion.services.text import render_comment
from forum.moderation.models import Flag, FlagStatus, RuleHit
from forum.moderation.services import appeals, audit, edit_review, redaction
from forum.moderation.services.decision_form import APPEAL_ACTIONS, EDIT_ACTIONS, MAX_BULK
from forum.moderation.services.decision_form import Action as Action
from forum.moderation.services.decision_form import AlreadyDecided as AlreadyDecided
from forum.moderation.services.decision_form import Decision as Decision
from forum.moderation.services.decision_form import parse_decision as parse_decision
from forum.notifications.services import notices
from forum.platform.database import db
from forum.platform.errors import NotFound, ValidationFailed
from forum.platform.models import utcnow

BULK_ACTIONS = frozenset({Action.APPROVE, Action.REJECT})


@dataclass
class _Planned:
    """One comment's decision, worked out before anything is written."""

    comment: Comment
    flags: list[Flag]
    before: dict[str, Any]
    was_published: bool
    old_body: str
    redacted: bool
    version: int  # as read: the write matches only this version
    was_public: bool  # approved before the decision (counted for readers)

    @property
    def outcome(self) -> str:
        """What became of it, in the moderator's words ("kept published", "taken down")."""
        c = self.comment
        if c.status == CommentStatus.APPROVED:
            if self.redacted:
                return "published with your changes"
            return "kept published" if self.was_published else "approved"
        return "taken down" if c.status == CommentStatus.REMOVED else "rejected"


def _load(comment_ids: list[int]) -> dict[int, Comment]:
    rows = db.session.scalars(
        select(Comment)
        .join(Comment.author)
        .join(Comment.article)
        .options(contains_eager(Comment.author), contains_eager(Comment.article))
        .where(Comment.id.in_(comment_ids))
    )
    return {c.id: c for c in rows}


def _open_flags(comment_ids: list[int]) -> dict[int, list[Flag]]:
    found: dict[int, list[Flag]] = {}
    for flag in db.session.scalars(
        select(Flag).where(Flag.comment_id.in_(comment_ids), Flag.status == FlagStatus.OPEN)
    ):
        found.setdefault(flag.comment_id, []).append(flag)
    return found


def _accounts(profile_ids: set[int], moderator: User | None = None) -> dict[int, int]:
    """The account (user id) of each author who has one (imported authors do not).

    With ``moderator``, first make sure they may act on each author (permissions.can_act_on: a
    moderator acts on members and their own comments, an admin on anyone), from the same read.

    :raises Forbidden: when a moderator would act on another moderator's or an admin's comment.
    """
    rows = db.session.execute(
        select(User.profile_id, User.id, User.access).where(User.profile_id.in_(profile_ids))
    ).all()
    if moderator is not None:
        viewer = viewer_of(moderator)
        for row in rows:
            permissions.ensure_can_act_on(viewer, row.access, own=row.profile_id == moderator.profile_id)
    return {row.profile_id: row.id for row in rows}


def _snapshot(comment: Comment, with_digest: bool = True) -> dict[str, Any]:
    found: dict[str, Any] = {
        "status": comment.status.value,
        "reject_reason": comment.reject_reason.value if comment.reject_reason else None,
    }
    if with_digest:  # never for a text being redacted: a digest of it would confirm a guessed number
        found["body_sha256"] = hashlib.sha256(comment.body.encode()).hexdigest()
    return found


def _check_applicable(comment: Comment, flags: list[Flag], action: Action) -> None:
    """Refuse a decision that no longer fits the comment's state (someone decided it already)."""
    queued = comment.status == CommentStatus.PENDING or bool(flags)
    published = comment.status == CommentStatus.APPROVED
    if comment.deleted_at is not None:
        raise AlreadyDecided(f"Comment #{comment.id}: its author has deleted it.")
    if action in (Action.REMOVE, Action.EDIT):
        if not published:
            raise AlreadyDecided("This comment is not published; decide it in the queue instead.")
    elif not queued:  # a queue decision on something no longer queued: someone got there first
        raise AlreadyDecided(
            f"Comment #{comment.id} has already been decided, perhaps by another moderator. Reload the queue."
        )


def decide(moderator: User, comment_id: int, decision: Decision) -> Comment:
    """Apply one decision (see decide_with_outcome)."""
    return decide_with_outcome(moderator, comment_id, decision)[0]


def decide_with_outcome(moderator: User, comment_id: int, decision: Decision) -> tuple[Comment, str]:
    """Apply one decision and say what became of the comment, in the moderator's words.

    To a queued comment (pending, or published with open reports); redact, edit or take down a
    published one; publish or refuse a held edit; uphold or dismiss an appeal.

    :raises NotFound: when the comment does not exist.
    :raises AlreadyDecided: when the decision no longer fits (another moderator got there first).
    :raises Forbidden: for an appeal, when the moderator made the decision appealed against.
    """
    permissions.ensure_can_moderate(viewer_of(moderator))
    if decision.action in EDIT_ACTIONS | APPEAL_ACTIONS:
        comment = _load([comment_id]).get(comment_id)
        if comment is None:
            raise NotFound("There is no such comment.")
        member_id = _accounts({comment.author_id}, moderator).get(comment.author_id)
        if decision.action in EDIT_ACTIONS:
            edit_review.decide_edit(moderator, comment, member_id, decision)
            done = "edit published" if decision.action == Action.APPROVE_EDIT else "edit refused"
        else:
            appeals.decide_appeal(moderator, comment, member_id, decision)
            done = "restored (appeal upheld)" if decision.action == Action.UPHOLD else "left as decided"
        return comment, done
    planned = _decide(moderator, [comment_id], decision)
    return planned[0].comment, planned[0].outcome


def decide_many(moderator: User, comment_ids: list[int], decision: Decision) -> list[Comment]:
    """Apply one decision to several comments (see decide_many_with_outcomes)."""
    return [comment for comment, _ in decide_many_with_outcomes(moderator, comment_ids, decision)]


def decide_many_with_outcomes(
    moderator: User, comment_ids: list[int], decision: Decision
) -> list[tuple[Comment, str]]:
    """Approve or reject several queued comments: all of them, or none if any cannot be decided.

    :raises ValidationFailed: for an empty or oversized selection, or an action other than
        approve or reject (redactions, edits and appeals are decided one at a time).
    :raises NotFound: when any of them does not exist.
    :raises AlreadyDecided: when any of them is no longer in the queue.
    """
    permissions.ensure_can_moderate(viewer_of(moderator))
    ids = list(dict.fromkeys(comment_ids))
    if not ids or len(ids) > MAX_BULK:
        raise ValidationFailed(errors={"comment_ids": [f"Select between 1 and {MAX_BULK} comments."]})
    if decision.action not in BULK_ACTIONS:
        raise ValidationFailed(
            errors={
                "action": ["Several at once can only be approved or rejected; decide the rest one at a time."]
            }
        )
    return [(p.comment, p.outcome) for p in _decide(moderator, ids, decision)]


def _decide(moderator: User, ids: list[int], decision: Decision) -> list[_Planned]:
    """Decide the comments ``ids`` together, in a number of statements that does not depend on how many."""
    comments = _load(ids)
    missing = [i for i in ids if i not in comments]
    if missing:
        raise NotFound(
            "There is no such comment."
            if len(ids) == 1
            else f"There is no comment #{missing[0]}; none were decided."
        )
    flags = _open_flags(ids)
    for comment_id in ids:
        _check_applicable(comments[comment_id], flags.get(comment_id, []), decision.action)
    accounts = _accounts({c.author_id for c in comments.values()}, moderator)
    now = utcnow()
    planned = [_plan(comments[i], flags.get(i, []), decision, moderator, now) for i in ids]
    _write(planned, now)
    spans: dict[int, list[redaction.Span]] = {}
    redacted = [p for p in planned if p.redacted]
    if redacted:  # one at a time (bulk decisions never redact)
        db.session.execute(delete(RuleHit).where(RuleHit.comment_id.in_([p.comment.id for p in redacted])))
        for p in redacted:
            spans[p.comment.id] = redaction.removed_spans(p.old_body, p.comment.body)
            redaction.scrub(p.comment.id, p.old_body, spans[p.comment.id])
    flag_status = FlagStatus.DISMISSED if decision.action == Action.APPROVE else FlagStatus.UPHELD
    flag_ids = [f.id for p in planned for f in p.flags]
    if flag_ids:
        db.session.execute(
            update(Flag)
            .where(Flag.id.in_(flag_ids))
            .values(status=flag_status, resolved_by_id=moderator.id, resolved_at=now)
            .execution_options(synchronize_session=False)
        )
    entries = []
    messages = []
    for p in planned:
        c = p.comment
        action = _audit_action(decision.action, p.was_published)
        after = _snapshot(c)
        if p.redacted:
            after["redaction"] = [span.as_json() for span in spans.get(c.id, [])]
        entries.append(
            audit.Entry(
                action,
                target_type="comment",
                target_id=c.id,
                comment_id=c.id,
                member_id=accounts.get(c.author_id),
                reason=_reason_text(decision, p.flags, flag_status),
                before=p.before,
                after=after,
            )
        )
        user_id = accounts.get(c.author_id)
        if user_id is not None:
            messages.append(notices.Notice(user_id, c.id, action, _message(p, decision)))
    audit.record_many(moderator, entries)
    notices.add_many(messages)
    first_published = [
        p.comment for p in planned if p.comment.status == CommentStatus.APPROVED and not p.was_published
    ]
    _reply_notices(first_published)
    db.session.flush()
    return planned


# What a decision writes on each comment: the same columns for every one, so the lot is one executemany.
_DECIDED = (
    "status",
    "reject_reason",
    "hidden_by_flags_at",
    "body",
    "body_html",
    "redacted_at",
    "edited_at",
    "decided_by_id",
    "decided_at",
    "decision_note",
    "held_because",
)


def _write(planned: list[_Planned], now: datetime) -> None:
    """Write every decided comment with one UPDATE (an executemany), each matching only the version it
    was read at, and record for the threads what changed (counts, versions, cache, followers' news),
    as the unit of work's subscribers would for a flush.

    :raises AlreadyDecided: when any of them changed since it was read (another moderator decided it).
    """
    table = cast(Table, Comment.__table__)
    statement = (
        update(table)
        .where(table.c.id == bindparam("w_id"), table.c.version == bindparam("w_read_version"))
        .values(
            {
                **{key: bindparam(f"w_{key}") for key in _DECIDED},
                "updated_at": bindparam("w_now"),
                "version": bindparam("w_next_version"),
            }
        )
    )
    rows = [
        {
            **{f"w_{key}": getattr(p.comment, key) for key in _DECIDED},
            "w_id": p.comment.id,
            "w_read_version": p.version,
            "w_next_version": p.version + 1,
            "w_now": now,
        }
        for p in planned
    ]
    written = db.session.connection().execute(statement, rows if len(rows) > 1 else rows[0])
    if int(getattr(written, "rowcount", 0) or 0) != len(rows):
        raise AlreadyDecided()
    for p in planned:  # the session now holds what the database holds: nothing left to flush
        for key in _DECIDED:
            set_committed_value(p.comment, key, getattr(p.comment, key))
        set_committed_value(p.comment, "updated_at", now)
        set_committed_value(p.comment, "version", p.version + 1)
    counters.comments_changed(
        db.session(),
        [(p.comment.article_id, p.was_public, p.comment.status == CommentStatus.APPROVED) for p in planned],
    )
    gone = [
        p.comment
        for p in planned
        if p.comment.thanks_count and (p.redacted or p.comment.status in permissions.REFUSED)
    ]
    thanks.forget(c.id for c in gone)  # refused, taken down or redacted: its thanks go with it
    for c in gone:
        set_committed_value(c, "thanks_count", 0)
    thread_news.announce(
        [p.comment.id for p in planned if not p.was_public and p.comment.status == CommentStatus.APPROVED]
    )


def _plan(
    comment: Comment, flags: list[Flag], decision: Decision, moderator: User, now: datetime
) -> _Planned:
    """Work out one comment's decision in memory (written with the others by _write)."""
    redacted = (
        decision.action in (Action.REDACT, Action.EDIT)
        and decision.body is not None
        and decision.body != comment.body
    )
    if decision.action == Action.EDIT and not redacted:
        raise ValidationFailed(errors={"body": ["The text is unchanged."]})
    was_published = comment.status == CommentStatus.APPROVED or comment.hidden_by_flags_at is not None
    planned = _Planned(
        comment,
        flags,
        _snapshot(comment, not redacted),
        was_published,
        comment.body,
        redacted,
        comment.version,
        comment.status == CommentStatus.APPROVED,
    )
    if decision.action in (Action.REJECT, Action.REMOVE):
        comment.status = CommentStatus.REMOVED if was_published else CommentStatus.REJECTED
        comment.reject_reason = decision.reason
    else:
        comment.status = CommentStatus.APPROVED
        comment.reject_reason = None
        comment.hidden_by_flags_at = None
    if redacted and decision.body is not None:
        db.session.add(
            CommentRevision(
                comment_id=comment.id,
                editor_id=moderator.profile_id,
                body=comment.body,
                body_html=comment.body_html,
            )
        )
        comment.body = decision.body
        comment.body_html = render_comment(decision.body)
        comment.redacted_at = now
        if was_published:
            comment.edited_at = now  # published text changed: readers see it marked edited
    comment.decided_by_id = moderator.id
    comment.decided_at = now
    comment.decision_note = decision.note
    comment.held_because = None
    return planned


def _audit_action(action: Action, was_published: bool) -> str:
    return {
        Action.APPROVE: "comment.kept" if was_published else "comment.approved",
        Action.REDACT: "comment.redacted",
        Action.EDIT: "comment.redacted",
    }.get(action, "comment.removed" if was_published else "comment.rejected")


def _reply_notices(published: list[Comment]) -> None:
    """Tell the authors of the comments answered by newly published replies (one query for them all)."""
    replies = [c for c in published if c.parent_id is not None]
    if not replies:
        return
    rows = db.session.execute(
        select(Comment.id, Comment.author_id, User.id.label("user_id"))
        .join(User, User.profile_id == Comment.author_id)
        .where(Comment.id.in_({c.parent_id for c in replies}), Comment.deleted_at.is_(None))
    ).all()
    parents = {row.id: row for row in rows}
    for reply in replies:
        parent = parents.get(reply.parent_id or 0)
        if parent is not None:
            notices.reply_notice(
                reply.id,
                reply.author_id,
                parent.user_id,
                parent.author_id,
                reply.author.display_name,
                reply.article.title,
                flush=False,
            )


def _reason_text(decision: Decision, flags: list[Flag], flag_status: FlagStatus) -> str | None:
    parts = []
    if decision.reason:
        parts.append(decision.reason.value)
    if decision.note:
        parts.append(decision.note)
    if flags:
        parts.append(f"{len(flags)} report(s) {flag_status.value}")
    return "; ".join(parts) or None


def _message(planned: _Planned, decision: Decision) -> str:
    comment = planned.comment
    title = comment.article.title
    if decision.action == Action.APPROVE:
        if planned.was_published:
            return f"A moderator looked at the reports about your comment on “{title}”: it stays published."
        return f"Your comment on “{title}” is published."
    if decision.action in (Action.REDACT, Action.EDIT):
        return f"Your comment on “{title}” is published, with changes by a moderator."
    reason = decision.reason.label.lower() if decision.reason else "other"
    verb = "was taken down" if comment.status == CommentStatus.REMOVED else "was not published"
    note = f" The moderator said: {decision.note}" if decision.note else ""
    appeal = " You can appeal once if you think it wrong."
    return f"Your comment on “{title}” {verb} (reason: {reason}).{note}{appeal}"


def outcome_counts(outcomes: list[str]) -> str:
    """Say what a bulk decision did ("2 approved, 1 kept published")."""
    return ", ".join(f"{n} {what}" for what, n in Counter(outcomes).items())
