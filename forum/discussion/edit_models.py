"""A comment's earlier texts, and edits waiting for a moderator."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from forum.discussion.models import RejectReason
from forum.platform.models import Base, UTCDateTime, str_enum, utcnow


class EditStatus(enum.StrEnum):
    """Where a held edit stands: waiting, published (approved) or refused (rejected)."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class CommentRevision(Base):
    """An earlier text of a comment, kept whenever it is edited."""

    __tablename__ = "comment_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    editor_id: Mapped[int] = mapped_column(ForeignKey("profiles.id"))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # its text removed by retention


class HeldEdit(Base):
    """An edit by a member who is pre-moderated, waiting for a moderator; readers keep the approved text.

    At most one waits per comment (a second edit replaces the waiting text). Approving it makes it the
    comment's text (the old one becomes a revision); rejecting it keeps the approved text and says why.
    """

    __tablename__ = "held_edits"
    __table_args__ = (
        Index("ix_held_edits_comment", "comment_id", "status"),
        Index("ix_held_edits_queue", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    held_because: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[EditStatus] = mapped_column(
        str_enum(EditStatus, "edit_status"), default=EditStatus.PENDING
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reject_reason: Mapped[RejectReason | None] = mapped_column(str_enum(RejectReason, "reject_reason"))
    decision_note: Mapped[str | None] = mapped_column(Text)
