"""Let verified staff of the publisher mark their own comment as its official response, and unmark it.

The mark is ``comments.official_at``, written through the unit of work, so a published comment's
thread version and cached copies move with it (counters.apply); a pending one changes nothing readers
see until it is published. Who may is decided in ``permissions.can_mark_official`` alone. The mark is
the record (when; the author is who): authors' changes to their own comments are not audited, the
audit log holds staff decisions on other people's (moderation, editorial).
"""

from __future__ import annotations

from forum import permissions
from forum.accounts.models import User
from forum.accounts.services import standing
from forum.accounts.services.viewer import viewer_of
from forum.discussion.models import Comment
from forum.discussion.services import comments
from forum.platform.database import db
from forum.platform.models import utcnow


def mark(user: User, comment_id: int, official: bool) -> Comment:
    """Mark (``official``) or unmark your comment as the publisher's official response; again: no change.

    :raises NotFound: when there is no such comment you may see.
    :raises Forbidden: on someone else's comment, a deleted or refused one, for anyone but verified
        staff of the publisher, or while a sanction is in force.
    """
    viewer = viewer_of(user)
    comment = comments.load_own_comment(comment_id, viewer)
    permissions.ensure_can_mark_official(viewer, comment, comment.author)
    standing.ensure_can_act(user)
    if official and comment.official_at is None:
        comment.official_at = utcnow()
    elif not official and comment.official_at is not None:
        comment.official_at = None
    db.session.flush()
    return comment
