"""Show the development outbox, so someone running ``make run`` can follow the links emails carry.

Registered only when mail goes to the outbox, which production refuses (forum/platform/config.py),
and answered only to requests from this machine. With ``MAIL_OUTBOX_DIR`` (``make run``) it shows what
every process sent (the web server, ``flask notifications digest``, a worker); otherwise this process's.
"""

from __future__ import annotations

import ipaddress
import re

from flask import Blueprint, Flask, abort, current_app, render_template, request

from forum.platform import mail

bp = Blueprint("dev", __name__, url_prefix="/dev")
LINK = re.compile(r"https?://\S+")


@bp.get("/outbox")
def outbox() -> str:
    """List the emails the forum would have sent, newest first, with their links.

    :raises NotFound: to anyone not on this machine.
    """
    try:
        local = ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        local = False
    if not local:
        abort(404)
    kept = mail.outbox_files() if current_app.config.get("MAIL_OUTBOX_DIR") else mail.outbox()
    messages = [(message, list(dict.fromkeys(LINK.findall(message.body)))) for message in kept]
    return render_template("dev/outbox.html", messages=messages)


def init_app(app: Flask) -> None:
    """Mount /dev/outbox when mail goes to the in-memory outbox (never in production)."""
    if app.config["MAIL_BACKEND"] == "outbox":
        app.register_blueprint(bp)
