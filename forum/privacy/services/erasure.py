"""Erase a member's account: what is theirs goes, their comments keep their place as placeholders.

The account keeps only its id (so the audit log's references and other people's replies hold):
no email, no password, no profile fields. Each comment they wrote loses its text (and its earlier
texts, held edits and what the rules matched in it) and is marked ``author_erased_at``, so threads
show "Comment by a former member" where it stood. The comments change through the ORM, so the
discussion's flush subscriber moves thread versions and invalidates cached copies as for any edit.
"""

from __future__ import annotations

from sqlalchemy import delete, select, update

from forum import permissions
from forum.accounts.models import (
    ApiToken,
    Consent,
    PasswordReset,
    Profile,
    Registration,
    Role,
    RoleSource,
    Sanction,
    User,
    UserSession,
)
from forum.accounts.services import names
from forum.accounts.services.passwords import check_password
from forum.accounts.services.viewer import viewer_of
from forum.discussion.models import Comment, CommentRevision, Follow, HeldEdit, ThreadVisit
from forum.discussion.services import thanks
from forum.moderation.models import Appeal, Flag, MemberNote, OnCallModerator, RecordView, RuleHit
from forum.moderation.services import audit
from forum.notifications.models import Email, Notification, NotificationSettings
from forum.platform.database import db
from forum.platform.errors import Forbidden, ValidationFailed
from forum.platform.models import utcnow

FORMER_MEMBER = names.RESERVED[0]  # the name no one may take (accounts/services/names.py)
FORMER_NOTICE = "A former member wrote a comment here; its text is deleted."
ERASED_HASH = "!erased"  # no password matches it: the account can never be logged into again


def erase_own(user: User, password: str) -> None:
    """Erase ``user``'s own account once their password is confirmed.

    :raises ValidationFailed: when the password is wrong (nothing is changed).
    """
    if user.password_hash == ERASED_HASH or not check_password(user.password_hash, password):
        raise ValidationFailed(errors={"password": ["That password is not right."]})
    _erase(user, actor=user, reason=None)


def erase_on_request(actor: User, member: User, reason: str) -> None:
    """Erase ``member``'s account on their written request, by a moderator, with a reason.

    :raises Forbidden: when ``actor`` does not moderate or may not act on ``member`` (can_act_on).
    :raises ValidationFailed: without a reason.
    """
    permissions.ensure_can_act_on(viewer_of(actor), member.access, own=False)
    if member.id == actor.id:
        raise Forbidden("Erase your own account from your account page.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(errors={"reason": ["Say whose written request this is and when it came."]})
    _erase(member, actor=actor, reason=reason)


def _erase(user: User, *, actor: User, reason: str | None) -> None:
    now = utcnow()
    profile_id, user_id = user.profile_id, user.id
    comments = list(db.session.scalars(select(Comment).where(Comment.author_id == profile_id)))
    ids = [c.id for c in comments]
    for comment in comments:  # through the ORM: counts, thread versions and caches follow the flush
        comment.body = comment.body_html = ""
        comment.fingerprint = None
        comment.held_because = None
        comment.author_erased_at = now
    if ids:
        db.session.execute(delete(RuleHit).where(RuleHit.comment_id.in_(ids)))
        db.session.execute(delete(HeldEdit).where(HeldEdit.comment_id.in_(ids)))
        db.session.execute(
            update(CommentRevision)
            .where(CommentRevision.comment_id.in_(ids))
            .values(body="", body_html="", purged_at=now)
            .execution_options(synchronize_session=False)
        )
        # What others were told of these comments ("Zebedee replied to your comment", an excerpt) stays
        # theirs as a notice or an email record, but no longer names or quotes the former member.
        db.session.execute(
            update(Notification)
            .where(Notification.comment_id.in_(ids))
            .values(message=FORMER_NOTICE)
            .execution_options(synchronize_session=False)
        )
        db.session.execute(
            update(Email)
            .where(Email.comment_id.in_(ids))
            .values(subject=FORMER_NOTICE, body=None, context=None)
            .execution_options(synchronize_session=False)
        )
    db.session.execute(
        update(CommentRevision)
        .where(CommentRevision.editor_id == profile_id)
        .values(body="", body_html="", purged_at=now)
        .execution_options(synchronize_session=False)
    )
    for model in (
        UserSession,
        ApiToken,
        PasswordReset,
        Consent,
        Follow,
        ThreadVisit,
        Notification,
        NotificationSettings,
        Email,
        Sanction,
        MemberNote,
        Appeal,
        OnCallModerator,
    ):
        db.session.execute(delete(model).where(model.user_id == user_id))
    db.session.execute(delete(Flag).where(Flag.flagger_id == user_id))
    thanks.withdraw_all(user_id)  # the thanks they gave go too; the counts others see move down
    db.session.execute(delete(RecordView).where(RecordView.member_id == user_id))
    db.session.execute(delete(Registration).where(Registration.email == user.email))
    db.session.execute(
        update(Profile)
        .where(Profile.id == profile_id)
        .values(
            display_name=FORMER_MEMBER,
            name_skeleton=None,
            job_title=None,
            organisation=None,
            bio=None,
            role=Role.OTHER,
            role_source=RoleSource.DECLARED,
            verified_by_id=None,
            verified_at=None,
            verification_method=None,
            source_key=None,
        )
        .execution_options(synchronize_session=False)
    )
    user.email = f"erased-{user_id}@erased.invalid"
    user.password_hash = ERASED_HASH
    user.last_login_at = None
    db.session.flush()
    audit.record(
        actor,
        "account.erased",
        target_type="member",
        target_id=user_id,
        member_id=user_id,
        reason=reason,
        after={"comments": len(ids)},
    )
