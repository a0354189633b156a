"""Plug seeding into an app: the ``flask seed`` command, and what the importer took out."""

from __future__ import annotations

from flask import Flask

from forum.seeding import commands, web


def init_app(app: Flask) -> None:
    """Register the seeding feature on ``app``: ``flask seed`` and the moderators' page of personal
    data taken out of imported comments."""
    commands.init_app(app)
    app.register_blueprint(web.bp)
