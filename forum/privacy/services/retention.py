"""Keep personal data no longer than it is needed: the retention policy, run by the worker every night
(and by ``flask --app forum retention run``).

- The text of a rejected or taken-down comment goes ``RETAIN_REJECTED_DAYS`` (90) after the decision,
  with its earlier texts and what the rules matched in it; the comment stays, marked, so its author
  and moderators see that it was there and why it is empty.
- An earlier text of any comment goes ``RETAIN_REVISIONS_DAYS`` (365) after it was replaced.
- Sign-ups never confirmed go once their link has expired; ended sessions (logged out, or idle past
  ``SESSION_IDLE_DAYS``) and used or expired password-reset links go too.

What is purged is replaced by a marker, never silently changed, and each run is in the audit log
with its counts. Every step is one set-based statement, whatever the size of the forum.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update

from forum.accounts.models import PasswordReset, Registration, UserSession
from forum.discussion.models import Comment, CommentRevision, CommentStatus
from forum.moderation.models import RuleHit
from forum.moderation.services import audit
from forum.platform.database import db
from forum.platform.models import utcnow
from forum.platform.settings import setting

REFUSED_MARKER = "[The text of this comment was removed after {days} days, as our retention policy says.]"
REVISION_MARKER = "[This earlier text was removed after {days} days, as our retention policy says.]"


@dataclass(frozen=True)
class Purged:
    """What one run removed."""

    refused_texts: int
    earlier_texts: int
    sign_ups: int
    sessions: int
    reset_links: int


def _marker_html(text: str) -> str:
    return f"<p><em>{text}</em></p>"


def run(now: datetime | None = None) -> Purged:
    """Apply the retention policy as of ``now``; return what went."""
    now = now or utcnow()
    rejected_days, revision_days = setting("RETAIN_REJECTED_DAYS"), setting("RETAIN_REVISIONS_DAYS")
    refused = select(Comment.id).where(
        Comment.status.in_([CommentStatus.REJECTED, CommentStatus.REMOVED]),
        Comment.decided_at <= now - timedelta(days=rejected_days),
        Comment.text_purged_at.is_(None),
    )
    refused_ids = list(db.session.scalars(refused))
    refused_marker = REFUSED_MARKER.format(days=rejected_days)
    revision_marker = REVISION_MARKER.format(days=revision_days)
    earlier = 0
    if refused_ids:
        db.session.execute(delete(RuleHit).where(RuleHit.comment_id.in_(refused_ids)))
        earlier += _mark_revisions(CommentRevision.comment_id.in_(refused_ids), revision_marker, now)
        db.session.execute(
            update(Comment)
            .where(Comment.id.in_(refused_ids))
            .values(
                body=refused_marker,
                body_html=_marker_html(refused_marker),
                fingerprint=None,
                text_purged_at=now,
            )
            .execution_options(synchronize_session=False)
        )
    earlier += _mark_revisions(
        CommentRevision.created_at <= now - timedelta(days=revision_days), revision_marker, now
    )
    sign_ups = _count(db.session.execute(delete(Registration).where(Registration.expires_at <= now)))
    idle = now - timedelta(days=setting("SESSION_IDLE_DAYS"))
    sessions = _count(
        db.session.execute(
            delete(UserSession).where(
                or_(UserSession.revoked_at.is_not(None), UserSession.last_seen_at <= idle)
            )
        )
    )
    resets = _count(
        db.session.execute(
            delete(PasswordReset).where(
                or_(PasswordReset.used_at.is_not(None), PasswordReset.expires_at <= now)
            )
        )
    )
    purged = Purged(len(refused_ids), earlier, sign_ups, sessions, resets)
    if any(asdict(purged).values()):
        audit.record(None, "retention.purged", target_type="site", target_id=0, after=asdict(purged))
    db.session.flush()
    return purged


def _mark_revisions(which: object, marker: str, now: datetime) -> int:
    result = db.session.execute(
        update(CommentRevision)
        .where(which, CommentRevision.purged_at.is_(None))  # type: ignore[arg-type]
        .values(body=marker, body_html=_marker_html(marker), purged_at=now)
        .execution_options(synchronize_session=False)
    )
    return _count(result)


def _count(result: object) -> int:
    """Rows a DELETE or UPDATE touched."""
    return int(getattr(result, "rowcount", 0) or 0)
