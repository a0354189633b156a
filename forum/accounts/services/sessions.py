"""Keep server-side records of login sessions: start, check, list and end them."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import ColumnElement, Integer, Select, and_, bindparam, delete, or_, select, update

from forum.accounts.models import User, UserSession
from forum.platform.database import db
from forum.platform.digests import digest, new_secret
from forum.platform.errors import NotFound
from forum.platform.models import utcnow


def describe_device(user_agent: str | None) -> str:
    """Summarise a User-Agent as "Browser on System" (nothing more is kept about the device)."""
    ua = user_agent or ""
    browser = next(
        (
            name
            for pattern, name in (
                (r"Edg/", "Edge"),
                (r"OPR/|Opera", "Opera"),
                (r"Firefox/", "Firefox"),
                (r"Chrom(e|ium)/", "Chrome"),
                (r"Safari/", "Safari"),
                (r"curl/", "curl"),
                (r"python-requests|python-urllib|Python-urllib|httpx", "a Python program"),
            )
            if re.search(pattern, ua)
        ),
        "an unknown browser",
    )
    system = next(
        (
            name
            for pattern, name in (
                (r"Android", "Android"),
                (r"iPhone|iPad|iOS", "iOS"),
                (r"Windows", "Windows"),
                (r"Mac OS X|Macintosh", "macOS"),
                (r"CrOS", "ChromeOS"),
                (r"Linux", "Linux"),
            )
            if re.search(pattern, ua)
        ),
        None,
    )
    return f"{browser} on {system}" if system else browser


def start(user: User, user_agent: str | None = None, idle_days: int = 30) -> tuple[UserSession, str]:
    """Open a new session for ``user``; return its record and the key the cookie will carry.

    The account's dead sessions (logged out, or idle past ``idle_days``) are deleted on the way.
    """
    key = new_secret()
    now = utcnow()
    db.session.execute(
        delete(UserSession)
        .where(
            UserSession.user_id == user.id,
            or_(
                UserSession.revoked_at.is_not(None),
                UserSession.last_seen_at <= now - timedelta(days=idle_days),
            ),
        )
        .execution_options(synchronize_session=False)
    )
    record = UserSession(
        user_id=user.id,
        key_hash=digest(key),
        device=describe_device(user_agent)[:100],
        created_at=now,
        last_seen_at=now,
    )
    db.session.add(record)
    db.session.flush()
    return record, key


def load(user_id: int, key: str, idle_days: int) -> tuple[User, UserSession] | None:
    """Return the account and its session when the key opens a live session (one query), else None."""
    since = utcnow() - timedelta(days=idle_days)
    row = db.session.execute(
        _live_session(), {"key_hash": digest(key), "user_id": user_id, "since": since}
    ).first()
    return (row[0], row[1]) if row else None


@cache
def _live_session() -> Select[User, UserSession]:
    """``load``'s statement, built once: every logged-in request runs it."""
    return select(User, UserSession).join(UserSession, UserSession.user_id == User.id).where(live())


def live() -> ColumnElement[bool]:
    """The condition "this session opens the account": bound parameters ``key_hash`` (the key's
    digest), ``user_id`` and ``since`` (the idle limit). Also read by a member's page from its copy
    (forum/discussion/services/member_state.py)."""
    return and_(
        UserSession.key_hash == bindparam("key_hash", type_=UserSession.key_hash.type),
        UserSession.user_id == bindparam("user_id", type_=Integer),
        UserSession.revoked_at.is_(None),
        UserSession.last_seen_at > bindparam("since", type_=UserSession.last_seen_at.type),
    )


def touch(session_id: int, when: datetime) -> None:
    """Record that the session was used (callers do it at most every few minutes)."""
    db.session.execute(update(UserSession).where(UserSession.id == session_id).values(last_seen_at=when))


def live_sessions(user: User, idle_days: int) -> list[UserSession]:
    """Return the account's live sessions, most recently used first."""
    return list(
        db.session.scalars(
            select(UserSession)
            .where(
                UserSession.user_id == user.id,
                UserSession.revoked_at.is_(None),
                UserSession.last_seen_at > utcnow() - timedelta(days=idle_days),
            )
            .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
        )
    )


def end(session_id: int) -> None:
    """End one session (logging out): its cookie, and any copy of it, no longer opens the account."""
    db.session.execute(
        update(UserSession)
        .where(UserSession.id == session_id, UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def end_one_of(user: User, session_id: int) -> None:
    """End one of the account's own sessions.

    :raises NotFound: when the account has no such live session.
    """
    ended = db.session.execute(
        update(UserSession)
        .where(
            UserSession.id == session_id,
            UserSession.user_id == user.id,
            UserSession.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow())
    )
    if not ended.rowcount:  # type: ignore[attr-defined]
        raise NotFound("There is no such session.")


def end_all(user: User, keep: int | None = None) -> int:
    """End every live session of the account except ``keep``; return how many ended."""
    query = update(UserSession).where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
    if keep is not None:
        query = query.where(UserSession.id != keep)
    return int(db.session.execute(query.values(revoked_at=utcnow())).rowcount)  # type: ignore[attr-defined]
