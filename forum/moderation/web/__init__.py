"""The moderators' pages, one blueprint (``/moderation``) in several modules, and what they share."""

from __future__ import annotations

from flask import Blueprint, request

from forum.platform.errors import DomainError
from forum.platform.ids import parse_id

bp = Blueprint("moderation", __name__, url_prefix="/moderation")


def problem(exc: DomainError) -> str:
    """Say a refusal in one line for a flash message: the message, then each field's complaint."""
    details = " ".join(" ".join(v) if isinstance(v, list) else str(v) for v in exc.errors.values())
    return f"{exc.message} {details}".strip()


def int_or_none(name: str) -> int | None:
    """An id from the query string, or None when absent or not an id."""
    return parse_id(request.args.get(name))
