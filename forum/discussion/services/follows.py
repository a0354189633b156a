"""Follow and stop following threads: by the button under an article, or by commenting in it.

Following is the discussion's: a member follows an article's thread. What reaches them (an email
per comment, a daily digest, nothing) is their notification settings' choice.
"""

from __future__ import annotations

from sqlalchemy import select, update

from forum.accounts.models import User
from forum.discussion.models import Article, Follow, public_article
from forum.discussion.services import articles
from forum.notifications.services.comments import FollowedThread
from forum.platform.database import db, insert_unless_present
from forum.platform.models import utcnow


def is_following(user_id: int, article_id: int) -> bool:
    """Whether the member follows the article's thread now."""
    return bool(
        db.session.scalar(
            select(Follow.following).where(Follow.user_id == user_id, Follow.article_id == article_id)
        )
    )


def follow(user: User, slug: str) -> Article:
    """Follow the published article at ``slug`` (again, if the member had stopped).

    :raises NotFound: when there is no such published article.
    """
    article = articles.get_article(slug)
    _set(user.id, article.id, True)
    return article


def unfollow(user: User, slug: str) -> Article:
    """Stop following the article at ``slug``; commenting there again will not follow it back.

    :raises NotFound: when there is no such published article.
    """
    article = articles.get_article(slug)
    _set(user.id, article.id, False)
    return article


def _set(user_id: int, article_id: int, following: bool) -> None:
    now = utcnow()
    changed = db.session.execute(
        update(Follow)
        .where(Follow.user_id == user_id, Follow.article_id == article_id)
        .values(following=following, updated_at=now)
    )
    if not getattr(changed, "rowcount", 0):
        start(user_id, article_id, following=following)


def start(user_id: int, article_id: int, following: bool = True) -> None:
    """Record that the member follows the article (one INSERT; nothing when a row is already there).

    Posting calls this the first time a member comments in a thread, unless they turned that off.
    """
    values = {
        "user_id": user_id,
        "article_id": article_id,
        "following": following,
        "created_at": utcnow(),
        "updated_at": utcnow(),
    }
    insert_unless_present(Follow, values)


def followed_by(user_id: int) -> list[FollowedThread]:
    """The published threads a member follows, most recently followed first."""
    rows = db.session.execute(
        select(Article.slug, Article.title)
        .join(Follow, Follow.article_id == Article.id)
        .where(Follow.user_id == user_id, Follow.following.is_(True), public_article())
        .order_by(Follow.updated_at.desc())
    ).all()
    return [FollowedThread(slug=row.slug, title=row.title) for row in rows]
