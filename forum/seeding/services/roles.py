"""Read a seeded commenter's role from their job title and organisation, and say how it was read.

A role is *stated* on the page only when the job title names it ("Patient Leader", "NED"). Any
other role is *inferred*: from a clinical or managerial job title, or from working for the
publisher. The badge says which (RoleSource.SOURCE or RoleSource.INFERRED).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from forum.accounts.models import Role, RoleSource

# The job title names the role itself.
STATED_RULES: tuple[tuple[re.Pattern[str], Role], ...] = (
    (re.compile(r"\bpatient[\s-]+leader\b", re.I), Role.PATIENT_LEADER),
    (re.compile(r"\b(NED|non[\s-]+executive[\s-]+director)\b", re.I), Role.NED),
)
# The job title suggests a role without naming it. Clinical words are matched singular and whole,
# so "Supporter of Doctors and Nurses" is not read as a clinician.
INFERRED_RULES: tuple[tuple[re.Pattern[str], Role], ...] = (
    (
        re.compile(
            r"\b(clinical|clinician|medical|physician|surgeon|nurse|doctor|GP|midwife|paramedic|"
            r"pharmacist|physiotherapist|psychiatrist|psychologist|dentist|consultant\s+\w*ologist)\b",
            re.I,
        ),
        Role.CLINICIAN,
    ),
    (
        re.compile(r"\b(chief\s+executive|CEO|chief\s+operating\s+officer|COO|managing\s+director)\b", re.I),
        Role.MANAGER,
    ),
)


def _fold(text: str) -> str:
    """Compare organisation names loosely: case, apostrophes, a leading "The"."""
    text = text.casefold().replace("’", "'").replace("'", "")
    return re.sub(r"^the\s+", "", re.sub(r"\s+", " ", text).strip())


def read_role(
    job_title: str | None, organisation: str | None, publisher_names: Iterable[str]
) -> tuple[Role, RoleSource]:
    """Return the role a seeded commenter's page points to, and whether it was stated or inferred."""
    title = job_title or ""
    for pattern, role in STATED_RULES:
        if pattern.search(title):
            return role, RoleSource.SOURCE
    if organisation and _fold(organisation) in {_fold(name) for name in publisher_names}:
        return Role.STAFF, RoleSource.INFERRED
    for pattern, role in INFERRED_RULES:
        if pattern.search(title):
            return role, RoleSource.INFERRED
    return Role.OTHER, RoleSource.INFERRED


def infer_role(job_title: str | None, organisation: str | None, publisher_names: Iterable[str]) -> Role:
    """Return the role alone (see read_role)."""
    return read_role(job_title, organisation, publisher_names)[0]
