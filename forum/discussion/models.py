"""Model the discussion: articles, their comments (each with its moderation state) and earlier texts."""

from __future__ import annotations

import enum
import hashlib
from collections import Counter
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    and_,
    event,
    false,
    func,
    select,
    text,
)
from sqlalchemy.orm import Mapped, column_property, deferred, mapped_column, relationship, validates

from forum.accounts.models import Profile
from forum.platform.models import Base, UTCDateTime, str_enum, utcnow


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


class ArticleState(enum.StrEnum):
    """Where an article is in its life: only PUBLISHED is seen by readers, anywhere."""

    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class CommentsMode(enum.StrEnum):
    """What an article's thread allows: OPEN to post, CLOSED readable only, HIDDEN to moderators only."""

    OPEN = "open"
    CLOSED = "closed"
    HIDDEN = "hidden"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class CommentStatus(enum.StrEnum):
    """The moderation state of a comment; only APPROVED is public."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    REMOVED = "removed"


class RejectReason(enum.StrEnum):
    """Why a moderator did not publish a comment (or took it down): the one fixed list every
    decision cites, shown to authors and, counted, to readers (docs/moderation.md)."""

    OFF_TOPIC = "off_topic"
    ABUSIVE = "abusive"
    PERSONAL_DATA = "personal_data"
    SAFEGUARDING = "safeguarding"
    IMPERSONATION = "impersonation"
    SPAM = "spam"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def explanation(self) -> str:
        """What the reason means, in plain words (the policy page, decision forms)."""
        return REASON_EXPLANATIONS[self]


REASON_EXPLANATIONS = {
    RejectReason.OFF_TOPIC: "It is not about the article or the conversation under it.",
    RejectReason.ABUSIVE: "It attacks, insults or threatens someone, or accuses a named person "
    "without evidence.",
    RejectReason.PERSONAL_DATA: "It gives details that could identify someone: an NHS number, a phone "
    "number, an address, an email address, or a patient's story told without their consent.",
    RejectReason.SAFEGUARDING: "It suggests someone may be at risk of harm; a moderator follows it up "
    "rather than publishing it.",
    RejectReason.IMPERSONATION: "It pretends to be from someone else, or claims a role the writer "
    "does not have.",
    RejectReason.SPAM: "It advertises, repeats itself or links to something unrelated.",
    RejectReason.OTHER: "Something else in the house rules; the moderator's note says what.",
}


def _published_at_default(context: Any) -> datetime | None:
    """An article written straight into the published state was published when it was written."""
    state = context.get_current_parameters().get("state")
    return utcnow() if state in (ArticleState.PUBLISHED, ArticleState.PUBLISHED.value) else None


class Article(Base):
    """An article; ``body`` is the source text, ``body_html`` its rendering (made once, when written).

    Readers see only PUBLISHED articles (a draft or archived one is a 404 everywhere); the byline may
    link to a profile, whose comments then carry an "Author" badge in the thread.
    """

    __tablename__ = "articles"
    __table_args__ = (Index("ix_articles_listing", "state", "listed_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    subtitle: Mapped[str | None] = mapped_column(String(300))
    byline_name: Mapped[str | None] = mapped_column(String(500))
    byline_description: Mapped[str | None] = mapped_column(String(300))
    byline_profile_id: Mapped[int | None] = mapped_column(ForeignKey("profiles.id", ondelete="SET NULL"))
    kind: Mapped[ArticleKind] = mapped_column(str_enum(ArticleKind, "article_kind"))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    # The date the page was first published elsewhere, as written ("Spring 2019"), and, when it
    # reads as a date, that date for sorting.
    original_date: Mapped[str | None] = mapped_column(String(100))
    original_date_sort: Mapped[date | None] = mapped_column(Date())
    # The page on the organisation's own site (rel=canonical).
    canonical_url: Mapped[str | None] = mapped_column(String(500))
    # When the seed loader brought the page in (None for articles written here): its own date, if
    # any, is original_date; the forum invents none.
    imported_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The list's order (newest first): the original date where known, else when it was published
    # here; an imported page with no date of its own sorts after every dated one (listing_key).
    listed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # active_history: the count of published articles (counters.py) needs the value a change replaces.
    state: Mapped[ArticleState] = mapped_column(
        str_enum(ArticleState, "article_state"), default=ArticleState.PUBLISHED, active_history=True
    )
    comments_mode: Mapped[CommentsMode] = mapped_column(
        str_enum(CommentsMode, "comments_mode"), default=CommentsMode.OPEN
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # First published (the list's order); None for a draft never published.
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=_published_at_default)
    # Approved, undeleted comments (what everyone sees counted), kept by services/counters.py in the
    # transaction of every change, so lists and threads never count rows to show it.
    comment_count: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    # Bumped in the transaction of any change that shows in the thread: ETags and cache keys.
    thread_version: Mapped[int] = mapped_column(default=1, server_default=text("1"))

    @property
    def is_published(self) -> bool:
        return self.state == ArticleState.PUBLISHED

    @property
    def dated_at(self) -> datetime | None:
        """The article's own date: first published elsewhere if known, else here; None if imported undated."""
        if self.original_date_sort is not None:
            return datetime(
                self.original_date_sort.year,
                self.original_date_sort.month,
                self.original_date_sort.day,
                tzinfo=UTC,
            )
        return None if self.imported_at is not None else self.published_at

    @property
    def comments_open(self) -> bool:
        return self.comments_mode == CommentsMode.OPEN

    @property
    def comments_hidden(self) -> bool:
        return self.comments_mode == CommentsMode.HIDDEN

    if TYPE_CHECKING:
        # The reasons of its refused comments, comma-separated (deferred; read with the thread page).
        refusal_reasons: Mapped[str | None]

    @property
    def refusals(self) -> list[tuple[str, int]]:
        """How many of its comments moderators did not publish or took down, per reason, most first
        (what readers are shown; never which comments). Only when ``refusal_reasons`` was read."""
        if "refusal_reasons" not in self.__dict__:
            return []
        counts = Counter(r for r in (self.refusal_reasons or "").split(",") if r)
        known = {reason.value: reason for reason in RejectReason}
        return [(known[r].label.lower() if r in known else r, n) for r, n in counts.most_common()]

    def __repr__(self) -> str:
        return f"<Article {self.slug}>"


# Where an imported page with no date of its own sorts: after every dated article. Never shown.
UNDATED = datetime(1900, 1, 1, tzinfo=UTC)


def listing_key(
    original: date | None, published: datetime | None, imported: datetime | None
) -> datetime | None:
    """Where an article stands in the list: its original date, else when published here.

    An imported page with no date of its own gets UNDATED.
    """
    if original is not None:
        return datetime(original.year, original.month, original.day, tzinfo=UTC)
    if imported is not None:
        return UNDATED
    return published


@event.listens_for(Article, "before_insert")
@event.listens_for(Article, "before_update")
def _keep_listed_at(_mapper: Any, _connection: Any, article: Article) -> None:
    """Keep the list's order in step with the dates it comes from, whoever changed them."""
    if article.published_at is None and article.state == ArticleState.PUBLISHED:
        article.published_at = utcnow()  # what the column default would give, known here first
    article.listed_at = listing_key(article.original_date_sort, article.published_at, article.imported_at)


class ArticleSlug(Base):
    """A slug an article had once it was published: kept for ever, so old links redirect."""

    __tablename__ = "article_slugs"

    slug: Mapped[str] = mapped_column(String(120), primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SiteCounter(Base):
    """A count kept as things change rather than counted on each read (services/counters.py)."""

    __tablename__ = "site_counters"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[int] = mapped_column(default=0)


PUBLISHED_ARTICLES = "published_articles"  # the article list's total, whatever the number of articles


def text_fingerprint(text: str) -> str:
    """Digest what makes two posts "the same": the words, ignoring case and spacing."""
    return hashlib.blake2b(" ".join(text.casefold().split()).encode(), digest_size=16).hexdigest()


class Comment(Base):
    """A comment or reply; ``id`` keeps the original number for imported comments."""

    __tablename__ = "comments"
    __table_args__ = (
        # The thread read: one article's comments in order, filtered by status.
        Index("ix_comments_thread", "article_id", "status", "created_at", "id"),
        Index("ix_comments_author", "author_id", "status", "created_at"),
        # A member's latest comments, whatever their status (the posting policy's look back).
        Index("ix_comments_author_recent", "author_id", "created_at", "id"),
        # The repeated-text rule: has this author posted the same words lately?
        Index("ix_comments_author_fingerprint", "author_id", "fingerprint"),
        Index("ix_comments_queue", "status", "created_at"),
        # Top-level comments of a thread in order, for paging (partial, so the planner reads it in order
        # and stops after a page); and every reply under a top-level one.
        Index(
            "ix_comments_thread_roots",
            "article_id",
            "created_at",
            "id",
            postgresql_where=text("parent_id IS NULL"),
            sqlite_where=text("parent_id IS NULL"),
        ),
        Index("ix_comments_root_id", "root_id"),
        # What is new in a thread since a member's last visit (thread_marks.news_columns): published since.
        Index("ix_comments_published", "article_id", text("coalesce(decided_at, created_at)")),
        # A rejected or removed comment always says why; decisions say who and when.
        CheckConstraint(
            "status NOT IN ('rejected', 'removed') OR reject_reason IS NOT NULL OR deleted_at IS NOT NULL",
            name="rejection_has_reason",
        ),
        CheckConstraint("(decided_by_id IS NULL) = (decided_at IS NULL)", name="decision_has_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    # The top-level comment this one answers, directly or not (NULL for top-level comments).
    root_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    # How many replies up the top-level comment is (0 for it); posting keeps it <= REPLY_DEPTH_MAX.
    depth: Mapped[int] = mapped_column(default=0, server_default="0")
    author_id: Mapped[int] = mapped_column(ForeignKey("profiles.id"))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    # active_history: the previous value is known at flush, so services/counters.py can tell
    # whether a change made a comment public or took it away.
    status: Mapped[CommentStatus] = mapped_column(
        str_enum(CommentStatus, "comment_status"), default=CommentStatus.PENDING, active_history=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # Set when the author changed the text after someone had replied: shown as "edited".
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set when the author deleted it: the text is gone, replies stay under a placeholder.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), active_history=True)
    # The last moderation decision: who, when, why. Seeded comments were approved at source.
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reject_reason: Mapped[RejectReason | None] = mapped_column(str_enum(RejectReason, "reject_reason"))
    decision_note: Mapped[str | None] = mapped_column(Text)
    # Set when a moderator changed the text before publishing it ("edited by a moderator").
    redacted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set when enough members' reports took a published comment down for review.
    hidden_by_flags_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Why the policy held it, in a sentence for its author (None when published at once).
    held_because: Mapped[str | None] = mapped_column(String(500))
    # The writer may be in crisis: show them where to get help now, with their comment.
    offered_help: Mapped[bool] = mapped_column(default=False, server_default=false())
    # When the retention policy removed the text of this refused comment (docs/privacy.md).
    text_purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When its author erased their account: the comment keeps its place as a placeholder, no text.
    author_erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When the seed loader brought it in from a page that records no comment dates: it then has no
    # date to show (created_at is only when the row was written, and orders it by its number).
    imported_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Digest of the text as the repeated-text rule compares it (see text_fingerprint), kept with the body.
    fingerprint: Mapped[str | None] = mapped_column(String(32))
    # Members who said it helped them (comment_thanks), kept by services/thanks.py in the same transaction.
    thanks_count: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    # Marked by its author, verified staff of the publisher, as the organisation's official response.
    official_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Optimistic lock: two moderators deciding at once cannot both win.
    version: Mapped[int] = mapped_column(default=1)

    article: Mapped[Article] = relationship(lazy="raise")
    author: Mapped[Profile] = relationship(lazy="raise")

    __mapper_args__ = {"version_id_col": version}

    @validates("body")
    def _keep_fingerprint(self, _key: str, body: str) -> str:
        self.fingerprint = text_fingerprint(body)
        return body

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def written_at(self) -> datetime | None:
        """When it was written, if known: None for a comment imported from a page without dates."""
        return None if self.imported_at is not None else self.created_at

    def __repr__(self) -> str:
        return f"<Comment {self.id} on {self.article_id} ({self.status})>"


# Read by the thread page with the article (articles.get_article), in the same statement: the public
# transparency counts of each thread (docs/moderation.md).
Article.refusal_reasons = deferred(
    column_property(
        select(func.aggregate_strings(Comment.reject_reason, ","))
        .where(
            Comment.article_id == Article.id,
            Comment.status.in_([CommentStatus.REJECTED, CommentStatus.REMOVED]),
            Comment.deleted_at.is_(None),
        )
        .correlate_except(Comment)
        .scalar_subquery()
    )
)


def public_article() -> ColumnElement[bool]:
    """The condition readers' queries put on articles: published (never a draft or an archived one)."""
    return Article.state == ArticleState.PUBLISHED


def public_thread() -> ColumnElement[bool]:
    """The condition on an article whose comments readers may see: published, comments not hidden."""
    return and_(Article.state == ArticleState.PUBLISHED, Article.comments_mode != CommentsMode.HIDDEN)


# Kept here for the modules that import them from the models (edit_models.py, reader_models.py).
from forum.discussion.edit_models import CommentRevision as CommentRevision  # noqa: E402
from forum.discussion.edit_models import EditStatus as EditStatus  # noqa: E402
from forum.discussion.edit_models import HeldEdit as HeldEdit  # noqa: E402
from forum.discussion.reader_models import Follow as Follow  # noqa: E402
from forum.discussion.reader_models import ThreadVisit as ThreadVisit  # noqa: E402
