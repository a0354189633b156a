"""Look after comments that say someone may be at risk: cases, on-call alerts, outcomes.

A case opens when the detector holds a comment (``policy``) or a member reports a published one as
"someone may be at risk" (``reports``). Opening one alerts every on-call moderator at once: an
in-app notice and an email ahead of all other mail. Neither quotes the comment: they say what
happened and where to look. The case keeps when a person first read it and when, and how, a
moderator decided it (docs/safeguarding.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import aliased

from forum import permissions
from forum.accounts.models import Profile, User
from forum.accounts.services.viewer import viewer_of
from forum.discussion.models import Article, Comment
from forum.moderation.models import OnCallModerator, SafeguardingCase, SafeguardingOutcome
from forum.moderation.services import audit, risk_signals
from forum.notifications.models import Notification
from forum.notifications.services import alerts, notices
from forum.platform import validation
from forum.platform.database import db
from forum.platform.errors import NotFound, ValidationFailed
from forum.platform.models import utcnow

DETECTED = "detected"
REPORTED = "report"
NOTE_MAX = 2000
REFERRED_MAX = 200
MESSAGE_MAX = 2000
ALERT_KIND = "moderation.safeguarding"
SUPPORT_KIND = "safeguarding.support"
REPORT_THANKS = (
    "Thank you for telling us. A moderator will read this comment first, before anything else. "
    "If you are worried about someone, or about yourself, you can also get help now."
)
SUPPORT_TEMPLATE = (
    "Thank you for what you wrote. One of our moderators has read it, and we wanted to check you are "
    "all right. You are not alone: Samaritans are there any time on 116 123 (free), you can text SHOUT "
    "to 85258, and NHS 111 can help if you need urgent medical advice. If you or someone else is in "
    "danger right now, please call 999."
)


def label(signal: str) -> str:
    """A signal's name for moderators ("Self-harm"); a report's is "Reported: someone may be at risk"."""
    return risk_signals.LABELS.get(signal, "Reported: someone may be at risk")


def open_case(comment_id: int, source: str, signals: Iterable[str]) -> SafeguardingCase:
    """Open (or reopen) the case for a comment and alert the on-call moderators at once."""
    wanted = list(dict.fromkeys(signals))
    case = db.session.scalar(select(SafeguardingCase).where(SafeguardingCase.comment_id == comment_id))
    if case is None:
        case = SafeguardingCase(comment_id=comment_id, source=source, signals=",".join(wanted))
        db.session.add(case)
    else:
        case.signals = ",".join(dict.fromkeys(case.signal_names + wanted))
        if case.decided_at is not None:  # something new after a decision: a person reads it again
            case.decided_at = case.decided_by_id = case.outcome = None
            case.opened_at, case.first_read_at, case.first_read_by_id = utcnow(), None, None
    db.session.flush()
    _alert(case)
    return case


def _alert(case: SafeguardingCase) -> None:
    title = db.session.scalar(
        select(Article.title)
        .join(Comment, Comment.article_id == Article.id)
        .where(Comment.id == case.comment_id)
    )
    what = ", ".join(label(s).lower() for s in case.signal_names) or "someone may be at risk"
    summary = f"A comment on “{title}” may say someone is at risk ({what}). Please read it now."
    ids = on_call_ids()
    db.session.add_all(
        Notification(user_id=uid, comment_id=case.comment_id, kind=ALERT_KIND, message=summary) for uid in ids
    )
    alerts.safeguarding_alert(
        ids,
        reference=f"{case.comment_id}:{case.opened_at:%Y%m%d%H%M%S}",
        summary=summary,
        endpoint="moderation.safeguarding",
        values={},
    )


def on_call_ids() -> list[int]:
    """The moderators alerted about every safeguarding item (moderators still, not banned)."""
    rows = db.session.execute(select(User).join(OnCallModerator, OnCallModerator.user_id == User.id))
    return [user.id for (user,) in rows if user.is_moderator]


def on_call() -> list[User]:
    """The on-call moderators, by name."""
    rows = db.session.scalars(
        select(User).join(OnCallModerator, OnCallModerator.user_id == User.id).order_by(User.email)
    )
    return [u for u in rows if u.is_moderator]


def set_on_call(actor: User, user_id: int, on: bool) -> None:
    """Put a moderator on call or take them off (themselves, or anyone by an admin); logged.

    :raises NotFound: when there is no such moderator.
    :raises Forbidden: when a moderator acts for someone else.
    """
    viewer = viewer_of(actor)
    if user_id != actor.id:
        permissions.ensure_can_administer(viewer)
    permissions.ensure_can_moderate(viewer)
    user = db.session.get(User, user_id)
    if user is None or not user.is_moderator:
        raise NotFound("There is no such moderator.")
    row = db.session.get(OnCallModerator, user_id)
    if on == (row is not None):
        return
    if on:
        db.session.add(OnCallModerator(user_id=user_id))
    else:
        db.session.delete(row)
    db.session.flush()
    audit.record(
        actor,
        "safeguarding.on_call" if on else "safeguarding.off_call",
        target_type="member",
        target_id=user_id,
        member_id=user_id,
    )


def mark_read(moderator: User, comment_ids: Sequence[int], now: datetime | None = None) -> None:
    """Record that a person has now read these comments' cases (the first read only counts)."""
    if not comment_ids or not moderator.is_moderator:
        return
    db.session.execute(
        update(SafeguardingCase)
        .where(SafeguardingCase.comment_id.in_(list(comment_ids)), SafeguardingCase.first_read_at.is_(None))
        .values(first_read_at=now or utcnow(), first_read_by_id=moderator.id)
        .execution_options(synchronize_session=False)
    )


def cases_for(comment_ids: Sequence[int]) -> dict[int, SafeguardingCase]:
    """The cases of these comments, by comment id (one query)."""
    if not comment_ids:
        return {}
    rows = db.session.scalars(
        select(SafeguardingCase).where(SafeguardingCase.comment_id.in_(list(comment_ids)))
    )
    return {case.comment_id: case for case in rows}


@dataclass(frozen=True)
class Outcome:
    """A moderator's safeguarding outcome, as received from a form or the API."""

    outcome: str
    referred_to: str | None = None
    note: str | None = None
    send_support: bool = False
    message: str | None = None


def _field(errors: dict[str, list[str]], check: Callable[[], str | None]) -> str | None:
    """Run one field's check, collecting its message in ``errors`` rather than stopping at it."""
    try:
        return check()
    except ValidationFailed as exc:
        errors.update(exc.errors)
        return None


def record_outcome(moderator: User, comment_id: int, given: Outcome) -> SafeguardingCase:
    """Record what a moderator found and did; optionally send the author a private supportive message.

    :raises Forbidden: for anyone but a moderator.
    :raises NotFound: when the comment has no safeguarding case.
    :raises ValidationFailed: for an unknown outcome, a referral without whom, or over-long text.
    """
    permissions.ensure_can_moderate(viewer_of(moderator))
    case = db.session.scalar(select(SafeguardingCase).where(SafeguardingCase.comment_id == comment_id))
    if case is None:
        raise NotFound("This comment has no safeguarding item.")
    errors: dict[str, list[str]] = {}
    outcome = next((o for o in SafeguardingOutcome if o.value == given.outcome), None)
    if outcome is None:
        errors["outcome"] = ["Choose what you found: no concern, support message sent, or referred."]
    referred = _field(
        errors, lambda: validation.line(given.referred_to, "referred_to", max_length=REFERRED_MAX)
    )
    note = _field(errors, lambda: validation.text(given.note, "note", max_length=NOTE_MAX))
    message = _field(errors, lambda: validation.text(given.message, "message", max_length=MESSAGE_MAX))
    if outcome is SafeguardingOutcome.REFERRED and not referred and "referred_to" not in errors:
        errors["referred_to"] = [
            "Say to whom you referred it (for example: the police, the local authority's safeguarding team)."
        ]
    if given.send_support and not message and "message" not in errors:
        errors["message"] = ["Write the message to send, or untick “Send a supportive message”."]
    if errors or outcome is None:
        raise ValidationFailed(errors=errors)
    now = utcnow()
    before = {"outcome": case.outcome.value if case.outcome else None}
    if case.first_read_at is None:
        case.first_read_at, case.first_read_by_id = now, moderator.id
    case.outcome, case.referred_to, case.note = outcome, referred, note
    case.decided_at, case.decided_by_id = now, moderator.id
    author_id = db.session.scalar(select(Comment.author_id).where(Comment.id == comment_id))
    sent = None
    if given.send_support and message and author_id is not None:
        sent = notices.notify_author(author_id, comment_id, SUPPORT_KIND, message)
        case.support_sent_at = now if sent is not None else None
    db.session.flush()
    member_id = db.session.scalar(select(User.id).where(User.profile_id == author_id))
    audit.record(
        moderator,
        "safeguarding.decided",
        target_type="comment",
        target_id=comment_id,
        comment_id=comment_id,
        member_id=member_id,
        reason=note,
        before=before,
        after={
            "outcome": outcome.value,
            "referred_to": referred,
            "support_message_sent": sent is not None,
        },
    )
    return case


@dataclass(frozen=True)
class CaseRow:
    """A case as the safeguarding view lists it."""

    case: SafeguardingCase
    comment: Comment
    article_title: str
    article_slug: str
    author_name: str


def list_cases(*, open_only: bool, limit: int = 100) -> list[CaseRow]:
    """Open cases oldest first, or the latest decided ones (moderators only; the caller checks)."""
    author = aliased(Profile)
    query = (
        select(SafeguardingCase, Comment, Article.title, Article.slug, author.display_name)
        .join(Comment, Comment.id == SafeguardingCase.comment_id)
        .join(Article, Article.id == Comment.article_id)
        .join(author, author.id == Comment.author_id)
    )
    if open_only:
        query = query.where(SafeguardingCase.decided_at.is_(None)).order_by(SafeguardingCase.opened_at)
    else:
        query = query.where(SafeguardingCase.decided_at.is_not(None)).order_by(
            SafeguardingCase.decided_at.desc()
        )
    return [CaseRow(*row) for row in db.session.execute(query.limit(limit))]
