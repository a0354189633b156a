"""Append moderation actions to the hash-chained audit log, and verify the chain."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, insert, select, text

from forum.accounts.models import User
from forum.moderation.models import AuditEntry
from forum.platform.database import db
from forum.platform.models import utcnow

GENESIS = "0" * 64
_LOCK_KEY = 7_274_201  # any constant: serialises appends on PostgreSQL


def _canonical(value: dict[str, Any] | None) -> str | None:
    return None if value is None else json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def compute_hash(entry: AuditEntry) -> str:
    """Hash an entry's content together with the previous entry's hash."""
    content = {
        "id": entry.id,
        "created_at": entry.created_at.isoformat(),
        "actor_id": entry.actor_id,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "comment_id": entry.comment_id,
        "member_id": entry.member_id,
        "reason": entry.reason,
        "before": entry.before,
        "after": entry.after,
        "prev_hash": entry.prev_hash,
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def record(
    actor: User | None,
    action: str,
    *,
    target_type: str,
    target_id: int,
    comment_id: int | None = None,
    member_id: int | None = None,
    reason: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry in the caller's transaction, so it lands with the action or not at all."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
    last = db.session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))
    entry = AuditEntry(
        created_at=utcnow(),
        actor_id=actor.id if actor else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        comment_id=comment_id,
        member_id=member_id,
        reason=reason,
        before=_canonical(before),
        after=_canonical(after),
        prev_hash=last.entry_hash if last else GENESIS,
        entry_hash="pending",
    )
    db.session.add(entry)
    db.session.flush()  # the id is part of what is hashed
    entry.entry_hash = compute_hash(entry)
    db.session.flush()
    return entry


@dataclass(frozen=True)
class Entry:
    """One entry to append with others (record_many)."""

    action: str
    target_type: str
    target_id: int
    comment_id: int | None = None
    member_id: int | None = None
    reason: str | None = None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


def record_many(actor: User | None, entries: list[Entry]) -> list[int]:
    """Append several entries in the caller's transaction, in a fixed number of statements however many.

    Under the same lock as record: the last entry (its id and hash), then the new entries numbered
    after it and chained in order, written with one INSERT; on PostgreSQL the id sequence is moved
    past them (one statement), so record's next entry follows on. Returns their ids.
    """
    if not entries:
        return []
    postgresql = db.session.get_bind().dialect.name == "postgresql"
    if postgresql:
        db.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
    db.session.flush()  # entries recorded one by one earlier in the transaction come first
    last = db.session.execute(
        select(AuditEntry.id, AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1)
    ).first()
    next_id, link = (last.id + 1, last.entry_hash) if last else (1, GENESIS)
    now = utcnow()
    rows = []
    for offset, e in enumerate(entries):
        row = AuditEntry(
            id=next_id + offset,
            created_at=now,
            actor_id=actor.id if actor else None,
            action=e.action,
            target_type=e.target_type,
            target_id=e.target_id,
            comment_id=e.comment_id,
            member_id=e.member_id,
            reason=e.reason,
            before=_canonical(e.before),
            after=_canonical(e.after),
            prev_hash=link,
        )
        row.entry_hash = link = compute_hash(row)
        rows.append({c.key: getattr(row, c.key) for c in AuditEntry.__table__.columns})
    # The table, not the entity: the ORM's bulk INSERT splits rows by which values are None.
    db.session.connection().execute(insert(cast(Table, AuditEntry.__table__)), rows)
    if postgresql:
        db.session.execute(
            text("SELECT setval(pg_get_serial_sequence('audit_log', 'id'), :n, true)"),
            {"n": next_id + len(rows) - 1},
        )
    return [row["id"] for row in rows]


@dataclass(frozen=True)
class Verification:
    """The result of checking the chain."""

    checked: int
    broken_id: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def verify() -> Verification:
    """Walk the log in order and name the first entry whose hash or link does not hold."""
    previous = GENESIS
    checked = 0
    for entry in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).yield_per(500):
        if entry.prev_hash != previous:
            return Verification(checked, entry.id, "its link to the previous entry is broken")
        if compute_hash(entry) != entry.entry_hash:
            return Verification(checked, entry.id, "its content does not match its hash")
        previous = entry.entry_hash
        checked += 1
    return Verification(checked)
