"""Work out who is making the current request, from the session or a bearer token."""

from __future__ import annotations

from flask_login import current_user

from forum.models import Access
from forum.permissions import ANONYMOUS, Viewer


def current_viewer() -> Viewer:
    """Return the viewer of the current request."""
    if not current_user.is_authenticated:
        return ANONYMOUS
    return Viewer(
        user_id=current_user.id,
        profile_id=current_user.profile_id,
        is_moderator=current_user.is_moderator,
        is_admin=current_user.access == Access.ADMIN,
    )
