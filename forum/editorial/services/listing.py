"""List articles for editors: every state, filtered by state, searched by title, newest change first."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from forum import permissions
from forum.accounts.services.viewer import Viewer
from forum.discussion.models import Article, ArticleState
from forum.platform.database import db


@dataclass(frozen=True)
class EditorPage:
    """A page of the editors' list."""

    items: list[Article]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def list_for_editors(
    viewer: Viewer,
    state: ArticleState | None = None,
    query: str | None = None,
    page: int = 1,
    per_page: int = 20,
) -> EditorPage:
    """Return a page of articles in any state (2 queries), the latest changed first.

    :raises Forbidden: for anyone who does not edit articles.
    """
    permissions.ensure_can_edit_articles(viewer)
    conditions = []
    if state is not None:
        conditions.append(Article.state == state)
    if query:
        escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(func.lower(Article.title).like(f"%{escaped.lower()}%", escape="\\"))
    total = db.session.scalar(select(func.count(Article.id)).where(*conditions)) or 0
    items = db.session.scalars(
        select(Article)
        .where(*conditions)
        .order_by(Article.updated_at.desc(), Article.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return EditorPage(list(items), page, per_page, total)


def counts_by_state(viewer: Viewer) -> dict[ArticleState, int]:
    """How many articles are in each state (for the filter's labels)."""
    permissions.ensure_can_edit_articles(viewer)
    rows = db.session.execute(select(Article.state, func.count(Article.id)).group_by(Article.state))
    found = dict.fromkeys(ArticleState, 0)
    found.update({row[0]: row[1] for row in rows})
    return found
