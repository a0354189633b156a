"""Let members say a comment helped them ("This helped me"), once each, and take it back.

There are no downvotes. The count is stored on the comment (``comments.thanks_count``) and moved by an
UPDATE in the transaction of each change, like the threads' comment counts: nothing counts rows on a
read. A change bumps the thread's version and its cached copies' generations (counters.comments_changed),
so every reader sees the new count at once. When a comment stops being something to thank (deleted by
its author, refused or taken down, redacted, its author erased) its thanks go with it
(:func:`forget_when_gone`, and :func:`forget` for the moderators' bulk decisions).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from forum import permissions
from forum.accounts.models import User
from forum.accounts.services import standing
from forum.accounts.services.viewer import Viewer, viewer_of
from forum.discussion.models import Comment
from forum.discussion.services import counters, threads
from forum.discussion.services.threads import Thread
from forum.discussion.thanks_models import CommentThanks
from forum.notifications.services import notices
from forum.platform.database import db
from forum.platform.errors import NotFound
from forum.platform.models import utcnow
from forum.platform.unit_of_work import ChangeSet

NOTICE_KIND = "thanks.received"  # in the app only: no email category (notifications/services/preferences.py)
NOTICE_EVERY = timedelta(days=1)  # at most one notice per comment a day, however many say thanks


@dataclass(frozen=True)
class ThanksState:
    """Where a comment's thanks stand for the member asking: how many, and whether they are one."""

    comment: Comment
    thanks_count: int
    thanked: bool


def _load(viewer: Viewer, comment_id: int) -> Comment:
    """:raises NotFound: when there is no such comment the viewer may see, or no published one."""
    comment = threads.get_comment(comment_id, viewer)
    if comment is None or comment.author_erased_at is not None:
        raise NotFound("There is no such published comment.")
    permissions.ensure_can_thank(viewer, comment)
    return comment


def thank(user: User, comment_id: int) -> ThanksState:
    """Say the comment helped you (a second time changes nothing); its author is told, without your name.

    :raises NotFound: when the comment is not published (or not visible to you).
    :raises Forbidden: for your own comment.
    :raises Suspended: while a sanction is in force.
    """
    comment = _load(viewer_of(user), comment_id)
    standing.ensure_can_act(user)
    try:
        with db.session.begin_nested():  # the same member twice at the same moment: one row
            db.session.execute(insert(CommentThanks).values(comment_id=comment.id, user_id=user.id))
    except IntegrityError:
        return ThanksState(comment, comment.thanks_count, True)
    _move(comment, +1)
    _tell_author(comment)
    return ThanksState(comment, comment.thanks_count, True)


def unthank(user: User, comment_id: int) -> ThanksState:
    """Take back your thanks (when you had given none, nothing changes).

    :raises NotFound: when the comment is not published (or not visible to you).
    :raises Forbidden: for your own comment.
    """
    comment = _load(viewer_of(user), comment_id)
    gone = db.session.execute(
        delete(CommentThanks).where(CommentThanks.comment_id == comment.id, CommentThanks.user_id == user.id)
    )
    if int(getattr(gone, "rowcount", 0) or 0):
        _move(comment, -1)
    return ThanksState(comment, comment.thanks_count, False)


def _move(comment: Comment, delta: int) -> None:
    """Move the stored count in the database (never a count of rows), and the thread's version with it."""
    count = db.session.execute(
        update(Comment)
        .where(Comment.id == comment.id)
        .values(thanks_count=Comment.thanks_count + delta, updated_at=Comment.updated_at)
        .returning(Comment.thanks_count)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    set_committed_value(comment, "thanks_count", count)
    counters.comments_changed(db.session(), [(comment.article_id, True, True)])  # version, caches


def _tell_author(comment: Comment) -> None:
    """Tell the author someone found their comment helpful: never who, at most once a day per comment."""
    if notices.notified_since(comment.id, NOTICE_KIND, utcnow() - NOTICE_EVERY):
        return
    notices.notify_author(
        comment.author_id,
        comment.id,
        NOTICE_KIND,
        f"Someone said your comment on “{comment.article.title}” helped them.",
    )


def mark_thanked(thread: Thread, viewer: Viewer) -> None:
    """Say which comments of the page the member thanked: one query for the page, none for readers."""
    if viewer.user_id is None or not thread.roots:
        return
    shown = [node.comment.id for node, _ in thread.walk() if node.comment.placeholder is None]
    mark_from(thread, frozenset(thanked_among(viewer, shown)))


def mark_from(thread: Thread, thanked: frozenset[int]) -> None:
    """Say which comments of the page the member thanked, from what was read of them already."""
    for node, _ in thread.walk():
        if node.comment.placeholder is None:
            node.comment.thanked = node.comment.id in thanked


def thanked_among(viewer: Viewer, comment_ids: list[int]) -> set[int]:
    """Which of these comments the member thanked (one query; none for readers or no comments)."""
    if viewer.user_id is None or not comment_ids:
        return set()
    return set(
        db.session.scalars(
            select(CommentThanks.comment_id).where(
                CommentThanks.user_id == viewer.user_id, CommentThanks.comment_id.in_(sorted(comment_ids))
            )
        )
    )


def has_thanked(viewer: Viewer, comment_id: int) -> bool:
    """Whether the member said this comment helped them (the single comment's JSON)."""
    if viewer.user_id is None:
        return False
    found = db.session.scalar(
        select(CommentThanks.comment_id).where(
            CommentThanks.comment_id == comment_id, CommentThanks.user_id == viewer.user_id
        )
    )
    return found is not None


def forget(comment_ids: Iterable[int]) -> None:
    """Remove the thanks of comments that are gone (deleted, refused, redacted, erased) and their counts."""
    ids = sorted(set(comment_ids))
    if not ids:
        return
    connection = db.session.connection()
    thanks_table: Any = CommentThanks.__table__
    connection.execute(delete(thanks_table).where(thanks_table.c.comment_id.in_(ids)))
    table: Any = Comment.__table__
    connection.execute(
        update(table).where(table.c.id.in_(ids)).values(thanks_count=0, updated_at=table.c.updated_at)
    )


def withdraw_all(user_id: int) -> None:
    """Take back every thanks a member gave (their account is erased): the counts move down with them."""
    given = select(CommentThanks.comment_id).where(CommentThanks.user_id == user_id)
    moved = list(
        db.session.execute(
            update(Comment)
            .where(Comment.id.in_(given))
            .values(thanks_count=Comment.thanks_count - 1, updated_at=Comment.updated_at)
            .returning(Comment.article_id)
            .execution_options(synchronize_session=False)
        ).scalars()
    )
    if not moved:
        return
    db.session.execute(delete(CommentThanks).where(CommentThanks.user_id == user_id))
    counters.comments_changed(db.session(), [(article_id, True, True) for article_id in sorted(set(moved))])


def _gone(comment: Comment) -> bool:
    """Whether this flush made the comment something nobody should thank any more."""
    if not comment.thanks_count:
        return False
    refused = ChangeSet.changed(comment, "status") and comment.status in permissions.REFUSED
    return refused or any(
        ChangeSet.changed(comment, name) and getattr(comment, name) is not None
        for name in ("deleted_at", "redacted_at", "author_erased_at")
    )


def forget_when_gone(changes: ChangeSet) -> None:
    """Take the thanks away with a comment that is gone (the discussion's unit-of-work flush subscriber)."""
    gone = [c for c in changes.of(Comment)[1] if _gone(c)]
    if not gone:
        return
    forget(c.id for c in gone)

    def settle() -> None:  # the session holds what the database now holds
        for comment in gone:
            set_committed_value(comment, "thanks_count", 0)

    changes.afterwards(settle)
