"""Give pages what moderation adds to them: the queue's size in a moderator's header, report reasons,
the safeguarding outcomes and signal names."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_login import current_user

from forum.moderation.models import FlagReason, SafeguardingOutcome
from forum.moderation.services import review_queue, safeguarding
from forum.platform.http.templating import page_context


def _waiting() -> dict[str, Any]:
    """How much waits in the queue, for a moderator's header (one query; nothing for others)."""
    moderating = current_user.is_authenticated and current_user.is_moderator
    return {"queue_waiting": review_queue.queue_size() if moderating else 0}


def init_app(app: Flask) -> None:
    """Put the queue's size and the report reasons in every page's context."""
    app.jinja_env.globals["flag_reasons"] = list(FlagReason)
    app.jinja_env.globals["safeguarding_outcomes"] = list(SafeguardingOutcome)
    app.jinja_env.globals["support_template"] = safeguarding.SUPPORT_TEMPLATE
    app.jinja_env.globals["signal_label"] = safeguarding.label
    app.context_processor(page_context(_waiting))
