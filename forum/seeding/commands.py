"""Define ``flask seed``: load the seed documents (idempotent; thin over the loader)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app

from forum.platform.database import db
from forum.seeding.services.loader import ManifestError, load_seeds


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
            state = (
                "loaded" if (doc.article_changed or doc.comments_created or doc.redactions) else "unchanged"
            )
            removed = f", {doc.redactions} pieces of personal data taken out" if doc.redactions else ""
            click.echo(
                f"{state:9} {doc.filename} -> /articles/{doc.slug} "
                f"({doc.comments_created} new comments, {doc.profiles_created} new profiles{removed})"
            )
    if report.errors:
        raise click.ClickException(f"{len(report.errors)} document(s) not loaded; the others were")


def init_app(app: Flask) -> None:
    """Attach ``seed`` to ``app``."""
    app.cli.add_command(seed_command)
