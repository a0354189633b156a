"""Send email once the request's transaction commits: an in-memory outbox outside production, SMTP in it.

Services call :func:`send`; the message waits in the unit of work's transaction and goes out only if
the transaction commits (a rolled-back sign-up sends no link to a row that does not exist). Bodies are
never logged: they carry one-time links.

Backends (``MAIL_BACKEND``):

- ``outbox`` (default outside production): keep the last messages in memory; ``/dev/outbox`` shows
  them so a person running ``make run`` can follow the links, and tests read them with
  :func:`outbox`. Refused in production.
- ``smtp`` (the default whenever ``MAIL_SMTP_URL`` is set): ``smtp://user:pass@host:587`` (STARTTLS,
  required), ``smtps://user:pass@host:465`` (TLS from the start) or ``smtp+plain://localhost:25`` (a
  relay on the same machine, no TLS); the sender is ``MAIL_FROM``.
- ``log``: send nothing, log that a message was dropped (production without ``MAIL_SMTP_URL``).
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from typing import Any
from urllib.parse import unquote, urlsplit

from flask import Flask, current_app, url_for

from forum.platform.models import utcnow
from forum.platform.unit_of_work import Transaction, transaction, unit_of_work

log = logging.getLogger(__name__)
OUTBOX_SIZE = 200


@dataclass(frozen=True)
class Message:
    """One plain-text email."""

    to: str
    subject: str
    body: str
    created_at: datetime = field(default_factory=utcnow)


def link(endpoint: str, **values: Any) -> str:
    """Build an absolute URL for an email: from PUBLIC_URL when set, never from a Host header otherwise
    trusted blindly (production refuses to send mail without PUBLIC_URL)."""
    base = current_app.config.get("PUBLIC_URL")
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


class Outgoing(list[Message]):
    """The messages a transaction will send once it commits."""


def send(to: str, subject: str, template: str, **context: Any) -> Message:
    """Render ``templates/email/<template>.txt`` and queue it for delivery after the commit.

    Rendered straight from the template (not ``render_template``): an email is no page, so the
    pages' context processors, which read the request and the database, have no part in it.
    """
    env = current_app.jinja_env
    body = env.get_template(f"email/{template}.txt").render(
        link=link, to=to, config=current_app.config, **context
    )
    message = Message(to=to, subject=subject, body=body)
    transaction().part(Outgoing).append(message)
    return message


def outbox() -> list[Message]:
    """Return the messages the outbox backend kept, newest first."""
    return list(reversed(current_app.extensions["forum_outbox"]))


def _deliver(app: Flask, messages: list[Message]) -> None:
    backend = app.config["MAIL_BACKEND"]
    for message in messages:
        domain = message.to.rpartition("@")[2]
        if backend == "outbox":
            app.extensions["forum_outbox"].append(message)
            log.info("mail kept in the outbox", extra={"to_domain": domain, "subject": message.subject})
        elif backend == "smtp":
            try:
                _send_smtp(app.config, message)
            except (OSError, smtplib.SMTPException) as exc:
                log.error("mail not sent: %s", type(exc).__name__, extra={"to_domain": domain})
        else:
            log.error("mail not sent: no MAIL_SMTP_URL configured", extra={"to_domain": domain})


def _send_smtp(config: dict[str, Any], message: Message) -> None:
    url = urlsplit(config["MAIL_SMTP_URL"])
    email = EmailMessage()
    email["From"] = config["MAIL_FROM"]
    email["To"] = message.to
    email["Subject"] = message.subject
    email.set_content(message.body)
    timeout = float(config.get("MAIL_TIMEOUT", 10))
    context = ssl.create_default_context()
    host = url.hostname or "localhost"
    if url.scheme == "smtps":
        client: smtplib.SMTP = smtplib.SMTP_SSL(host, url.port or 465, timeout=timeout, context=context)
    else:
        client = smtplib.SMTP(host, url.port or 587, timeout=timeout)
    with client:
        if url.scheme == "smtp":
            client.starttls(context=context)
        if url.username:
            client.login(unquote(url.username), unquote(url.password or ""))
        client.send_message(email)


def _deliver_committed(state: Transaction) -> None:
    messages = list(state.part(Outgoing))
    if messages:
        _deliver(current_app._get_current_object(), messages)  # type: ignore[attr-defined]


def init_app(app: Flask) -> None:
    """Give ``app`` its outbox (used only by the outbox backend) and deliver after every commit."""
    app.extensions["forum_outbox"] = deque(maxlen=OUTBOX_SIZE)
    unit_of_work(app).on_commit(_deliver_committed)
