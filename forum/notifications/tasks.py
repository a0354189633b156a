"""The notifications' jobs: turn a notice into an email, deliver an email (by the worker, or in-process)."""

from __future__ import annotations

from forum.notifications.services import delivery, emails
from forum.platform import jobs


def notice(notice: int) -> None:
    """Email an in-app notice to its member, if they want that kind of email."""
    emails.for_notice(notice)


def deliver(email: int) -> None:
    """Deliver one recorded email.

    :raises Retry: after a temporary failure (the attempt is recorded; the worker tries again later).
    """
    if delivery.deliver(email) == delivery.Outcome.RETRY:
        raise jobs.Retry(f"email {email}: temporary failure")
