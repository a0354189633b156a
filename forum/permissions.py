"""Name who may do what, in one place: services enforce these, views and templates ask the same.

Each rule is a predicate (``can_edit_comment``) that pages and the API use to decide what to offer,
and, where a service acts on it, an ``ensure_*`` that raises the explanatory error. A service
calls the ``ensure_*`` itself, so no caller can go round a rule; a page that only wants to know
asks the predicate, never the service.

What may happen also depends on the account's standing (a suspension or ban, read from the
database): services check that with ``forum.accounts.services.standing.ensure_can_act``; pages
read it once per request (``forum.accounts.http.identity.viewer_sanction_text``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from forum.accounts.models import Access, Role, RoleSource
from forum.accounts.services.viewer import Viewer
from forum.discussion.models import CommentStatus
from forum.platform.errors import Forbidden, NotFound
from forum.platform.settings import setting_or


class CommentFacts(Protocol):
    """What the rules read of a comment (a model row or a thread's plain row)."""

    @property
    def author_id(self) -> int: ...
    @property
    def status(self) -> CommentStatus: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def deleted_at(self) -> datetime | None: ...


class AuthorFacts(Protocol):
    """What the official-response rule reads of a comment's author (a profile or a thread's row)."""

    @property
    def role(self) -> Role: ...
    @property
    def role_source(self) -> RoleSource: ...
    @property
    def organisation(self) -> str | None: ...


def can_see(viewer: Viewer, status: CommentStatus, author_id: int) -> bool:
    """Approved comments are public; others only to their author and moderators.

    The same rule in SQL is forum/discussion/services/visibility.py.
    """
    return (
        status == CommentStatus.APPROVED
        or viewer.is_moderator
        or (viewer.profile_id is not None and author_id == viewer.profile_id)
    )


def can_see_comment(viewer: Viewer, comment: CommentFacts) -> bool:
    """Tell whether ``viewer`` may see ``comment`` (see can_see)."""
    return can_see(viewer, comment.status, comment.author_id)


def is_author(viewer: Viewer, comment: CommentFacts) -> bool:
    """Tell whether ``viewer`` wrote ``comment``."""
    return viewer.profile_id is not None and comment.author_id == viewer.profile_id


def ensure_author(viewer: Viewer, comment: CommentFacts) -> None:
    """:raises Forbidden: when the viewer did not write the comment."""
    if not is_author(viewer, comment):
        raise Forbidden("You can only change your own comments.")


# A moderator refused these: editing one would put it back in the queue as if new (an appeal is the way back).
REFUSED = frozenset({CommentStatus.REJECTED, CommentStatus.REMOVED})


def can_edit_comment(viewer: Viewer, comment: CommentFacts, now: datetime, window: timedelta) -> bool:
    """Authors may edit their own, undeleted comment within the edit window, unless it was refused."""
    return (
        is_author(viewer, comment)
        and comment.deleted_at is None
        and comment.status not in REFUSED
        and now - comment.created_at <= window
    )


def ensure_can_edit(viewer: Viewer, comment: CommentFacts, now: datetime, window: timedelta) -> None:
    """:raises Forbidden: on a refused (rejected or removed) comment, after the edit window, on a
    deleted comment, or on someone else's."""
    ensure_author(viewer, comment)
    if comment.status in REFUSED and comment.deleted_at is None:
        raise Forbidden(
            "A moderator did not publish this comment, so it cannot be edited. You can post a new "
            "comment, or ask for the decision to be looked at again."
        )
    if not can_edit_comment(viewer, comment, now, window):
        minutes = int(window.total_seconds() // 60)
        raise Forbidden(f"Comments can only be edited for {minutes} minutes after posting.")


def can_delete_comment(viewer: Viewer, comment: CommentFacts) -> bool:
    """Authors may delete their own comment at any time."""
    return is_author(viewer, comment) and comment.deleted_at is None


def ensure_can_delete(viewer: Viewer, comment: CommentFacts) -> None:
    """:raises Forbidden: on someone else's comment, or one already deleted."""
    ensure_author(viewer, comment)
    if not can_delete_comment(viewer, comment):
        raise Forbidden("This comment has already been deleted.")


def can_flag(viewer: Viewer, comment: CommentFacts) -> bool:
    """Members may report others' published comments."""
    return (
        not viewer.is_anonymous
        and comment.status == CommentStatus.APPROVED
        and comment.deleted_at is None
        and comment.author_id != viewer.profile_id
    )


def ensure_can_flag(viewer: Viewer, comment: CommentFacts) -> None:
    """:raises NotFound: when the comment is not published; :raises Forbidden: for one's own."""
    if comment.status != CommentStatus.APPROVED or comment.deleted_at is not None:
        raise NotFound("There is no such published comment.")
    if not can_flag(viewer, comment):
        raise Forbidden("You cannot report your own comment; you can edit or delete it instead.")


def can_moderate(viewer: Viewer) -> bool:
    """Moderators and admins work the queue, see everything and act on members."""
    return viewer.is_moderator


def ensure_can_moderate(viewer: Viewer) -> None:
    """:raises Forbidden: for anyone who does not moderate."""
    if not can_moderate(viewer):
        raise Forbidden("You need moderator rights for that.")


def can_act_on(viewer: Viewer, target: Access | None, *, own: bool = False) -> bool:
    """Who acts on whom: moderators act on members (their comments, notes, sanctions, roles) and on
    their own comments, admins on anyone. A moderator cannot take down an admin's or another
    moderator's comment or keep notes on them: staff answer to admins, not to each other. ``target``
    is None for a profile without an account (an imported commenter), treated as a member."""
    if viewer.is_admin:
        return True
    return viewer.is_moderator and (own or target in (None, Access.MEMBER))


def ensure_can_act_on(viewer: Viewer, target: Access | None, *, own: bool = False) -> None:
    """:raises Forbidden: when a moderator would act on a moderator or an admin (see can_act_on)."""
    ensure_can_moderate(viewer)
    if not can_act_on(viewer, target, own=own):
        raise Forbidden("Only an admin can do that to a moderator or an admin.")


def can_administer(viewer: Viewer) -> bool:
    """Admins change access levels and the banned-word list."""
    return viewer.is_admin


def ensure_can_administer(viewer: Viewer) -> None:
    """:raises Forbidden: for anyone who is not an admin."""
    if not can_administer(viewer):
        raise Forbidden("You need admin rights for that.")


def can_edit_articles(viewer: Viewer) -> bool:
    """Editors and admins write, publish, archive and close articles; moderators do not."""
    return viewer.is_editor


def ensure_can_edit_articles(viewer: Viewer) -> None:
    """:raises Forbidden: for anyone who does not edit articles."""
    if not can_edit_articles(viewer):
        raise Forbidden("You need editor rights to manage articles.")


# --- appeals (issue 16) ---------------------------------------------------------------------------------


def can_appeal(viewer: Viewer, comment: CommentFacts, already_appealed: bool) -> bool:
    """The author of a rejected or taken-down comment may appeal once (not against their own deletion)."""
    return (
        is_author(viewer, comment)
        and comment.status in (CommentStatus.REJECTED, CommentStatus.REMOVED)
        and comment.deleted_at is None
        and not already_appealed
    )


def ensure_can_appeal(viewer: Viewer, comment: CommentFacts, already_appealed: bool) -> None:
    """:raises Forbidden: on someone else's comment, a published one, or a second appeal."""
    ensure_author(viewer, comment)
    if already_appealed:
        raise Forbidden("You have already appealed against this decision; a comment can be appealed once.")
    if not can_appeal(viewer, comment, already_appealed):
        raise Forbidden("Only a comment that was not published or was taken down can be appealed.")


def can_decide_appeal(viewer: Viewer, appealed_decider_id: int | None) -> bool:
    """A moderator decides an appeal, but never the one whose decision is appealed."""
    return viewer.is_moderator and viewer.user_id is not None and viewer.user_id != appealed_decider_id


def ensure_can_decide_appeal(viewer: Viewer, appealed_decider_id: int | None) -> None:
    """:raises Forbidden: for anyone who does not moderate, or the moderator who made the decision."""
    ensure_can_moderate(viewer)
    if not can_decide_appeal(viewer, appealed_decider_id):
        raise Forbidden(
            "You made the decision this appeal is about; another moderator must decide the appeal."
        )


# --- taking part (issue 22) -----------------------------------------------------------------------------


def can_thank(viewer: Viewer, comment: CommentFacts) -> bool:
    """Members may say that someone else's published comment helped them (once; they may undo it)."""
    return (
        not viewer.is_anonymous
        and viewer.profile_id is not None
        and comment.status == CommentStatus.APPROVED
        and comment.deleted_at is None
        and comment.author_id != viewer.profile_id
    )


def ensure_can_thank(viewer: Viewer, comment: CommentFacts) -> None:
    """:raises NotFound: when the comment is not published; :raises Forbidden: for one's own."""
    if comment.status != CommentStatus.APPROVED or comment.deleted_at is not None:
        raise NotFound("There is no such published comment.")
    if not can_thank(viewer, comment):
        raise Forbidden("You cannot thank yourself for your own comment.")


def publisher_name() -> str:
    """The organisation that publishes the articles (PUBLISHER_NAME): its staff may answer officially."""
    return str(setting_or("PUBLISHER_NAME", "The King's Fund"))


def _same_organisation(a: str | None, b: str) -> bool:
    """The same name, whatever the case, spacing or kind of apostrophe ("The King’s Fund")."""

    def fold(name: str) -> str:
        return " ".join(name.replace("\u2019", "'").casefold().split())

    return a is not None and fold(a) == fold(b)


def is_publisher_staff(author: AuthorFacts) -> bool:
    """A verified member of the publisher's staff: role staff, verified by a moderator, its organisation."""
    return (
        author.role == Role.STAFF
        and author.role_source == RoleSource.VERIFIED
        and _same_organisation(author.organisation, publisher_name())
    )


def can_mark_official(viewer: Viewer, comment: CommentFacts, author: AuthorFacts) -> bool:
    """Verified staff of the publisher may mark (and unmark) their own comment as its official response,
    while it is not deleted or refused by a moderator."""
    return (
        is_author(viewer, comment)
        and comment.deleted_at is None
        and comment.status not in REFUSED
        and is_publisher_staff(author)
    )


def ensure_can_mark_official(viewer: Viewer, comment: CommentFacts, author: AuthorFacts) -> None:
    """:raises Forbidden: on someone else's comment, a deleted or refused one, or for anyone who is not
    verified staff of the publisher."""
    ensure_author(viewer, comment)
    if comment.deleted_at is not None or comment.status in REFUSED:
        raise Forbidden("Only a comment that is not deleted or taken down can be an official response.")
    if not can_mark_official(viewer, comment, author):
        raise Forbidden(
            f"Only staff of {publisher_name()} whose role a moderator has verified can give an official "
            "response."
        )
