"""Take personal data out of imported text, as the forum's rules would hold it from any member.

Pure functions: the same personal-data rules members' comments pass (``moderation.services.rules``)
find email addresses, phone numbers, NHS numbers, postcodes and dates of birth; each match is
replaced by a visible label ("[phone number removed]") and reported with where it was.
"""

from __future__ import annotations

from dataclasses import dataclass

from forum.moderation.services import rules

LABELS = {
    "email": "[email address removed]",
    "uk_phone": "[phone number removed]",
    "nhs_number": "[NHS number removed]",
    "uk_postcode": "[postcode removed]",
    "date_of_birth": "[date of birth removed]",
}


@dataclass(frozen=True)
class Removed:
    """One piece of personal data taken out: the rule, its label and where each was."""

    rule: str
    label: str
    start: int  # of the label, in the redacted text
    source_start: int  # of the data, in the original text
    source_end: int


def redact(text: str) -> tuple[str, list[Removed]]:
    """Return ``text`` with each piece of personal data replaced by its label, and what was removed."""
    hits = sorted((h for h in rules.personal_data(text) if h.rule in LABELS), key=lambda h: (h.start, -h.end))
    out: list[str] = []
    removed: list[Removed] = []
    at = 0
    for hit in hits:
        if hit.start < at:  # inside a span already removed
            continue
        out.append(text[at : hit.start])
        label = LABELS[hit.rule]
        removed.append(Removed(hit.rule, label, sum(map(len, out)), hit.start, hit.end))
        out.append(label)
        at = hit.end
    out.append(text[at:])
    return "".join(out), removed
