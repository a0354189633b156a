"""Scrub personal data a moderator redacted from everything stored about the comment.

When a moderator changes a comment's text so that personal data the rules found is gone ("edit and
approve" to take out an NHS number), the data must not live on elsewhere: every earlier text of the
comment (revisions), any held edit of it, and its rule hits lose it too. The audit entry records
which rule, and where in the text (span positions), never the data itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from forum.discussion.models import CommentRevision, HeldEdit
from forum.discussion.services.text import render_comment
from forum.moderation.services import rules
from forum.platform.database import db

MARK = "[personal data removed]"


@dataclass(frozen=True)
class Span:
    """Where a rule matched personal data in the text the moderator replaced."""

    rule: str
    start: int
    end: int

    def as_json(self) -> dict[str, int | str]:
        return {"rule": self.rule, "start": self.start, "end": self.end}


def removed_spans(old: str, new: str) -> list[Span]:
    """The personal data the rules find in ``old`` that ``new`` no longer holds (positions in ``old``)."""
    return [
        Span(hit.rule, hit.start, hit.end)
        for hit in rules.personal_data(old)
        if hit.matched.strip() and hit.matched.strip() not in new
    ]


def scrub(comment_id: int, old: str, spans: list[Span]) -> int:
    """Take the redacted data, and whatever else those rules find, out of the comment's stored texts.

    Returns how many stored texts changed (revisions and held edits; two queries and one write each).
    """
    if not spans:
        return 0
    redacted_rules = {span.rule for span in spans}
    data = {old[span.start : span.end].strip() for span in spans}
    changed = 0
    stored: list[CommentRevision | HeldEdit] = [
        *db.session.scalars(select(CommentRevision).where(CommentRevision.comment_id == comment_id)),
        *db.session.scalars(select(HeldEdit).where(HeldEdit.comment_id == comment_id)),
    ]
    for row in stored:
        clean = scrub_text(row.body, data, redacted_rules)
        if clean != row.body:
            row.body = clean
            row.body_html = render_comment(clean)
            changed += 1
    db.session.flush()
    return changed


def scrub_text(text: str, data: set[str], redacted_rules: set[str]) -> str:
    """Replace each piece of ``data``, and any match of ``redacted_rules``, with a mark."""
    found = sorted(
        ((h.start, h.end) for h in rules.personal_data(text) if h.rule in redacted_rules),
        reverse=True,
    )
    for start, end in found:
        text = text[:start] + MARK + text[end:]
    for piece in sorted(data, key=len, reverse=True):
        if piece:
            text = text.replace(piece, MARK)
    return text
