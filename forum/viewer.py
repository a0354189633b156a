"""Work out who is making the current request (anonymous until accounts exist)."""

from __future__ import annotations

from forum.permissions import ANONYMOUS, Viewer


def current_viewer() -> Viewer:
    """Return the viewer of the current request."""
    return ANONYMOUS
