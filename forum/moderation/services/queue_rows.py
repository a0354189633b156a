"""Read a slice of the moderation queue as plain rows, for the API's JSON (issue 23).

The queue page and a comment's own page build ``QueueItem``s of ORM objects (review_queue.py). The
API reads up to 200 items at a time, where loading every column of every comment, article and
profile into objects, and sorting those wide rows, cost most of the request: here the page is
ordered on its ids alone, then one statement reads only the columns the JSON shows, joined with
the parent, the held edit, the appeal and the safeguarding item (one of each per comment at most).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import BindParameter, Integer, Row, Select, and_, bindparam, func, select, tuple_, union_all
from sqlalchemy.orm import aliased

from forum.accounts.models import Profile, Sanction
from forum.discussion.models import Article, Comment, EditStatus, HeldEdit
from forum.moderation.models import Appeal, Flag, FlagStatus, RuleHit, SafeguardingCase
from forum.moderation.services import queue_kinds
from forum.moderation.services.members import author_records
from forum.moderation.services.review_queue import QueueFilter, QueueItem, decode_cursor, waiting
from forum.platform import cursors
from forum.platform.database import db

_parent = aliased(Comment, name="parent")
_parent_author = aliased(Profile, name="parent_author")


@dataclass
class QueueRow:
    """One item of the queue as rows: the item (its kind and why) and the joined columns it shows."""

    item: QueueItem  # built from rows, not ORM objects: ``comment``, ``hits``, ``flags`` are rows
    row: Row[Any]


@dataclass
class QueueRows:
    """Some rows of the queue, the total matching, and where the next ones start."""

    rows: list[QueueRow]
    total: int
    next_cursor: str | None


def load_rows_after(wanted: QueueFilter, after: str | None, limit: int = 50) -> QueueRows:
    """Return up to ``limit`` items after the ``after`` cursor, in the page's order, as rows.

    The same items, order, total and cursor as review_queue.load_queue_after, in five statements
    whatever the queue's size: the page (with the total), its rule hits, its reports, the authors'
    records (two); the count on its own only for a cursor past the end.

    :raises ValidationFailed: for a cursor that is not one of ours.
    """
    values: dict[str, Any] = {"page_limit": limit + 1}
    if after:
        values["after_rank"], values["after_at"], values["after_id"] = decode_cursor(after)
    connection = db.session.connection()
    rows = list(connection.execute(_page_statement(wanted, bool(after)), values))
    # Put back in the page's order here: sorting 200 wide rows again cost the server more than this.
    rows.sort(key=lambda r: (r.rank, r.created_at, r.id))
    if rows:
        total = rows[0].total
    elif after:
        total = db.session.scalar(select(func.count(Comment.id)).where(waiting(), *wanted.conditions())) or 0
    else:
        total = 0
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if more and rows:
        last = rows[-1]
        next_cursor = f"{last.rank}.{cursors.encode(last.created_at, last.id)}"
    return QueueRows(_items(rows), total, next_cursor)


@lru_cache(maxsize=64)
def _page_statement(wanted: QueueFilter, after: bool) -> Select[Any]:
    """Build the page's statement once per filter: building it and its cache key each time cost
    more than running it (the cursor and the limit are parameters)."""
    rank = queue_kinds.priority().label("rank")
    # The total rides on the page: counted over every match, before the cursor and the limit.
    matching = (
        select(Comment.id, rank, Comment.created_at, func.count().over().label("total"))
        .where(waiting(), *wanted.conditions())
        .subquery("matching")
    )
    ordered = select(matching)
    if after:
        position = tuple_(
            bindparam("after_rank", type_=Integer),
            bindparam("after_at", type_=Comment.created_at.type),
            bindparam("after_id", type_=Integer),
        )
        ordered = ordered.where(tuple_(matching.c.rank, matching.c.created_at, matching.c.id) > position)
    ordered = ordered.order_by(matching.c.rank, matching.c.created_at, matching.c.id)
    return _columns(ordered.limit(bindparam("page_limit", type_=Integer)).subquery("page"))


def _columns(page: Any) -> Select[Any]:
    return (
        select(
            page.c.rank,
            page.c.total,
            *(
                getattr(Comment, name)
                for name in (
                    "id",
                    "parent_id",
                    "author_id",
                    "body",
                    "body_html",
                    "status",
                    "held_because",
                    "created_at",
                    "deleted_at",
                    "hidden_by_flags_at",
                )
            ),
            Article.slug.label("article_slug"),
            Article.title.label("article_title"),
            Profile.display_name,
            Profile.job_title,
            Profile.organisation,
            Profile.role,
            Profile.role_source,
            _parent.id.label("parent_row_id"),
            _parent.body.label("parent_body"),
            _parent_author.display_name.label("parent_author"),
            HeldEdit.id.label("edit_id"),
            HeldEdit.body.label("edit_body"),
            HeldEdit.held_because.label("edit_held_because"),
            HeldEdit.created_at.label("edit_created_at"),
            Appeal.id.label("appeal_id"),
            Appeal.note.label("appeal_note"),
            Appeal.status.label("appeal_status"),
            Appeal.created_at.label("appeal_created_at"),
            Appeal.appealed_decider_id,
            SafeguardingCase.id.label("case_id"),
            SafeguardingCase.source.label("case_source"),
            SafeguardingCase.signals.label("case_signals"),
            SafeguardingCase.opened_at.label("case_opened_at"),
            SafeguardingCase.first_read_at.label("case_first_read_at"),
            SafeguardingCase.decided_at.label("case_decided_at"),
            SafeguardingCase.outcome.label("case_outcome"),
            SafeguardingCase.referred_to.label("case_referred_to"),
            SafeguardingCase.note.label("case_note"),
            SafeguardingCase.support_sent_at.label("case_support_sent_at"),
        )
        .select_from(page)
        .join(Comment, Comment.id == page.c.id)
        .join(Article, Article.id == Comment.article_id)
        .join(Profile, Profile.id == Comment.author_id)
        .outerjoin(_parent, _parent.id == Comment.parent_id)
        .outerjoin(_parent_author, _parent_author.id == _parent.author_id)
        # One waiting edit per comment (comments._hold_edit replaces it); appeals and cases are unique.
        .outerjoin(HeldEdit, and_(HeldEdit.comment_id == Comment.id, HeldEdit.status == EditStatus.PENDING))
        .outerjoin(Appeal, Appeal.comment_id == Comment.id)
        .outerjoin(SafeguardingCase, SafeguardingCase.comment_id == Comment.id)
    )


# The ids are written into the statement, not bound one by one: 200 parameters cost psycopg and the
# server about 1 ms more a statement, and an id list is only ever integers we read.
_IDS: BindParameter[list[int]] = bindparam("ids", expanding=True, literal_execute=True)
_HITS = (
    select(RuleHit.comment_id, RuleHit.rule, RuleHit.matched, RuleHit.start, RuleHit.end)
    .where(RuleHit.comment_id.in_(_IDS))
    .order_by(RuleHit.start)
)
_FLAGS = (
    select(Flag.id, Flag.comment_id, Flag.flagger_id, Flag.reason, Flag.note, Flag.status, Flag.created_at)
    .where(Flag.comment_id.in_(_IDS), Flag.status == FlagStatus.OPEN)
    .order_by(Flag.created_at)
)


def _items(rows: Sequence[Row[Any]]) -> list[QueueRow]:
    if not rows:
        return []
    connection = db.session.connection()
    ids = {"ids": [r.id for r in rows]}
    hits: dict[int, list[Any]] = {}
    for hit in connection.execute(_HITS, ids):
        hits.setdefault(hit.comment_id, []).append(hit)
    flags: dict[int, list[Any]] = {}
    for flag in connection.execute(_FLAGS, ids):
        flags.setdefault(flag.comment_id, []).append(flag)
    records = author_records({r.author_id for r in rows})
    # QueueItem says what each waits as and why from these columns alone (rows stand in for objects).
    return [
        QueueRow(
            QueueItem(
                cast(Comment, r),
                None,
                records[r.author_id],
                cast(list[RuleHit], hits.get(r.id, [])),
                cast(list[Flag], flags.get(r.id, [])),
                queue_kinds.kind_of(r.rank) if r.deleted_at is None else None,
                cast(HeldEdit, r) if r.edit_id is not None else None,
            ),
            r,
        )
        for r in rows
    ]


def changes_by_time(now: datetime) -> datetime | None:
    """The next moment a sanction starts or ends (not lifted): what the queue says of its authors
    ("pre-moderated") may change then with no row changing (queue_copies.py keeps copies until then)."""
    unlifted = Sanction.lifted_at.is_(None)
    moments = union_all(
        select(Sanction.starts_at.label("at")).where(unlifted, Sanction.starts_at > now),
        select(Sanction.ends_at.label("at")).where(unlifted, Sanction.ends_at > now),
    ).subquery()
    return db.session.scalar(select(func.min(moments.c.at)))
