"""Say who is looking: the account and profile behind a request, and whether they moderate or administer.

Built once per request from the logged-in account (forum/accounts/http/identity.py) and handed to
services and permissions (forum/permissions.py), so the domain never reads the request itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from forum.accounts.models import Access, User


@dataclass(frozen=True)
class Viewer:
    """Who is looking: their account and profile (if any) and whether they moderate."""

    user_id: int | None = None
    profile_id: int | None = None
    is_moderator: bool = False
    is_admin: bool = False
    is_editor: bool = False

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None


ANONYMOUS = Viewer()


def viewer_of(user: User) -> Viewer:
    """The viewer an account is (services that are handed the account use it to ask the permissions)."""
    return Viewer(
        user_id=user.id,
        profile_id=user.profile_id,
        is_moderator=user.is_moderator,
        is_admin=user.access == Access.ADMIN,
        is_editor=user.is_editor,
    )
