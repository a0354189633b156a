"""Infer a profile role from an imported job title and organisation (a small rule table)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from forum.accounts.models import Role

# Rules are tried in order; the first match wins. Clinical words are matched singular and
# whole, so "Supporter of Doctors and Nurses" is not read as a clinician.
JOB_TITLE_RULES: tuple[tuple[re.Pattern[str], Role], ...] = (
    (re.compile(r"\bpatient[\s-]+leader\b", re.I), Role.PATIENT_LEADER),
    (re.compile(r"\b(NED|non[\s-]+executive[\s-]+director)\b", re.I), Role.NED),
    (
        re.compile(
            r"\b(clinical|clinician|medical|physician|surgeon|nurse|doctor|GP|midwife|paramedic|"
            r"pharmacist|physiotherapist|psychiatrist|psychologist|dentist|consultant\s+\w*ologist)\b",
            re.I,
        ),
        Role.CLINICIAN,
    ),
)


def _fold(text: str) -> str:
    """Compare organisation names loosely: case, apostrophes, a leading "The"."""
    text = text.casefold().replace("’", "'").replace("'", "")
    return re.sub(r"^the\s+", "", re.sub(r"\s+", " ", text).strip())


def infer_role(job_title: str | None, organisation: str | None, publisher_names: Iterable[str]) -> Role:
    """Return the role a seeded commenter's job title and organisation point to."""
    title = job_title or ""
    for pattern, role in JOB_TITLE_RULES[:2]:
        if pattern.search(title):
            return role
    if organisation and _fold(organisation) in {_fold(name) for name in publisher_names}:
        return Role.STAFF
    for pattern, role in JOB_TITLE_RULES[2:]:
        if pattern.search(title):
            return role
    return Role.OTHER
