"""Keep track of personal data taken out of imported comments, and let a moderator put it back.

The importer replaces each match with a label and keeps where (``ImportRedaction``), never the data:
that stays only in the seed file. A moderator who has checked the original page can restore one
piece, with a reason; the text comes from the seed file again, and the audit log records who, when,
which rule and where — not the data itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import select

from forum import permissions
from forum.accounts.models import User
from forum.accounts.services.viewer import viewer_of
from forum.discussion.models import Comment
from forum.discussion.services.text import normalise_comment, render_comment, unwrap_hard_wraps
from forum.moderation.services import audit
from forum.platform import validation
from forum.platform.database import db
from forum.platform.errors import Conflict, NotFound
from forum.platform.models import utcnow
from forum.seeding.models import ImportRedaction
from forum.seeding.services import redaction


def keep(comment_id: int, removed: Sequence[redaction.Removed]) -> None:
    """Record what the importer took out of a new comment."""
    db.session.add_all(
        ImportRedaction(
            comment_id=comment_id,
            rule=r.rule,
            label=r.label,
            start=r.start,
            source_start=r.source_start,
            source_end=r.source_end,
        )
        for r in removed
    )


def redact_if_untouched(comment_id: int, source_body: str) -> int:
    """Redact a comment loaded before the importer redacted, if its text is still the seed's own.

    A comment a moderator has changed is theirs and is left alone; one already redacted no longer
    equals the seed text, so loading again changes nothing. Returns how many pieces were taken out.
    """
    comment = db.session.get(Comment, comment_id)
    original = normalise_comment(source_body)
    if comment is None or comment.body != original:
        return 0
    published, removed = redaction.redact(original)
    if not removed:
        return 0
    comment.body = published
    comment.body_html = render_comment(unwrap_hard_wraps(published))
    keep(comment_id, removed)
    db.session.flush()
    return len(removed)


def rerender_if_untouched(comment: Comment, source_body: str) -> bool:
    """Render an imported comment again as the importer reads it now, if its text is still the seed's.

    How a copied page's wraps are read can improve; a comment a moderator changed is left alone.
    Returns whether it changed; loading again changes nothing.
    """
    published, _ = redaction.redact(normalise_comment(source_body))
    if comment.body != published:
        return False
    html = render_comment(unwrap_hard_wraps(published))
    if comment.body_html == html:
        return False
    comment.body_html = html
    db.session.flush()
    return True


def redactions(*, open_only: bool = False) -> list[ImportRedaction]:
    """Every redaction of imported text, newest comment first (moderators only; the caller checks)."""
    query = select(ImportRedaction).order_by(ImportRedaction.comment_id, ImportRedaction.start)
    if open_only:
        query = query.where(ImportRedaction.restored_at.is_(None))
    return list(db.session.scalars(query))


def restore(
    moderator: User, redaction_id: int, reason: str | None, source_of: Callable[[int], str | None]
) -> ImportRedaction:
    """Put one piece of personal data back in an imported comment, from the seed file, with a reason.

    ``source_of`` gives a comment's text as the seed file has it (``loader.source_text``).

    :raises Forbidden: for anyone but a moderator.
    :raises NotFound: for an unknown redaction.
    :raises Conflict: when it was restored already, or the text or the seed file changed since.
    :raises ValidationFailed: without a reason.
    """
    permissions.ensure_can_moderate(viewer_of(moderator))
    found = db.session.get(ImportRedaction, redaction_id)
    if found is None:
        raise NotFound("There is no such redaction.")
    why = validation.text(reason, "reason", max_length=1000, blank="Say why it is right to show it.")
    if found.restored_at is not None:
        raise Conflict("This was put back already.")
    comment = db.session.get(Comment, found.comment_id)
    source = source_of(found.comment_id)
    if comment is None or source is None:
        raise Conflict("The seed file no longer has this comment, so there is nothing to put back.")
    if comment.body[found.start : found.start + len(found.label)] != found.label:
        raise Conflict("The comment's text has changed since it was imported; edit it by hand instead.")
    data = source[found.source_start : found.source_end]
    comment.body = comment.body[: found.start] + data + comment.body[found.start + len(found.label) :]
    comment.body_html = render_comment(unwrap_hard_wraps(comment.body))
    shift = len(data) - len(found.label)
    for later in db.session.scalars(
        select(ImportRedaction).where(
            ImportRedaction.comment_id == found.comment_id, ImportRedaction.start > found.start
        )
    ):
        later.start += shift
    found.restored_at, found.restored_by_id, found.reason = utcnow(), moderator.id, why
    db.session.flush()
    audit.record(
        moderator,
        "seed.redaction_restored",
        target_type="comment",
        target_id=found.comment_id,
        comment_id=found.comment_id,
        reason=why,
        after={"rule": found.rule, "start": found.start, "length": len(data)},
    )
    return found
