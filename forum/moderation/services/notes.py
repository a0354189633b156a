"""Keep moderators' private notes on members."""

from __future__ import annotations

from sqlalchemy import select

from forum import permissions
from forum.accounts.models import User
from forum.accounts.services.viewer import viewer_of
from forum.moderation.models import MemberNote
from forum.moderation.services import audit
from forum.platform import validation
from forum.platform.database import db


def add_note(moderator: User, member: User, body: str) -> MemberNote:
    """Keep a private note on a member, seen only by moderators.

    :raises ValidationFailed: for an empty note.
    """
    permissions.ensure_can_act_on(viewer_of(moderator), member.access)
    text = validation.text(body, "body", max_length=5000, blank="Write the note first.") or ""
    note = MemberNote(user_id=member.id, author_id=moderator.id, body=text)
    db.session.add(note)
    db.session.flush()
    audit.record(
        moderator, "member.note_added", target_type="member", target_id=member.id, member_id=member.id
    )
    return note


def notes_for(member: User) -> list[MemberNote]:
    """Return the moderators' notes on a member, newest first."""
    return list(
        db.session.scalars(
            select(MemberNote).where(MemberNote.user_id == member.id).order_by(MemberNote.created_at.desc())
        )
    )
