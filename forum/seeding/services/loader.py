"""Load the seed documents through the services, idempotently, one savepoint per document."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from forum.accounts.services import profiles
from forum.discussion.models import ArticleKind, Comment
from forum.discussion.services import articles, comments
from forum.discussion.services.text import normalise_comment
from forum.editorial.services.writing import parse_original_date
from forum.platform.database import db
from forum.platform.models import utcnow
from forum.seeding.services import redaction, restore
from forum.seeding.services.parser import ParsedArticle, SeedFormatError, parse_document
from forum.seeding.services.roles import read_role


@dataclass
class DocumentResult:
    """What loading one document did."""

    filename: str
    slug: str | None = None
    article_changed: bool = False
    comments_created: int = 0
    profiles_created: int = 0
    redactions: int = 0  # pieces of personal data taken out of the new comments
    error: str | None = None


@dataclass
class SeedReport:
    """What a seed run did, document by document."""

    documents: list[DocumentResult] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        return [d.error for d in self.documents if d.error]

    @property
    def changed(self) -> bool:
        return any(d.article_changed or d.comments_created or d.profiles_created for d in self.documents)


class ManifestError(ValueError):
    """The manifest is missing or names something wrong."""


def read_manifest(seeds_dir: Path) -> dict[str, Any]:
    """Read ``manifest.toml``.

    :raises ManifestError: when it is missing or not valid TOML.
    """
    path = seeds_dir / "manifest.toml"
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ManifestError(f"{path}: no manifest") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"{path}: {exc}") from exc


def profile_key(name: str, organisation: str | None) -> str:
    """Identify an imported commenter: the same name and organisation are the same person."""
    return (
        "seed:" + " ".join(name.split()).casefold() + "|" + " ".join((organisation or "").split()).casefold()
    )


def load_seeds(seeds_dir: Path) -> SeedReport:
    """Load every document the manifest lists; a bad document is reported and skipped whole.

    Flushes only; the caller commits once.
    """
    manifest = read_manifest(seeds_dir)
    publisher = manifest.get("publisher", {})
    publisher_names = [publisher.get("name", ""), *publisher.get("aliases", [])]
    report = SeedReport()
    for entry in manifest.get("document", []):
        result = DocumentResult(filename=entry.get("file", "?"))
        report.documents.append(result)
        try:
            parsed = _parse_entry(seeds_dir, entry)
            with db.session.begin_nested():
                _store(entry, parsed, publisher_names, result)
        except SeedFormatError as exc:
            result.error = str(exc)
            result.article_changed = False
            result.comments_created = result.profiles_created = 0
    comments.advance_id_sequence()
    return report


def source_text(seeds_dir: Path, comment_id: int) -> str | None:
    """A seeded comment's text as its seed file has it (normalised as the importer reads it)."""
    for entry in read_manifest(seeds_dir).get("document", []):
        try:
            parsed = _parse_entry(seeds_dir, entry)
        except SeedFormatError:
            continue
        for item in parsed.comments:
            if item.number == comment_id:
                return normalise_comment(item.body)
    return None


def _parse_entry(seeds_dir: Path, entry: dict[str, Any]) -> ParsedArticle:
    filename = entry.get("file")
    if not filename or not entry.get("slug") or not entry.get("kind"):
        raise SeedFormatError(str(filename), 0, "manifest entry needs file, slug and kind")
    if entry["kind"] not in {k.value for k in ArticleKind}:
        raise SeedFormatError(filename, 0, f"unknown kind {entry['kind']!r} in the manifest")
    path = seeds_dir / filename
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError) as exc:
        raise SeedFormatError(filename, 0, f"cannot read the document: {exc}") from exc
    return parse_document(
        text,
        filename=filename,
        title=entry.get("title"),
        has_subtitle=bool(entry.get("subtitle", False)),
        byline=entry.get("byline"),
        headings=tuple(entry.get("headings", ())),
        quotes=tuple(entry.get("quotes", ())),
    )


def _store(
    entry: dict[str, Any], parsed: ParsedArticle, publisher_names: list[str], result: DocumentResult
) -> None:
    article, changed = articles.upsert_article(
        slug=entry["slug"],
        title=parsed.title,
        subtitle=parsed.subtitle,
        byline=parsed.byline_name,
        byline_description=parsed.byline_description,
        kind=ArticleKind(entry["kind"]),
        body=parsed.body,
        original_date=parsed.original_date,
        original_date_sort=parse_original_date(parsed.original_date),
    )
    result.slug = article.slug
    result.article_changed = changed
    numbers = [c.number for c in parsed.comments]
    existing = (
        {c.id: c for c in db.session.scalars(select(Comment).where(Comment.id.in_(numbers)))}
        if numbers
        else {}
    )
    loaded_at = utcnow()  # one time for the page's comments, so they keep its order (their numbers)
    authors: dict[int, int] = {}
    for item in parsed.comments:
        role, role_source = read_role(item.job_title, item.organisation, publisher_names)
        author, created = profiles.find_or_create_sourced_profile(
            source_key=profile_key(item.name, item.organisation),
            display_name=item.name,
            job_title=item.job_title,
            organisation=item.organisation,
            role=role,
            role_source=role_source,
        )
        authors[item.number] = author.id
        result.profiles_created += int(created)
        if item.number in existing:
            comment = existing[item.number]
            if comment.article_id != article.id:
                raise SeedFormatError(
                    result.filename, item.line, f"comment #{item.number} already exists on another article"
                )
            # Loaded before: moderators own it now, so it is left as it is unless still the seed's own.
            result.redactions += restore.redact_if_untouched(item.number, item.body)
            restore.rerender_if_untouched(comment, item.body)
            if comment.imported_at is None:
                comment.imported_at = comment.created_at
            continue
        published, removed = redaction.redact(normalise_comment(item.body))
        comments.import_comment(
            comment_id=item.number,
            article=article,
            author=author,
            body=published,
            parent_id=item.reply_to,
            imported_at=loaded_at,
        )
        restore.keep(item.number, removed)
        result.comments_created += 1
        result.redactions += len(removed)
    byline_comment = entry.get("byline_comment")
    if byline_comment is not None and byline_comment not in authors:
        raise SeedFormatError(
            result.filename, 0, f"byline_comment #{byline_comment} is not a comment on this page"
        )
    if articles.set_byline_profile(article, authors.get(byline_comment) if byline_comment else None):
        result.article_changed = True
