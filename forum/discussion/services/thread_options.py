"""How a reader asked to see a thread: its order, and whose voices (pages and JSON share these)."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from forum.accounts.models import Role
from forum.platform.errors import ValidationFailed


class Sort(enum.StrEnum):
    """The order of a thread's conversations; replies inside one always stay oldest first."""

    OLDEST = "oldest"  # as the original pages
    NEWEST = "newest"
    REPLIES = "replies"  # the conversations with the most replies first

    @property
    def label(self) -> str:
        return {"oldest": "Oldest first", "newest": "Newest first", "replies": "Most replies"}[self.value]


# The choices offered above a thread, each a set of roles (the API takes any roles, comma-separated).
PATIENTS_AND_CARERS = frozenset({Role.PATIENT, Role.CARER, Role.PATIENT_LEADER})
VOICE_CHOICES: tuple[tuple[str, frozenset[Role]], ...] = (
    ("Patients' and carers' voices", PATIENTS_AND_CARERS),
    ("Clinicians", frozenset({Role.CLINICIAN})),
    ("NEDs, managers and staff", frozenset({Role.NED, Role.MANAGER, Role.STAFF})),
    ("Researchers", frozenset({Role.RESEARCHER})),
)
_PLURALS = {
    Role.PATIENT: "patients",
    Role.CARER: "carers",
    Role.PATIENT_LEADER: "patient leaders",
    Role.CLINICIAN: "clinicians",
    Role.NED: "NEDs",
    Role.MANAGER: "managers",
    Role.RESEARCHER: "researchers",
    Role.STAFF: "staff",
    Role.OTHER: "other",
}
_SINGULARS = {
    Role.PATIENT_LEADER: "patient leader",
    Role.NED: "NED",
    Role.STAFF: "staff",
    Role.OTHER: "other",
}


def voice_label(role: Role, count: int) -> str:
    """ "2 patient leaders", "1 NED", "4 other" (the words of the "who is speaking" line)."""
    if count == 1:
        return f"1 {_SINGULARS.get(role, role.label.lower())}"
    return f"{count} {_PLURALS[role]}"


@dataclass(frozen=True, slots=True)
class ThreadOptions:
    """A thread's order and the roles it is filtered to (none: everyone)."""

    sort: Sort = Sort.OLDEST
    roles: frozenset[Role] = frozenset()

    @classmethod
    def parse(cls, sort: str | None, roles: str | None) -> ThreadOptions:
        """Read ``?sort=`` and ``?roles=`` (comma-separated role names).

        :raises ValidationFailed: naming the parameter, for an order or a role we do not have.
        """
        try:
            order = Sort(sort) if sort else Sort.OLDEST
        except ValueError:
            raise ValidationFailed(
                errors={"sort": [f"Choose one of: {', '.join(s.value for s in Sort)}."]}
            ) from None
        chosen = set()
        for name in (roles or "").split(","):
            name = name.strip()
            if not name:
                continue
            try:
                chosen.add(Role(name))
            except ValueError:
                raise ValidationFailed(
                    errors={"roles": [f"{name[:40]!r} is not a role; choose from: {', '.join(Role)}."]}
                ) from None
        if len(chosen) == len(Role):  # every voice is no filter at all
            chosen = set()
        return cls(order, frozenset(chosen))

    @property
    def filtered(self) -> bool:
        return bool(self.roles)

    @property
    def roles_param(self) -> str | None:
        """The roles as ``?roles=`` says them (sorted, so one choice has one address), None for everyone."""
        return ",".join(sorted(self.roles)) if self.roles else None

    @property
    def sort_param(self) -> str | None:
        return None if self.sort == Sort.OLDEST else self.sort.value

    def args(self) -> dict[str, str]:
        """The query parameters that keep this choice in links (paging, permalinks), defaults left out."""
        found = {"sort": self.sort_param, "roles": self.roles_param}
        return {key: value for key, value in found.items() if value}

    def variant(self) -> str:
        """This choice in a cache key."""
        return f"{self.sort.value}:{self.roles_param or ''}"


DEFAULT_OPTIONS = ThreadOptions()
