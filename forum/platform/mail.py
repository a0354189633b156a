"""Send email: build the messages (plain text and HTML, stable Message-ID, unsubscribe headers) and hand
them to the outbox or an SMTP server, telling temporary failures from permanent ones.

Account emails (sign-up, password) call :func:`send`. With the job queue (``JOB_RUNNER=worker``) the
message is stored in the request's transaction by the store a feature installed
(:func:`use_durable_store`: the notifications' ``emails`` table) and a worker delivers it; otherwise it
waits in the unit of work's transaction and goes out in-process once the transaction commits (a
rolled-back sign-up sends no link to a row that does not exist). Member notifications are built and
delivered by forum/notifications through :func:`deliver`. Bodies are never logged: they carry
one-time links.

Backends (``MAIL_BACKEND``):

- ``outbox`` (default outside production): keep the last messages in memory (tests read them with
  :func:`outbox`) and, with ``MAIL_OUTBOX_DIR`` (``make run``'s default), as ``.eml`` files, so
  ``/dev/outbox`` shows what any process sent (a command's digests, a worker). Refused in production.
- ``smtp`` (the default whenever ``MAIL_SMTP_URL`` is set): ``smtp://user:pass@host:587`` (STARTTLS,
  required), ``smtps://user:pass@host:465`` (TLS from the start) or ``smtp+plain://localhost:25`` (a
  relay on the same machine, no TLS); the sender is ``MAIL_FROM``.
- ``log``: send nothing, log that a message was dropped (production without ``MAIL_SMTP_URL``).
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default as default_policy
from email.utils import format_datetime, make_msgid, parsedate_to_datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from flask import Flask, current_app, has_request_context, url_for

from forum.platform.models import utcnow
from forum.platform.unit_of_work import Transaction, transaction, unit_of_work

log = logging.getLogger(__name__)
OUTBOX_SIZE = 200
_STORE = "forum.mail_store"
# Lines up to SMTP's limit: a long List-Unsubscribe URL must stay a plain <https://...> (RFC 8058),
# which the 78-column default would fold into an encoded word that mail programs cannot use.
HEADERS_UNFOLDED = default_policy.clone(max_line_length=998)


@dataclass(frozen=True)
class Message:
    """One email: a plain-text body, optionally an HTML alternative, and extra headers."""

    to: str
    subject: str
    body: str
    created_at: datetime = field(default_factory=utcnow)
    html: str | None = None
    message_id: str | None = None  # "<...@...>": the same for every attempt at the same email
    headers: tuple[tuple[str, str], ...] = ()  # List-Unsubscribe and the like

    def header(self, name: str) -> str | None:
        """The value of an extra header, if the message has it."""
        return next((value for key, value in self.headers if key.lower() == name.lower()), None)


class MailFailure(Exception):
    """The message was not accepted."""


class TemporaryFailure(MailFailure):
    """Try again later: the server is down or busy, or said 4xx."""


class PermanentFailure(MailFailure):
    """Do not try again: the server refused this recipient or message for good (5xx)."""


class NotConfigured(MailFailure):
    """No mail server is configured (MAIL_BACKEND=log): the message is dropped."""


def link(endpoint: str, **values: Any) -> str:
    """Build an absolute URL for an email: from PUBLIC_URL when set, never from a Host header otherwise
    trusted blindly (production refuses to send mail without PUBLIC_URL).

    Outside a request (the worker, a command) the path comes from the URL map and the address from
    PUBLIC_URL, or ``make run``'s address when it is unset (development only).
    """
    config = current_app.config
    base = config.get("PUBLIC_URL")
    if has_request_context():
        if base:
            return base.rstrip("/") + url_for(endpoint, **values)
        return url_for(endpoint, _external=True, **values)
    anchor = values.pop("_anchor", None)
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    if not base:
        server = config.get("SERVER_NAME")
        base = (
            f"{config.get('PREFERRED_URL_SCHEME', 'http')}://{server}" if server else "http://127.0.0.1:5000"
        )
    return base.rstrip("/") + path + (f"#{anchor}" if anchor else "")


def render(template: str, **context: Any) -> str:
    """Render ``templates/email/<template>`` (``.txt`` or ``.html``) with ``link`` and the config.

    Rendered straight from the template (not ``render_template``): an email is no page, so the
    pages' context processors, which read the request and the database, have no part in it.
    """
    return current_app.jinja_env.get_template(f"email/{template}").render(
        link=link, config=current_app.config, **context
    )


class Outgoing(list[Message]):
    """The messages a transaction will send once it commits."""


def use_durable_store(app: Flask, store: Callable[[Message], None]) -> None:
    """Install where account emails are kept, in the request's transaction, when a worker delivers mail."""
    app.extensions[_STORE] = store


def send(to: str, subject: str, template: str, **context: Any) -> Message:
    """Render ``templates/email/<template>.txt`` and have it delivered once the transaction commits."""
    message = Message(to=to, subject=subject, body=render(f"{template}.txt", to=to, **context))
    store = current_app.extensions.get(_STORE)
    if store is not None and current_app.config["JOB_RUNNER"] == "worker":
        store(message)
    else:
        transaction().part(Outgoing).append(message)
    return message


def outbox() -> list[Message]:
    """Return the messages the outbox backend kept in this process, newest first."""
    return list(reversed(current_app.extensions["forum_outbox"]))


def outbox_files(limit: int = OUTBOX_SIZE) -> list[Message]:
    """Return the newest messages the outbox wrote to ``MAIL_OUTBOX_DIR`` (any process's), newest first."""
    folder = current_app.config.get("MAIL_OUTBOX_DIR")
    if not folder or not Path(folder).is_dir():
        return []
    found = sorted(Path(folder).glob("*.eml"), reverse=True)[:limit]
    return [_read_eml(path) for path in found]


def domain() -> str:
    """The domain of Message-IDs: the site's own (PUBLIC_URL), else the sender's."""
    public = current_app.config.get("PUBLIC_URL")
    if public and urlsplit(public).hostname:
        return str(urlsplit(public).hostname)
    return str(current_app.config["MAIL_FROM"]).rpartition("@")[2] or "localhost"


def compose(config: dict[str, Any], message: Message) -> EmailMessage:
    """The MIME message: From, To (the recipient alone), Subject, Date, Message-ID, the extra headers,
    a plain-text part and, when there is one, the HTML alternative."""
    email = EmailMessage(policy=HEADERS_UNFOLDED)
    email["From"] = config["MAIL_FROM"]
    email["To"] = message.to
    email["Subject"] = message.subject
    email["Date"] = format_datetime(message.created_at)
    email["Message-ID"] = message.message_id or make_msgid(domain=config["MAIL_FROM"].rpartition("@")[2])
    for name, value in message.headers:
        email[name] = value
    email.set_content(message.body)
    if message.html:
        email.add_alternative(message.html, subtype="html")
    return email


def deliver(app: Flask, message: Message) -> None:
    """Hand one message to the configured backend now.

    :raises TemporaryFailure: the server is unreachable, busy or said 4xx: try again later.
    :raises PermanentFailure: the server refused the recipient or the message with a 5xx.
    :raises NotConfigured: MAIL_BACKEND=log: nothing can be sent.
    """
    backend = app.config["MAIL_BACKEND"]
    domain_of_recipient = message.to.rpartition("@")[2]
    if backend == "outbox":
        app.extensions["forum_outbox"].append(message)
        _write_eml(app, message)
        log.info(
            "mail kept in the outbox", extra={"to_domain": domain_of_recipient, "subject": message.subject}
        )
    elif backend == "smtp":
        _send_smtp(app.config, message)
    else:
        log.error("mail not sent: no MAIL_SMTP_URL configured", extra={"to_domain": domain_of_recipient})
        raise NotConfigured("no mail server is configured (MAIL_SMTP_URL)")


def send_now(message: Message) -> None:
    """Hand one message to the current app's backend now (see :func:`deliver` for what it raises)."""
    deliver(current_app._get_current_object(), message)  # type: ignore[attr-defined]


def _write_eml(app: Flask, message: Message) -> None:
    folder = app.config.get("MAIL_OUTBOX_DIR")
    if not folder:
        return
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    name = f"{message.created_at:%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml"
    (path / name).write_bytes(compose(app.config, message).as_bytes())


def _read_eml(path: Path) -> Message:
    parsed = BytesParser(policy=default_policy).parsebytes(path.read_bytes())
    text = parsed.get_body(preferencelist=("plain",))
    html = parsed.get_body(preferencelist=("html",))
    extra = tuple((k, str(v)) for k, v in parsed.items() if k.lower().startswith("list-"))
    return Message(
        to=str(parsed["To"]),
        subject=str(parsed["Subject"]),
        body=text.get_content() if text is not None else "",
        created_at=parsedate_to_datetime(str(parsed["Date"])),
        html=html.get_content() if html is not None else None,
        message_id=str(parsed["Message-ID"]),
        headers=extra,
    )


@cache
def _tls_context() -> ssl.SSLContext:
    """The TLS settings for the mail server, made once: loading the system's CA certificates took
    38 ms, more than the rest of a delivery (bench/notifications.py)."""
    return ssl.create_default_context()


def _send_smtp(config: dict[str, Any], message: Message) -> None:
    url = urlsplit(config["MAIL_SMTP_URL"])
    email = compose(config, message)
    timeout = float(config.get("MAIL_TIMEOUT", 10))
    context = _tls_context() if url.scheme in ("smtp", "smtps") else None
    host = url.hostname or "localhost"
    # Say who we are in EHLO ourselves: smtplib would otherwise ask DNS (getfqdn) on every connection.
    me = str(config.get("MAIL_HELO_NAME") or config["MAIL_FROM"].rpartition("@")[2] or "localhost")
    try:
        if url.scheme == "smtps":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                host, url.port or 465, timeout=timeout, context=context, local_hostname=me
            )
        else:
            client = smtplib.SMTP(host, url.port or 587, timeout=timeout, local_hostname=me)
        with client:
            if url.scheme == "smtp" and context is not None:
                client.starttls(context=context)
            if url.username:
                client.login(unquote(url.username), unquote(url.password or ""))
            client.send_message(email)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        if codes and all(500 <= code < 600 for code in codes):
            raise PermanentFailure(f"recipient refused: {codes[0]}") from exc
        raise TemporaryFailure(f"recipient deferred: {codes[0] if codes else '?'}") from exc
    except smtplib.SMTPDataError as exc:
        if 500 <= exc.smtp_code < 600:
            raise PermanentFailure(f"message refused: {exc.smtp_code}") from exc
        raise TemporaryFailure(f"message deferred: {exc.smtp_code}") from exc
    except smtplib.SMTPResponseException as exc:  # sender, HELO, login: our side, so try again later
        raise TemporaryFailure(f"{type(exc).__name__}: {exc.smtp_code}") from exc
    except (OSError, smtplib.SMTPException) as exc:  # refused, timed out, disconnected
        raise TemporaryFailure(type(exc).__name__) from exc


def _deliver_committed(state: Transaction) -> None:
    messages = list(state.part(Outgoing))
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    for message in messages:
        try:
            deliver(app, message)
        except MailFailure as exc:
            log.error("mail not sent: %s", exc, extra={"to_domain": message.to.rpartition("@")[2]})


def init_app(app: Flask) -> None:
    """Give ``app`` its outbox (used only by the outbox backend) and deliver after every commit."""
    app.extensions["forum_outbox"] = deque(maxlen=OUTBOX_SIZE)
    unit_of_work(app).on_commit(_deliver_committed)
