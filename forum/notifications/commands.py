"""Define ``flask notifications``: build the daily digests now, and see what email waits."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from forum.notifications.services import delivery
from forum.platform import jobs

notifications_cli = AppGroup("notifications", help="Email notifications: digests and the delivery backlog.")
DIGESTS = "notifications.digests"  # registered by the discussion, which knows the threads


@notifications_cli.command("digest")
@click.option("--now", "ignore_hour", is_flag=True, help="Build them now, whatever each member's hour.")
def digest(ignore_hour: bool) -> None:
    """Build the daily digests that are due (each member once a day, at their hour)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if DIGESTS not in jobs.jobs(app).tasks:
        raise click.ClickException("no digest builder is installed")
    built = jobs.run(app, DIGESTS, {"ignore_hour": ignore_hour})
    click.echo(f"{built} digest{'' if built == 1 else 's'} queued for delivery")


@notifications_cli.command("status")
def status() -> None:
    """Say how many emails wait for delivery and how long the oldest has waited."""
    waiting = delivery.backlog()
    click.echo(f"{waiting.waiting} email(s) waiting; the oldest for {waiting.oldest_seconds:.0f} s")
