"""Define the ``flask`` commands; each is a thin wrapper over a service."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from marshmallow import ValidationError as SchemaError

from forum.errors import NotFound, ValidationFailed
from forum.extensions import db
from forum.models import Access, Role
from forum.schemas.account import RegistrationSchema
from forum.services import accounts, audit
from forum.services.seeding.loader import ManifestError, load_seeds


@click.command("seed")
@click.option(
    "--dir",
    "seeds_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder holding manifest.toml and the documents (default: seeds/).",
)
def seed_command(seeds_dir: Path | None) -> None:
    """Load the seed documents; running it again changes nothing."""
    folder = seeds_dir or Path(current_app.config["SEEDS_DIR"])
    try:
        report = load_seeds(folder)
    except ManifestError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    for doc in report.documents:
        if doc.error:
            click.echo(f"error  {doc.error}", err=True)
        else:
            state = "loaded" if (doc.article_changed or doc.comments_created) else "unchanged"
            click.echo(
                f"{state:9} {doc.filename} -> /articles/{doc.slug} "
                f"({doc.comments_created} new comments, {doc.profiles_created} new profiles)"
            )
    if report.errors:
        raise click.ClickException(f"{len(report.errors)} document(s) not loaded; the others were")


users_cli = AppGroup("users", help="Create accounts and change their access level.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--password", required=True, help="At least 10 characters.")
@click.option("--name", "display_name", required=True, help="The name shown to others.")
@click.option("--job-title", default=None)
@click.option("--organisation", default=None)
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.OTHER.value)
@click.option("--moderator", "access", flag_value=Access.MODERATOR.value, help="Give moderator access.")
@click.option("--admin", "access", flag_value=Access.ADMIN.value, help="Give admin access.")
def create_user(access: str | None, **fields: str | None) -> None:
    """Create an account (a member unless --moderator or --admin)."""
    try:
        data = RegistrationSchema().load({k: v for k, v in fields.items() if v is not None})
        user = accounts.register(data, access=Access(access or Access.MEMBER))
    except SchemaError as exc:
        raise click.ClickException(_describe(exc.messages)) from exc
    except ValidationFailed as exc:
        raise click.ClickException(_describe(exc.errors)) from exc
    db.session.commit()
    click.echo(f"created {user.email} ({user.access.value}), profile {user.profile_id}")


@users_cli.command("set-access")
@click.option("--email", required=True)
@click.option("--access", type=click.Choice([a.value for a in Access]), required=True)
def set_access(email: str, access: str) -> None:
    """Change an account's access level: member, moderator or admin."""
    try:
        user = accounts.set_access(email, Access(access))
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


def _describe(errors: object) -> str:
    if isinstance(errors, dict):
        return "; ".join(
            f"{field}: {' '.join(map(str, msgs)) if isinstance(msgs, list) else msgs}"
            for field, msgs in errors.items()
        )
    return str(errors)


def register_cli(app: Flask) -> None:
    """Attach the commands to ``app``."""
    app.cli.add_command(seed_command)
    app.cli.add_command(users_cli)
    app.cli.add_command(audit_cli)
