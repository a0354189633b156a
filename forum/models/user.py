"""Model accounts (a login bound to a profile) and their personal API tokens."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.models.base import Base, UTCDateTime, utcnow
from forum.models.enums import Access, str_enum
from forum.models.profile import Profile


class User(UserMixin, Base):
    """An account: email and password hash, an access level, and the profile it posts as."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-cased
    password_hash: Mapped[str] = mapped_column(String(255))
    access: Mapped[Access] = mapped_column(str_enum(Access, "access"), default=Access.MEMBER)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    profile: Mapped[Profile] = relationship(lazy="joined", innerjoin=True, foreign_keys=[profile_id])

    @property
    def is_moderator(self) -> bool:
        """Moderators and admins moderate."""
        return self.access in (Access.MODERATOR, Access.ADMIN)

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
