"""Model a public profile: the name, job title, organisation and role shown beside comments."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from forum.models.base import Base, UTCDateTime, utcnow
from forum.models.enums import Role, RoleSource, str_enum


class Profile(Base):
    """A person as others see them; may exist without a login (seeded commenters)."""

    __tablename__ = "profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(120))
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

    def __repr__(self) -> str:
        return f"<Profile {self.id} {self.display_name!r}>"
