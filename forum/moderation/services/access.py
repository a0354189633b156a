"""Change what an account may do (member, moderator, admin): admins, or the command line; logged."""

from __future__ import annotations

from sqlalchemy import select

from forum.accounts.models import Access, User
from forum.accounts.services import accounts
from forum.moderation.services import audit
from forum.platform.database import db
from forum.platform.errors import Forbidden, NotFound


def change_access(actor: User | None, member: User, access: Access) -> User:
    """Change a member's access level (admins only, or the command line when ``actor`` is None).

    :raises Forbidden: when the actor is not an admin.
    """
    if actor is not None and actor.access != Access.ADMIN:
        raise Forbidden("Only admins can change access levels.")
    if member.access == Access.ADMIN and access != Access.ADMIN and _admins_left(member) == 0:
        raise Forbidden(
            "This is the last admin: make someone else an admin first, or nobody could manage access "
            "levels or banned words."
        )
    before = {"access": member.access.value}
    member.access = access
    db.session.flush()
    audit.record(
        actor,
        "member.access_changed",
        target_type="member",
        target_id=member.id,
        member_id=member.id,
        before=before,
        after={"access": access.value},
    )
    return member


def _admins_left(leaving: User) -> int:
    """How many admins there would be without ``leaving``; their rows are locked (PostgreSQL) so two
    admins demoting each other at once cannot both succeed (SQLite's writes are serialised anyway)."""
    others = db.session.scalars(
        select(User.id).where(User.access == Access.ADMIN, User.id != leaving.id).with_for_update()
    ).all()
    return len(others)


def set_access(email: str, access: Access) -> User:
    """Change an account's access level from the command line (logged with no actor).

    :raises NotFound: when no account has this email.
    """
    user = accounts.find_user_by_email(email)
    if user is None:
        raise NotFound(f"No account has the email {email!r}.")
    return change_access(None, user, access)
