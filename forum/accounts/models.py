"""Model accounts and the people behind them: profiles, logins, sessions, emailed links, standing.

A *profile* is a person as others see them (name, job title, organisation, role); imported
commenters have one without an account. An *account* (``User``) is a login bound to a profile, with
an access level. A *sanction* is the account's standing: suspended or banned accounts read but do
not act (moderators impose them, forum/moderation/services/sanctions.py).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from forum.platform.folding import name_skeleton
from forum.platform.models import Base, UTCDateTime, str_enum, utcnow


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
    SOURCE = "source"  # stated on imported material: the job title names the role (seed documents)
    INFERRED = "inferred"  # guessed from an imported job title or organisation, not stated there
    VERIFIED = "verified"  # checked by a moderator


class Access(enum.StrEnum):
    """What an account may do, separate from the role shown on its profile."""

    MEMBER = "member"
    MODERATOR = "moderator"  # decides comments and acts on members
    EDITOR = "editor"  # writes, publishes and closes articles (beside moderators, not above them)
    ADMIN = "admin"  # both, and manages access


class SanctionKind(enum.StrEnum):
    """A suspension ends; a ban does not; pre-moderation lets the member post, every post and edit
    waiting for a moderator (with or without an end)."""

    SUSPENSION = "suspension"
    BAN = "ban"
    PREMODERATION = "premoderation"

    @property
    def stops_posting(self) -> bool:
        """Suspensions and bans stop a member acting; pre-moderation only holds what they write."""
        return self is not SanctionKind.PREMODERATION

    @property
    def label(self) -> str:
        return {"premoderation": "Always pre-moderate"}.get(self.value, self.value.capitalize())


class Profile(Base):
    """A person as others see them; may exist without a login (seeded commenters)."""

    __tablename__ = "profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(120))
    # What the name looks like (Unicode TR39 skeleton, case folded, no spaces), kept with it so a
    # look-alike of someone else's name is found with one indexed lookup (services/names.py).
    name_skeleton: Mapped[str | None] = mapped_column(String(500), index=True)
    job_title: Mapped[str | None] = mapped_column(String(200))
    organisation: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"), default=Role.OTHER)
    role_source: Mapped[RoleSource] = mapped_column(
        str_enum(RoleSource, "role_source"), default=RoleSource.DECLARED
    )
    bio: Mapped[str | None] = mapped_column(Text)
    # Who verified the role, how and when (role_source is then "verified").
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", use_alter=True))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    verification_method: Mapped[str | None] = mapped_column(String(300))
    # Natural key of profiles created by the seed importer, so a re-run finds them again.
    source_key: Mapped[str | None] = mapped_column(String(400), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @validates("display_name")
    def _keep_skeleton(self, _key: str, name: str) -> str:
        self.name_skeleton = name_skeleton(name)[:500]
        return name

    def __repr__(self) -> str:
        return f"<Profile {self.id} {self.display_name!r}>"


class User(Base):
    """An account: email and password hash, an access level, and the profile it posts as."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-cased
    password_hash: Mapped[str] = mapped_column(String(255))
    access: Mapped[Access] = mapped_column(str_enum(Access, "access"), default=Access.MEMBER)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The zone their pages show times in (an IANA name); None: the site's DEFAULT_TIME_ZONE.
    time_zone: Mapped[str | None] = mapped_column(String(64))

    profile: Mapped[Profile] = relationship(lazy="joined", innerjoin=True, foreign_keys=[profile_id])

    # What flask-login asks of a user object (forum/accounts/http/identity.py): an account is a live login.
    is_active = True
    is_authenticated = True
    is_anonymous = False
    __hash__ = object.__hash__  # defining __eq__ would otherwise make accounts unhashable

    def get_id(self) -> str:
        return str(self.id)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, User) and self.get_id() == other.get_id()

    @property
    def is_moderator(self) -> bool:
        """Moderators and admins moderate."""
        return self.access in (Access.MODERATOR, Access.ADMIN)

    @property
    def is_editor(self) -> bool:
        """Editors and admins manage articles."""
        return self.access in (Access.EDITOR, Access.ADMIN)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.access}>"


class ApiToken(Base):
    """A personal API token; only its SHA-256 is stored, the secret is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))  # first characters, to recognise a token in a list
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class UserSession(Base):
    """One login in one browser; the cookie holds a random key whose SHA-256 is ``key_hash``.

    A session authenticates only while this row is live (not revoked, seen recently), so logging
    out, "log out everywhere else" and password changes end it for good, remember-me cookie included.
    """

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    device: Mapped[str] = mapped_column(String(100), default="")  # "Firefox on Linux": no address kept
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Registration(Base):
    """A sign-up waiting for its email address to be confirmed; the account is made from it then.

    Nothing is written to ``users`` until the owner of the address follows the link, so nobody can
    claim an address they cannot read, and a stranger's sign-up cannot set the password of an
    account its real owner later confirms.
    """

    __tablename__ = "registrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(120))
    job_title: Mapped[str | None] = mapped_column(String(200))
    organisation: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    next_path: Mapped[str | None] = mapped_column(String(500))  # where to go once confirmed (a local path)
    consented: Mapped[dict[str, Any] | None] = mapped_column(
        JSON
    )  # {"at": iso time, "versions": {notice: v}}
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PasswordReset(Base):
    """A single-use, short-lived password reset link; only the SHA-256 of its secret is kept."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)


class Sanction(Base):
    """A suspension (until a time) or a ban (no end) of a member, with its reason."""

    __tablename__ = "sanctions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[SanctionKind] = mapped_column(str_enum(SanctionKind, "sanction_kind"))
    reason: Mapped[str] = mapped_column(String(1000))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Consent(Base):
    """A member's agreement to one version of a notice (the privacy notice, the house rules), and when."""

    __tablename__ = "consents"
    __table_args__ = (Index("ix_consents_user", "user_id", "notice", "accepted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    notice: Mapped[str] = mapped_column(String(40))
    version: Mapped[str] = mapped_column(String(40))
    accepted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
