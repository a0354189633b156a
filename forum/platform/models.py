"""Declare what every feature's models stand on: the base, the naming convention, UTC times, enum columns."""

from __future__ import annotations

import enum
import re
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, DateTime, Enum, MetaData, literal_column
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

# Constraint names must be identical on SQLite and PostgreSQL so migrations can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# Indexes that only exist on PostgreSQL, created by hand-written migrations (full-text search):
# autogenerate cannot express them per dialect, so it neither adds nor drops them.
MIGRATION_ONLY_INDEXES = frozenset({"ix_comments_search", "ix_articles_search"})


# The job queue's tables on PostgreSQL (procrastinate's schema, applied by migration 1802).
JOB_QUEUE_TABLE_PREFIX = "procrastinate_"


def migration_tracks(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Tell Alembic's autogenerate (``flask db check``) which schema objects the models describe."""
    if (
        type_ == "table"
        and reflected
        and compare_to is None
        and (name or "").startswith(JOB_QUEUE_TABLE_PREFIX)
    ):
        return False
    return not (type_ == "index" and name in MIGRATION_ONLY_INDEXES)


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime (called per row, never at import)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Store aware datetimes as UTC and always hand back aware UTC datetimes.

    SQLite has no time zone type, so values come back naive there; this type makes
    both databases behave the same.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use forum.models.base.utcnow()")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """Base class of every model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


_PLAIN_VALUE = re.compile(r"[a-z][a-z0-9_]*")


def sql_constant(member: enum.StrEnum) -> ColumnElement[str]:
    """An enum value written into a statement as an SQL constant rather than a bound parameter.

    For statements PostgreSQL runs by a generic plan (a prepared statement): with the value in the
    text its planner knows how common it is and picks the index that stops early, where a bound
    value leaves it guessing. ``in_()`` of these also needs no rendering at each execution, which
    ``in_()`` of bound values does. Only plain lower-case values, so the text cannot be anything else.
    """
    if not _PLAIN_VALUE.fullmatch(member.value):
        raise ValueError(f"{member.value!r} is not a plain enum value")
    return literal_column(f"'{member.value}'")


def str_enum(enum_cls: type[enum.StrEnum], name: str) -> Enum:
    """Store an enum as its value in a VARCHAR with a CHECK constraint (portable, readable)."""
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=20,
        values_callable=lambda cls: [member.value for member in cls],
        validate_strings=True,
    )
