"""Read the app's settings for the domain, which never imports Flask itself.

Services ask ``setting("EDIT_WINDOW_MINUTES")`` rather than ``current_app.config``: the values come
from the environment through ``forum/platform/config.py``, and a service stays a plain function of
its arguments and the settings.
"""

from __future__ import annotations

from typing import Any

from flask import current_app


def setting(name: str) -> Any:
    """The value of one setting of the current app.

    :raises KeyError: for a setting that does not exist (a typo should fail loudly).
    """
    return current_app.config[name]


def setting_or(name: str, default: Any) -> Any:
    """The value of an optional setting, or ``default`` when it is not set."""
    return current_app.config.get(name, default)


def extension(name: str, default: Any = None) -> Any:
    """An object a feature installed on the current app (``app.extensions[name]``), or ``default``."""
    return current_app.extensions.get(name, default)
