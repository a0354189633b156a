"""Tell followers of a thread about its new published comments, and answer notifications about comments.

A comment that becomes public (posted and published at once, or approved by a moderator) asks for
one job, ``discussion.comment_published``, in its own transaction; the job, in the worker, records
an email for each member who follows the thread and wants one email per comment (one INSERT however
many they are) and asks for their deliveries. Nothing is asked for while a comment is pending: a
held reply tells nobody until it is approved, and a rejected one never.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import aliased

from forum.accounts.models import Profile, User
from forum.discussion.models import Article, Comment, CommentStatus, Follow, public_thread
from forum.discussion.services import follows
from forum.notifications.models import FollowedMode, NotificationSettings
from forum.notifications.services import emails, preferences
from forum.notifications.services.comments import About, Excerpt, FollowedThread
from forum.platform import jobs, mail
from forum.platform.database import db
from forum.platform.unit_of_work import ChangeSet

COMMENT_PUBLISHED = "discussion.comment_published"
THREAD_COMMENT = "thread.comment"


def published_at() -> ColumnElement[datetime]:
    """When a comment became public: its approval, or its posting when published at once."""
    return func.coalesce(Comment.decided_at, Comment.created_at)


def public() -> ColumnElement[bool]:
    """The SQL condition "anyone may read this comment now"."""
    return and_(
        Comment.status == CommentStatus.APPROVED,
        Comment.deleted_at.is_(None),
        Comment.hidden_by_flags_at.is_(None),
        public_thread(),
    )


def announce_published(changes: ChangeSet) -> None:
    """Ask for the followers' emails of every comment a flush made public (a moderator's approval)."""
    _, dirty, _ = changes.of(Comment)
    for comment in dirty:
        became_public = changes.before(comment, "status") != CommentStatus.APPROVED
        if became_public and comment.status == CommentStatus.APPROVED and comment.deleted_at is None:
            jobs.later(COMMENT_PUBLISHED, comment=comment.id)


def announce(comment_ids: Sequence[int]) -> None:
    """Ask for the followers' emails of comments a statement (a bulk decision) made public."""
    for comment_id in comment_ids:
        jobs.later(COMMENT_PUBLISHED, comment=comment_id)


def comment_published(comment: int) -> int:
    """Record an email for each immediate follower of a newly public comment's thread; return how many."""
    row = db.session.execute(
        select(Comment.id, Comment.article_id, Comment.parent_id, User.id.label("author_user_id"))
        .join(Article, Article.id == Comment.article_id)
        .outerjoin(User, User.profile_id == Comment.author_id)
        .where(Comment.id == comment, public())
    ).first()
    if row is None:
        return 0  # taken down or deleted since: tell nobody
    told_by_reply = _parent_author_told(row.parent_id)
    followers = db.session.scalars(
        select(Follow.user_id)
        .join(NotificationSettings, NotificationSettings.user_id == Follow.user_id)
        .where(
            Follow.article_id == row.article_id,
            Follow.following.is_(True),
            NotificationSettings.followed == FollowedMode.IMMEDIATE,
            NotificationSettings.email_enabled.is_(True),
        )
    ).all()
    wanted = [uid for uid in followers if uid not in (row.author_user_id, told_by_reply)]
    return len(emails.queue_many(THREAD_COMMENT, row.id, wanted))


def _parent_author_told(parent_id: int | None) -> int | None:
    """The account answered by a reply, when it gets the reply's own email (so not this one too)."""
    if parent_id is None:
        return None
    user = db.session.scalar(
        select(User).join(Comment, Comment.author_id == User.profile_id).where(Comment.id == parent_id)
    )
    if user is None or not preferences.preferences(user).replies:
        return None
    return user.id


class DiscussionComments:
    """The discussion's answers to notifications about comments (installed in create_app)."""

    def published(self, ids: Sequence[int]) -> dict[int, Excerpt]:
        """The comments among ``ids`` anyone may read now, as emails quote them."""
        if not ids:
            return {}
        author = aliased(Profile)
        rows = db.session.execute(
            select(
                Comment.id,
                Comment.article_id,
                Comment.body,
                Article.title,
                Article.slug,
                author.display_name,
                User.id.label("author_user_id"),
                published_at().label("published_at"),
            )
            .join(Article, Article.id == Comment.article_id)
            .join(author, author.id == Comment.author_id)
            .outerjoin(User, User.profile_id == Comment.author_id)
            .where(Comment.id.in_(list(ids)), public())
        ).all()
        return {
            row.id: Excerpt(
                id=row.id,
                article_id=row.article_id,
                article_title=row.title,
                author_name=row.display_name,
                author_user_id=row.author_user_id,
                text=row.body,
                url=mail.link("web.comment", comment_id=row.id),
                article_url=mail.link("web.article", slug=row.slug),
                published_at=row.published_at,
            )
            for row in rows
        }

    def about(self, comment_id: int) -> About | None:
        """Where a comment is (for its author) and who last decided it."""
        row = db.session.execute(
            select(Article.title, Comment.decided_by_id)
            .join(Article, Article.id == Comment.article_id)
            .where(Comment.id == comment_id)
        ).first()
        if row is None:
            return None
        return About(row.title, mail.link("web.comment", comment_id=comment_id), row.decided_by_id)

    def followed_by(self, user_id: int) -> list[FollowedThread]:
        """The threads the member follows."""
        return follows.followed_by(user_id)
