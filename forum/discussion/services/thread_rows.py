"""The shapes a thread page is made of: plain rows for its comments and authors, nodes, the page."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from forum.accounts.models import Profile, Role, RoleSource
from forum.discussion.models import Article, Comment, CommentStatus, RejectReason
from forum.discussion.services.placeholders import Cause
from forum.discussion.services.thread_options import DEFAULT_OPTIONS, ThreadOptions


@dataclass(slots=True)
class ThreadAuthor:
    """The author block shown beside a comment (what ``AuthorSchema`` dumps)."""

    id: int
    display_name: str
    job_title: str | None
    organisation: str | None
    role: Role
    role_source: RoleSource

    @classmethod
    def of(cls, profile: Profile) -> ThreadAuthor:
        """The author block of a loaded profile."""
        return cls(
            profile.id,
            profile.display_name,
            profile.job_title,
            profile.organisation,
            profile.role,
            profile.role_source,
        )


@dataclass(slots=True)
class ThreadComment:
    """One comment as a thread shows it: the columns pages and JSON need, and its author.

    Plain rows rather than ORM objects: a 1,000-comment page builds several times faster, and
    nothing on a read needs change tracking. Attribute names match ``Comment``'s, so templates and
    ``permissions`` treat both alike.
    """

    id: int
    article_id: int
    parent_id: int | None
    root_id: int | None
    author_id: int
    body: str
    body_html: str
    status: CommentStatus
    created_at: datetime
    edited_at: datetime | None
    deleted_at: datetime | None
    redacted_at: datetime | None
    reject_reason: RejectReason | None
    decision_note: str | None
    held_because: str | None
    offered_help: bool
    author_erased_at: datetime | None = None
    imported_at: datetime | None = None  # from a page that records no dates: it has none to show
    decided_at: datetime | None = None  # the last moderation decision (a pre-moderated one's publication)
    thanks_count: int = 0
    official_at: datetime | None = None  # marked by its author as the publisher's official response
    author: ThreadAuthor = field(init=False)
    thanked: bool = field(default=False, init=False)  # by this viewer (thanks.mark_thanked)
    # What stands in its place for this viewer (placeholders.CAUSES), None when it is shown itself.
    placeholder: str | None = None
    placeholder_text: str | None = None

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def published_at(self) -> datetime:
        """When readers could first see it: its approval if a moderator decided it, else its writing."""
        return self.decided_at or self.created_at

    @property
    def written_at(self) -> datetime | None:
        """When it was written, if known (as ``Comment.written_at``)."""
        return None if self.imported_at is not None else self.created_at

    def stand_in(self, cause: Cause) -> None:
        """Become a placeholder: nothing of the text, the author's name or profile is kept."""
        self.placeholder = cause.key
        self.placeholder_text = cause.says(self)
        self.body = self.body_html = ""
        self.held_because = self.decision_note = self.official_at = None
        self.thanks_count = 0
        self.author = PLACEHOLDER_AUTHOR


COLUMNS = (
    Comment.id,
    Comment.article_id,
    Comment.parent_id,
    Comment.root_id,
    Comment.author_id,
    Comment.body,
    Comment.body_html,
    Comment.status,
    Comment.created_at,
    Comment.edited_at,
    Comment.deleted_at,
    Comment.redacted_at,
    Comment.reject_reason,
    Comment.decision_note,
    Comment.held_because,
    Comment.offered_help,
    Comment.author_erased_at,
    Comment.imported_at,
    Comment.decided_at,
    Comment.thanks_count,
    Comment.official_at,
)
AUTHOR_COLUMNS = (
    Profile.id,
    Profile.display_name,
    Profile.job_title,
    Profile.organisation,
    Profile.role,
    Profile.role_source,
)
WIDTH, AUTHOR_WIDTH = len(COLUMNS), len(AUTHOR_COLUMNS)
# Who a placeholder is by: nobody (no name, no profile).
PLACEHOLDER_AUTHOR = ThreadAuthor(0, "", None, None, Role.OTHER, RoleSource.DECLARED)


@dataclass(slots=True)
class ThreadNode:
    """A comment and its replies, oldest first."""

    comment: ThreadComment
    depth: int = 0
    replies: list[ThreadNode] = field(default_factory=list)
    parent: ThreadComment | ParentRef | None = None  # the comment it answers (shown alone: named)
    new: bool = False  # published since the member's previous visit
    folded: bool = False  # its replies start folded (a long thread, deeper than the first replies)
    repliers: str = ""  # "Mark Duman and 2 others replied": the summary of its folded replies


def walk(nodes: list[ThreadNode]) -> Iterator[tuple[ThreadNode, int]]:
    """Visit a tree depth first; with each node, how many reply levels end right after it.

    A template can then draw nested lists in one flat loop: open a level under a node with
    replies, close ``ending`` levels after a leaf, no recursion.
    """
    stack: list[tuple[ThreadNode, int]] = [(node, 0) for node in reversed(nodes)]
    while stack:
        node, ending = stack.pop()
        if node.replies:
            children = [(child, 0) for child in reversed(node.replies)]
            children[0] = (children[0][0], ending + 1)  # the last reply closes its level and what ended here
            stack.extend(children)
            yield node, 0
        else:
            yield node, ending


@dataclass(slots=True)
class ParentRef:
    """The comment a reply answers when the reply is shown alone (a filtered view): whose, or gone."""

    id: int
    author: ThreadAuthor
    placeholder: str | None = None  # set when the viewer may not see it


@dataclass
class Thread:
    """One page of the comments of an article that a viewer may see."""

    article: Article
    roots: list[ThreadNode]
    count: int  # every comment the viewer may see in the whole thread
    next_cursor: str | None = None  # where the next page of top-level comments starts
    options: ThreadOptions = DEFAULT_OPTIONS
    voices: list[tuple[Role, int]] = field(default_factory=list)  # published comments by role, most first
    since: datetime | None = None  # the member's previous visit began: later comments are "New"
    new_count: int = 0  # comments published since then, in the whole thread
    first_new_id: int | None = None  # the earliest of them
    first_new_here: bool = False  # and it is on this page
    shown: int = 0  # comments on this page (a filtered view: those by the chosen voices)

    def walk(self) -> Iterator[tuple[ThreadNode, int]]:
        """Every node depth first, each with the number of reply levels that close after it."""
        return walk(self.roots)
