"""Keep display names telling people apart: no one takes a name that looks like someone else's.

Two names collide when their skeletons match (forum/platform/folding.py: Unicode TR39 confusable
skeletons, case folded, spaces and invisible characters ignored): "Mark Duman", "mark duman",
"Mаrk Duman" with a Cyrillic а, "Mark Du\u200bman". Invisible and bidirectional characters are
refused in names before this (forum/platform/validation.py). Imported commenters' profiles count
too: a new member cannot post as a clinician quoted from the original page. The name an erased
account leaves behind ("Former member") is nobody's to take.
"""

from __future__ import annotations

from sqlalchemy import select

from forum.accounts.models import Profile
from forum.platform.database import db
from forum.platform.errors import ValidationFailed
from forum.platform.folding import name_skeleton

RESERVED = ("Former member",)  # what readers see in place of an erased member (forum/privacy)


def name_taken(name: str, *, except_profile: int | None = None) -> bool:
    """Whether another profile's name looks the same as ``name`` (one indexed lookup)."""
    if any(name_skeleton(name) == name_skeleton(reserved) for reserved in RESERVED):
        return True
    query = select(Profile.id).where(Profile.name_skeleton == name_skeleton(name)[:500])
    if except_profile is not None:
        query = query.where(Profile.id != except_profile)
    return db.session.scalar(query.limit(1)) is not None


def ensure_name_free(name: str, *, except_profile: int | None = None, field: str = "display_name") -> None:
    """Refuse a name that someone else's looks like.

    :raises ValidationFailed: naming the field, with advice on how to tell oneself apart.
    """
    if name_taken(name, except_profile=except_profile):
        raise ValidationFailed(
            errors={
                field: [
                    "Someone here already uses a name that looks the same. Add something that tells "
                    "you apart, such as an initial, your town or your role."
                ]
            }
        )
