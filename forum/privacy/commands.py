"""Define ``flask retention run``: apply the retention policy now (the worker also runs it nightly)."""

from __future__ import annotations

import click
from flask import Flask

from forum.platform.database import db
from forum.privacy.services import retention


@click.group("retention")
def retention_group() -> None:
    """Keep personal data no longer than needed (docs/privacy.md)."""


@retention_group.command("run")
def run_command() -> None:
    """Purge what the retention policy says has been kept long enough."""
    purged = retention.run()
    db.session.commit()
    click.echo(
        f"Removed the text of {purged.refused_texts} refused comments and {purged.earlier_texts} earlier "
        f"texts; deleted {purged.sign_ups} unconfirmed sign-ups, {purged.sessions} ended sessions and "
        f"{purged.reset_links} used or expired reset links."
    )


def init_app(app: Flask) -> None:
    """Register the command group on ``app``."""
    app.cli.add_command(retention_group)
