"""Say whether an account may act: a suspension or ban in force stops posting, editing, reporting.

Moderators impose and lift sanctions (forum/moderation/services/sanctions.py); everything that acts
for a member asks here first.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, and_, bindparam, or_, select

from forum.accounts.models import Sanction, SanctionKind, User
from forum.platform.database import db
from forum.platform.errors import Forbidden
from forum.platform.models import sql_constant, utcnow


class Suspended(Forbidden):
    """The member may read but not post or report."""


STOPS_POSTING = tuple(kind for kind in SanctionKind if kind.stops_posting)


def in_force(
    user_id: Any,
    now: datetime | ColumnElement[datetime],
    kinds: tuple[SanctionKind, ...] = STOPS_POSTING,
) -> ColumnElement[bool]:
    """The SQL condition "this sanction of the member's, of one of ``kinds``, holds at ``now``"
    (values or bound parameters). By default the kinds that stop a member acting."""
    return and_(
        unlifted(user_id, kinds),
        Sanction.starts_at <= now,
        or_(Sanction.ends_at.is_(None), Sanction.ends_at > now),
    )


def unlifted(user_id: Any, kinds: tuple[SanctionKind, ...] = STOPS_POSTING) -> ColumnElement[bool]:
    """The SQL condition "this sanction of the member's, of one of ``kinds``, was not lifted" (whether
    or not it has started or ended)."""
    return and_(
        Sanction.user_id == user_id,
        # Constants, not bound values: posting's statement is then rendered once, not at each execution.
        Sanction.kind.in_([sql_constant(kind) for kind in kinds]),
        Sanction.lifted_at.is_(None),
    )


def premoderation_in_force(user_id: Any, now: datetime | ColumnElement[datetime]) -> ColumnElement[bool]:
    """The SQL condition "an "always pre-moderate" sanction of the member's holds at ``now``"."""
    return in_force(user_id, now, (SanctionKind.PREMODERATION,))


def active_sanction(user_id: int) -> Sanction | None:
    """Return the member's sanction in force now that stops them acting (a ban before a suspension)."""
    now = utcnow()
    rows = db.session.scalars(_in_force_now(), {"user_id": user_id, "now": now}).all()
    return max(rows, key=lambda s: (s.ends_at is None, s.ends_at or now), default=None)


@cache
def _in_force_now() -> Select[Sanction]:
    """``active_sanction``'s statement, built once: every logged-in page asks it."""
    return select(Sanction).where(
        in_force(bindparam("user_id", type_=Integer), bindparam("now", type_=Sanction.starts_at.type))
    )


def active_premoderation(user_id: int) -> Sanction | None:
    """Return the member's "always pre-moderate" sanction in force now, if any."""
    now = utcnow()
    return db.session.scalar(
        select(Sanction)
        .where(premoderation_in_force(user_id, now))
        .order_by(Sanction.starts_at.desc())
        .limit(1)
    )


def sanctions_in_force(user_id: int) -> list[Sanction]:
    """Return every sanction of the member's in force now, of any kind."""
    now = utcnow()
    return list(db.session.scalars(select(Sanction).where(in_force(user_id, now, tuple(SanctionKind)))))


def describe(sanction: Sanction) -> str:
    """Say to the member what they cannot do, until when and why."""
    if sanction.kind == SanctionKind.BAN or sanction.ends_at is None:
        when = "You have been banned from posting"
    else:
        when = f"You are suspended from posting until {sanction.ends_at:%d %B %Y, %H:%M} UTC"
    return f"{when}: {sanction.reason} You can still read the forum."


def ensure_can_act(user: User) -> None:
    """Refuse posting, editing and reporting while a sanction is in force.

    :raises Suspended: with when it ends and why.
    """
    sanction = active_sanction(user.id)
    if sanction is not None:
        raise Suspended(describe(sanction))
