"""Define ``flask users set-access`` and ``flask audit verify`` (thin over the services)."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from forum.accounts.commands import users_cli
from forum.accounts.models import Access
from forum.moderation.services import access as access_service
from forum.moderation.services import audit
from forum.platform.database import db
from forum.platform.errors import NotFound


@users_cli.command("set-access")
@click.option("--email", required=True)
@click.option("--access", type=click.Choice([a.value for a in Access]), required=True)
def set_access(email: str, access: str) -> None:
    """Change an account's access level: member, moderator, editor or admin."""
    try:
        user = access_service.set_access(email, Access(access))
    except NotFound as exc:
        raise click.ClickException(exc.message) from exc
    db.session.commit()
    click.echo(f"{user.email} is now {user.access.value}")


audit_cli = AppGroup("audit", help="Check the moderation audit log.")


@audit_cli.command("verify")
def verify_audit() -> None:
    """Check the hash chain of the audit log; name the first broken entry."""
    result = audit.verify()
    if not result.ok:
        raise click.ClickException(
            f"audit log broken at entry {result.broken_id}: {result.problem} "
            f"({result.checked} entries before it are intact)"
        )
    click.echo(f"audit log intact: {result.checked} entries")


def init_app(app: Flask) -> None:
    """Attach ``audit`` to ``app`` (``users set-access`` joined the accounts' group on import)."""
    app.cli.add_command(audit_cli)
