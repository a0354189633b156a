"""Read the development outbox in tests: the messages sent to an address and the links they carry."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from forum.platform import jobs, mail
from forum.platform.mail import Message

LINK = re.compile(r"https?://\S+")


def messages_to(address: str) -> list[Message]:
    """Every message kept for ``address``, newest first (after running the jobs waiting to be run:
    some emails, such as reset links, are written by a job)."""
    jobs.run_pending()
    return [m for m in mail.outbox() if m.to == address.strip().lower()]


def latest_link(address: str, path: str = "/") -> str:
    """The newest link (as a path with its query) sent to ``address`` whose path starts with ``path``.

    :raises AssertionError: when no such link was sent.
    """
    for message in messages_to(address):
        for url in LINK.findall(message.body):
            parts = urlsplit(url)
            if parts.path.startswith(path):
                return parts.path + (f"?{parts.query}" if parts.query else "")
    raise AssertionError(f"no link to {path} was sent to {address}")
