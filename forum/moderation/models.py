"""Model what moderation keeps: rule hits, reports, notes, banned words, safeguarding and the audit log."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from forum.platform.models import Base, UTCDateTime, str_enum, utcnow


class FlagReason(enum.StrEnum):
    """Why a member reported a published comment."""

    SPAM = "spam"
    ABUSIVE = "abusive"
    PERSONAL_DATA = "personal_data"
    MISINFORMATION = "misinformation"
    AT_RISK = "at_risk"
    OTHER = "other"

    @property
    def label(self) -> str:
        if self is FlagReason.AT_RISK:
            return "Someone may be at risk"
        return self.value.replace("_", " ").capitalize()


class FlagStatus(enum.StrEnum):
    """Where a report stands."""

    OPEN = "open"
    DISMISSED = "dismissed"
    UPHELD = "upheld"


class AppealStatus(enum.StrEnum):
    """Where an appeal stands."""

    PENDING = "pending"
    UPHELD = "upheld"  # the comment is restored
    DISMISSED = "dismissed"  # the decision stands


class Appeal(Base):
    """An author's one appeal against a rejection or a take-down, decided by another moderator."""

    __tablename__ = "appeals"
    __table_args__ = (Index("ix_appeals_queue", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    note: Mapped[str] = mapped_column(Text)
    status: Mapped[AppealStatus] = mapped_column(
        str_enum(AppealStatus, "appeal_status"), default=AppealStatus.PENDING
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The moderator whose decision is appealed: they may not decide the appeal.
    appealed_decider_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_note: Mapped[str | None] = mapped_column(Text)


class RuleHit(Base):
    """A policy rule that held a comment, and the text it matched."""

    __tablename__ = "rule_hits"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    rule: Mapped[str] = mapped_column(String(40))
    matched: Mapped[str] = mapped_column(String(500))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)


class Flag(Base):
    """A member's report of a published comment; one per member per comment."""

    __tablename__ = "flags"
    __table_args__ = (
        UniqueConstraint("comment_id", "flagger_id", name="uq_flags_comment_flagger"),
        Index("ix_flags_open", "status", "comment_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    flagger_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[FlagReason] = mapped_column(str_enum(FlagReason, "flag_reason"))
    note: Mapped[str | None] = mapped_column(String(1000))
    status: Mapped[FlagStatus] = mapped_column(str_enum(FlagStatus, "flag_status"), default=FlagStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class MemberNote(Base):
    """A moderator's private note about a member."""

    __tablename__ = "member_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class BannedWord(Base):
    """A word or phrase that holds a comment for review (admins edit the list)."""

    __tablename__ = "banned_words"

    id: Mapped[int] = mapped_column(primary_key=True)
    word: Mapped[str] = mapped_column(String(100), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AuditEntry(Base):
    """One moderation action; ``entry_hash`` covers its content and the previous entry's hash."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_comment", "comment_id"),
        Index("ix_audit_log_member", "member_id"),
        Index("ix_audit_log_actor", "actor_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: the command line
    action: Mapped[str] = mapped_column(String(40))
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int] = mapped_column()
    comment_id: Mapped[int | None] = mapped_column()  # kept even if the comment is purged
    member_id: Mapped[int | None] = mapped_column()  # the account acted upon
    reason: Mapped[str | None] = mapped_column(Text)
    before: Mapped[str | None] = mapped_column(Text)  # canonical JSON
    after: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64), unique=True)


class SafeguardingOutcome(enum.StrEnum):
    """What a moderator found and did about a safeguarding item."""

    NO_CONCERN = "no_concern"
    SUPPORT_SENT = "support_sent"
    REFERRED = "referred"

    @property
    def label(self) -> str:
        return {
            "no_concern": "No concern",
            "support_sent": "Support message sent",
            "referred": "Referred",
        }[self.value]


class SafeguardingCase(Base):
    """A comment that says someone may be at risk: found by the detector or reported by a member.

    One per comment. It is open until a moderator records an outcome; the times it keeps (opened,
    first read by a person, decided) are what the safeguarding view and the dashboard report.
    """

    __tablename__ = "safeguarding_cases"
    __table_args__ = (Index("ix_safeguarding_cases_open", "decided_at", "opened_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), unique=True)
    source: Mapped[str] = mapped_column(String(20))  # "detected" or "report"
    signals: Mapped[str] = mapped_column(String(200), default="")  # risk_signals names, comma-separated
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    first_read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    first_read_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    outcome: Mapped[SafeguardingOutcome | None] = mapped_column(
        str_enum(SafeguardingOutcome, "safeguarding_outcome")
    )
    referred_to: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    support_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def signal_names(self) -> list[str]:
        return [s for s in self.signals.split(",") if s]


class OnCallModerator(Base):
    """A moderator who is alerted at once about every safeguarding item."""

    __tablename__ = "on_call_moderators"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    since: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RecordView(Base):
    """A moderator opened a member's private record (email address, notes, history): who, whose, when.

    The member's download of their data lists these views (docs/privacy.md).
    """

    __tablename__ = "record_views"
    __table_args__ = (Index("ix_record_views_member", "member_id", "viewed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    member_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    what: Mapped[str] = mapped_column(String(40))  # "member record (page)", "member record (API)"
    viewed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
