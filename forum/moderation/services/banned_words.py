"""Keep the list of words that hold a comment for review (admins edit it)."""

from __future__ import annotations

from sqlalchemy import select

from forum import permissions
from forum.accounts.models import User
from forum.accounts.services.viewer import viewer_of
from forum.moderation.models import BannedWord
from forum.moderation.services import audit
from forum.platform import validation
from forum.platform.database import db
from forum.platform.errors import Conflict, NotFound


def list_words() -> list[BannedWord]:
    """Return the list, alphabetically."""
    return list(db.session.scalars(select(BannedWord).order_by(BannedWord.word)))


def add_word(admin: User, word: str) -> BannedWord:
    """Add a word or phrase (stored lower-case).

    :raises ValidationFailed: for an empty word.
    :raises Conflict: when it is already listed.
    """
    permissions.ensure_can_administer(viewer_of(admin))
    cleaned = (validation.line(word, "word", max_length=100, blank="Enter a word or phrase.") or "").lower()
    if db.session.scalar(select(BannedWord.id).where(BannedWord.word == cleaned)) is not None:
        raise Conflict(f"“{cleaned}” is already on the list.")
    row = BannedWord(word=cleaned, created_by_id=admin.id)
    db.session.add(row)
    db.session.flush()
    audit.record(
        admin, "banned_word.added", target_type="banned_word", target_id=row.id, after={"word": cleaned}
    )
    return row


def remove_word(admin: User, word_id: int) -> None:
    """Take a word off the list.

    :raises NotFound: when it is not listed.
    """
    permissions.ensure_can_administer(viewer_of(admin))
    row = db.session.get(BannedWord, word_id)
    if row is None:
        raise NotFound("That word is not on the list.")
    audit.record(
        admin, "banned_word.removed", target_type="banned_word", target_id=row.id, before={"word": row.word}
    )
    db.session.delete(row)
    db.session.flush()
