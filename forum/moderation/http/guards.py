"""Guard moderators' and admins' views: anonymous people log in (401 under /api), members get a 403."""

from __future__ import annotations

from forum import permissions
from forum.accounts.http.identity import requires

moderator_required = requires(permissions.can_moderate, "You need moderator rights for that.")
admin_required = requires(permissions.can_administer, "You need admin rights for that.")
