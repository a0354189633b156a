"""Model what members are told: in-app notices, the emails that carry news to them, and their choices."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from forum.platform.models import Base, UTCDateTime, str_enum, utcnow


class Notification(Base):
    """An in-app message to a member about one of their comments."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_unread", "user_id", "read_at"),
        # "Told about this comment lately?" (at most one thanks notice a day), without a scan.
        Index("ix_notifications_comment_kind", "comment_id", "kind", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class FollowedMode(enum.StrEnum):
    """How a member hears of new comments in the threads they follow."""

    OFF = "off"
    IMMEDIATE = "immediate"  # one email per new published comment
    DIGEST = "digest"  # one email a day listing them (none when nothing happened)


class NotificationSettings(Base):
    """A member's choices about email; a member without a row has the defaults below.

    Bounces are kept here too: ``hard_bounces`` permanent failures in a row to ``bounced_address``
    stop all email to it (``bouncing_since``) until the member changes address or asks to try again.
    """

    __tablename__ = "notification_settings"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    email_enabled: Mapped[bool] = mapped_column(default=True)  # False: no email at all
    replies: Mapped[bool] = mapped_column(default=True)
    decisions: Mapped[bool] = mapped_column(default=True)
    followed: Mapped[FollowedMode] = mapped_column(
        str_enum(FollowedMode, "followed_mode"), default=FollowedMode.DIGEST
    )
    auto_follow: Mapped[bool] = mapped_column(default=True)  # follow a thread when commenting in it
    moderator_alerts: Mapped[bool] = mapped_column(default=True)
    digest_hour: Mapped[int] = mapped_column(default=8)  # local hour, 0-23
    time_zone: Mapped[str] = mapped_column(String(64), default="Europe/London")
    hard_bounces: Mapped[int] = mapped_column(default=0)
    bounced_address: Mapped[str | None] = mapped_column(String(254))
    bouncing_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class EmailState(enum.StrEnum):
    """Where one email is: waiting, handed to the mail server, given up on, or not needed after all."""

    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"  # a permanent failure (or too many temporary ones): last_error says which
    SKIPPED = "skipped"  # no longer wanted when its turn came: last_error says why


class Email(Base):
    """One email to one person: what it is about, and how its delivery went.

    Member emails are rendered when they are delivered, from what they refer to (a notice, a comment,
    the comments of a digest in ``context``), so a comment taken down in the meantime is never sent.
    Account emails (sign-up, password) are rendered when asked for and keep ``subject``/``body`` until
    sent; the body, which carries a one-time link, is erased once delivered. The ``id`` makes the
    stable Message-ID, so a retried delivery is recognisably the same message.
    """

    __tablename__ = "emails"
    __table_args__ = (
        # One email per member and reason ("notice:12", "comment:40:thread.comment", "digest:2026-12-02").
        UniqueConstraint("user_id", "dedupe_key", name="uq_emails_user_dedupe"),
        Index("ix_emails_state_created", "state", "created_at"),
        Index("ix_emails_user_kind_created", "user_id", "kind", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    to_address: Mapped[str | None] = mapped_column(String(254))  # account emails only
    notification_id: Mapped[int | None] = mapped_column(ForeignKey("notifications.id", ondelete="CASCADE"))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    dedupe_key: Mapped[str | None] = mapped_column(String(120))
    subject: Mapped[str | None] = mapped_column(String(300))
    body: Mapped[str | None] = mapped_column(Text)
    context: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    state: Mapped[EmailState] = mapped_column(str_enum(EmailState, "email_state"), default=EmailState.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
