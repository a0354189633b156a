"""Model what seeding keeps: where personal data was taken out of imported comments."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from forum.platform.models import Base, UTCDateTime, utcnow


class ImportRedaction(Base):
    """Personal data the importer took out of an imported comment's published text.

    It keeps the rule, the label shown in its place and where the label is — never the data itself,
    which stays only in the seed file: a moderator who restores it after checking the source reads it
    from there (docs/seeds.md).
    """

    __tablename__ = "import_redactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    rule: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(60))
    start: Mapped[int] = mapped_column(Integer)  # of the label, in the published text
    source_start: Mapped[int] = mapped_column(Integer)  # of the data, in the seed's text
    source_end: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    restored_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    restored_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str | None] = mapped_column(Text)
