"""Write a member's email when its turn comes: plain text and HTML, why it was sent, how to stop it.

An email is written from what it refers to as it is now: a reply or a followed thread's comment
only while it is published (otherwise nothing is sent), a digest from those of its comments still
published. Nobody's address but the recipient's appears; links start with PUBLIC_URL. Every
member email carries a one-click unsubscribe link for its kind, in the body and in the
``List-Unsubscribe`` / ``List-Unsubscribe-Post`` headers (RFC 8058).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from forum.accounts.models import User
from forum.notifications.models import Email, FollowedMode, Notification
from forum.notifications.services import comments, unsubscribe
from forum.notifications.services.preferences import category_of
from forum.platform import mail
from forum.platform.database import db

EXCERPT = 600  # characters of a comment quoted in an email
DIGEST_EXCERPT = 280


@dataclass(frozen=True)
class Written:
    """An email's subject and body before it is addressed."""

    subject: str
    template: str
    context: dict[str, Any]


def message_id(email: Email) -> str:
    """The email's Message-ID: the same for every attempt at it, different from every other email."""
    return f"<email-{email.id}.{email.kind}@{mail.domain()}>"


def shorten(text: str, limit: int) -> str:
    """Cut a comment's text at a word boundary, saying that there is more."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",.;:")
    return cut + " …"


def account_message(email: Email) -> mail.Message:
    """An account email (sign-up, password) exactly as it was written in the request."""
    return mail.Message(
        to=email.to_address or "",
        subject=email.subject or "",
        body=email.body or "",
        created_at=email.created_at,
        message_id=message_id(email),
    )


def member_message(email: Email, user: User) -> mail.Message | None:
    """The email to ``user`` that ``email`` stands for, or None when there is nothing to tell any more."""
    written = _write(email, user)
    if written is None:
        return None
    category = category_of(email.kind)
    context: dict[str, Any] = {"user": user, "subject": written.subject, **written.context}
    headers: tuple[tuple[str, str], ...] = (("Auto-Submitted", "auto-generated"),)
    if category is not None:
        followed = FollowedMode.DIGEST if email.kind == "thread.digest" else FollowedMode.IMMEDIATE
        token = unsubscribe.token(unsubscribe.Subscription(user.id, category, followed))
        context["unsubscribe_url"] = mail.link("unsubscribe.page", token=token)
        context["stop_what"] = category.label
        one_click = mail.link("notifications_api.one_click_unsubscribe", token=token)
        headers += (
            ("List-Unsubscribe", f"<{one_click}>"),
            ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
        )
    context["settings_url"] = mail.link("notification_settings.page")
    return mail.Message(
        to=user.email,
        subject=written.subject,
        body=mail.render(f"notify/{written.template}.txt", **context),
        html=mail.render(f"notify/{written.template}.html", **context),
        created_at=email.created_at,
        message_id=message_id(email),
        headers=headers,
    )


def _write(email: Email, user: User) -> Written | None:
    if email.kind == "comment.reply":
        return _reply(email, user)
    if email.kind == "thread.comment":
        return _thread_comment(email, user)
    if email.kind == "thread.digest":
        return _digest(email, user)
    if email.kind == "moderation.waiting":
        why = "you moderate this forum and asked for alerts about waiting comments"
        return Written(
            "Comments are waiting for moderation", "moderation_waiting", {**(email.context or {}), "why": why}
        )
    if email.kind == "moderation.safeguarding":
        why = "you are on call for safeguarding (ask an admin to change the rota to stop these)"
        context = {**(email.context or {}), "why": why}
        return Written("Urgent: a safeguarding concern needs a moderator", "safeguarding", context)
    if email.notification_id is not None:
        return _decision(email, user)
    return None


def _notice(email: Email) -> Notification | None:
    return db.session.get(Notification, email.notification_id) if email.notification_id else None


def _reply(email: Email, user: User) -> Written | None:
    found = comments.current().published([email.comment_id] if email.comment_id else [])
    reply = found.get(email.comment_id or 0)
    if reply is None or reply.author_user_id == user.id:
        return None  # held, taken down or deleted since; or their own
    return Written(
        f"{reply.author_name} replied to your comment",
        "reply",
        {"comment": reply, "text": shorten(reply.text, EXCERPT), "why": "someone replied to your comment"},
    )


def _thread_comment(email: Email, user: User) -> Written | None:
    found = comments.current().published([email.comment_id] if email.comment_id else [])
    comment = found.get(email.comment_id or 0)
    if comment is None or comment.author_user_id == user.id:
        return None
    return Written(
        f"New comment on “{comment.article_title}”",
        "thread_comment",
        {"comment": comment, "text": shorten(comment.text, EXCERPT), "why": "you follow this thread"},
    )


def _digest(email: Email, user: User) -> Written | None:
    ids = [int(i) for i in (email.context or {}).get("comment_ids", [])]
    found = comments.current().published(ids)
    items = [found[i] for i in ids if i in found and found[i].author_user_id != user.id]
    if not items:
        return None
    threads: dict[int, list[Any]] = {}
    for item in items:
        threads.setdefault(item.article_id, []).append(
            {"comment": item, "text": shorten(item.text, DIGEST_EXCERPT)}
        )
    count = len(items)
    return Written(
        f"{count} new comment{'' if count == 1 else 's'} in threads you follow",
        "digest",
        {
            "threads": list(threads.values()),
            "count": count,
            "why": "you asked for a daily digest of threads you follow",
        },
    )


def _decision(email: Email, user: User) -> Written | None:
    notice = _notice(email)
    if notice is None:
        return None
    about = comments.current().about(notice.comment_id) if notice.comment_id else None
    if about is not None and about.decided_by_user_id == user.id:
        return None  # nobody is emailed about their own actions
    subject = f"About your comment on “{about.article_title}”" if about else "About your comment"
    return Written(
        subject,
        "notice",
        {"notice": notice, "about": about, "why": "a moderator decided on your comment"},
    )
