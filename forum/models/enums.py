"""Define the vocabularies stored in the database (roles, statuses, article kinds)."""

from __future__ import annotations

import enum

from sqlalchemy import Enum


class Role(enum.StrEnum):
    """What a person is in health and care, as shown on their profile badge."""

    PATIENT = "patient"
    CARER = "carer"
    PATIENT_LEADER = "patient_leader"
    CLINICIAN = "clinician"
    NED = "ned"
    MANAGER = "manager"
    RESEARCHER = "researcher"
    STAFF = "staff"
    OTHER = "other"

    @property
    def label(self) -> str:
        """Return the human label ("Patient leader", "NED")."""
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.PATIENT: "Patient",
    Role.CARER: "Carer",
    Role.PATIENT_LEADER: "Patient leader",
    Role.CLINICIAN: "Clinician",
    Role.NED: "NED",
    Role.MANAGER: "Manager",
    Role.RESEARCHER: "Researcher",
    Role.STAFF: "Staff",
    Role.OTHER: "Other",
}


class RoleSource(enum.StrEnum):
    """Where a profile's role came from."""

    DECLARED = "declared"  # said by the person themselves
    SOURCE = "source"  # taken from imported material (seed documents)
    VERIFIED = "verified"  # checked by a moderator


class CommentStatus(enum.StrEnum):
    """The moderation state of a comment; only APPROVED is public."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    REMOVED = "removed"


class Access(enum.StrEnum):
    """What an account may do, separate from the role shown on its profile."""

    MEMBER = "member"
    MODERATOR = "moderator"
    ADMIN = "admin"


class ArticleKind(enum.StrEnum):
    """What sort of page an article is."""

    BLOG_POST = "blog_post"
    REPORT = "report"
    READING_LIST = "reading_list"
    GUEST_POST = "guest_post"

    @property
    def label(self) -> str:
        """Return the human label ("Reading list")."""
        return self.value.replace("_", " ").capitalize()


def str_enum(enum_cls: type[enum.StrEnum], name: str) -> Enum:
    """Store an enum as its value in a VARCHAR with a CHECK constraint (portable, readable)."""
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=20,
        values_callable=lambda cls: [member.value for member in cls],
        validate_strings=True,
    )


class RejectReason(enum.StrEnum):
    """Why a moderator did not publish a comment (or took it down)."""

    OFF_TOPIC = "off_topic"
    ABUSIVE = "abusive"
    PERSONAL_DATA = "personal_data"
    SPAM = "spam"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class FlagReason(enum.StrEnum):
    """Why a member reported a published comment."""

    SPAM = "spam"
    ABUSIVE = "abusive"
    PERSONAL_DATA = "personal_data"
    MISINFORMATION = "misinformation"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class FlagStatus(enum.StrEnum):
    """Where a report stands."""

    OPEN = "open"
    DISMISSED = "dismissed"
    UPHELD = "upheld"


class SanctionKind(enum.StrEnum):
    """A suspension ends; a ban does not."""

    SUSPENSION = "suspension"
    BAN = "ban"
