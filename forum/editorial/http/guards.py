"""Guard the editors' views: anonymous people log in (401 under /api), others get a 403."""

from __future__ import annotations

from forum import permissions
from forum.accounts.http.identity import requires

editor_required = requires(permissions.can_edit_articles, "You need editor rights to manage articles.")
