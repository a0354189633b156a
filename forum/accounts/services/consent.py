"""Record what members agreed to when joining, and ask again when a notice changes.

Joining asks the person to confirm that what they post is public and may be about their health,
under the privacy notice and the house rules as they stand (templates/notices/, each with a
version). The versions and the time are kept; when an operator gives a notice a new version (a
material change), a member who agreed to an earlier one is asked again at their next login.
Accounts an operator makes on the command line agreed to nothing here and are not asked.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from forum.accounts.models import Consent, User
from forum.platform import notice_files
from forum.platform.database import db
from forum.platform.errors import ValidationFailed
from forum.platform.models import utcnow

NOTICES = ("privacy", "house-rules")  # what joining agrees to, in the order the page lists them
REQUIRED = "Please confirm you understand this before you join."


def current_versions() -> dict[str, str]:
    """The version of each notice a member agrees to today."""
    return {name: notice_files.read(name).version for name in NOTICES}


def given(data: dict[str, Any]) -> dict[str, Any]:
    """What a sign-up agreed to (for the waiting sign-up, until it is confirmed).

    :raises ValidationFailed: when the person did not tick the box (or send ``consent: true``).
    """
    if data.get("consent") is not True:
        raise ValidationFailed(errors={"consent": [REQUIRED]})
    return {"at": utcnow().isoformat(), "versions": current_versions()}


def record(user_id: int, consented: dict[str, Any] | None) -> None:
    """Keep what a sign-up agreed to as the new account's consents."""
    if not consented:
        return
    at = datetime.fromisoformat(consented["at"])
    for name, version in dict(consented.get("versions") or {}).items():
        db.session.add(Consent(user_id=user_id, notice=name, version=str(version), accepted_at=at))
    db.session.flush()


def latest(user_id: int) -> dict[str, str]:
    """The latest version of each notice this member agreed to."""
    rows = db.session.execute(
        select(Consent.notice, Consent.version)
        .where(Consent.user_id == user_id)
        .order_by(Consent.accepted_at, Consent.id)
    ).all()
    return {name: version for name, version in rows}


def outstanding(user: User) -> list[notice_files.NoticeFile]:
    """The notices that changed since this member last agreed (none for one who never did here)."""
    agreed = latest(user.id)
    if not agreed:
        return []
    return [
        notice_files.read(name) for name, version in current_versions().items() if agreed.get(name) != version
    ]


def accept_current(user: User) -> None:
    """Record that the member agrees to the notices as they stand now."""
    record(user.id, {"at": utcnow().isoformat(), "versions": current_versions()})
