"""Define ``flask users create``: make an account from the command line (thin over the services)."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from marshmallow import ValidationError as SchemaError

from forum.accounts.models import Access, Role
from forum.accounts.schemas import RegistrationSchema
from forum.accounts.services import accounts
from forum.platform.database import db
from forum.platform.errors import ValidationFailed

users_cli = AppGroup("users", help="Create accounts and change their access level.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--password", required=True, help="At least 10 characters.")
@click.option("--name", "display_name", required=True, help="The name shown to others.")
@click.option("--job-title", default=None)
@click.option("--organisation", default=None)
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.OTHER.value)
@click.option("--moderator", "access", flag_value=Access.MODERATOR.value, help="Give moderator access.")
@click.option("--editor", "access", flag_value=Access.EDITOR.value, help="Give editor access (articles).")
@click.option("--admin", "access", flag_value=Access.ADMIN.value, help="Give admin access.")
def create_user(access: str | None, **fields: str | None) -> None:
    """Create an account (a member unless --moderator, --editor or --admin)."""
    try:
        # an operator makes this account: nobody agreed to the notices here (docs/privacy.md)
        data = RegistrationSchema(exclude=("consent",)).load(
            {k: v for k, v in fields.items() if v is not None}
        )
        user = accounts.register(data, access=Access(access or Access.MEMBER))
    except SchemaError as exc:
        raise click.ClickException(describe(exc.messages)) from exc
    except ValidationFailed as exc:
        raise click.ClickException(describe(exc.errors)) from exc
    db.session.commit()
    click.echo(f"created {user.email} ({user.access.value}), profile {user.profile_id}")


def describe(errors: object) -> str:
    """Say field errors on one line for the terminal."""
    if isinstance(errors, dict):
        return "; ".join(
            f"{field}: {' '.join(map(str, msgs)) if isinstance(msgs, list) else msgs}"
            for field, msgs in errors.items()
        )
    return str(errors)


def init_app(app: Flask) -> None:
    """Attach the ``users`` group to ``app`` (other features add commands to it)."""
    app.cli.add_command(users_cli)
