"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives, and can refuse or go down."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from email.policy import default as default_policy
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Mailbox:
    """What the server received, and how it should answer the next messages."""

    received: list[Message] = field(default_factory=list)
    raw: list[bytes] = field(default_factory=list)  # the bytes as they arrived
    refuse: dict[str, str] = field(default_factory=dict)  # address -> "550 ..." or "451 ..."
    delay: float = 0.0  # seconds to wait before accepting each message (a slow server)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        answer = self.refuse.get(address.lower())
        if answer:
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay:
            time.sleep(self.delay)
        with self.lock:
            self.received.append(message_from_bytes(envelope.content, policy=default_policy))
            self.raw.append(envelope.content)
        return "250 Message accepted"

    def to(self, address: str) -> list[Message]:
        with self.lock:
            return [m for m in self.received if m["To"] == address]


class SMTPServer:
    """aiosmtpd on a fixed free port, which can be stopped and started again (the server "down")."""

    def __init__(self) -> None:
        self.port = free_port()
        self.mailbox = Mailbox()
        self.controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp+plain://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
