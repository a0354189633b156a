"""Plug seeding into an app: the ``flask seed`` command."""

from __future__ import annotations

from flask import Flask

from forum.seeding import commands


def init_app(app: Flask) -> None:
    """Register the seeding feature on ``app``."""
    commands.init_app(app)
