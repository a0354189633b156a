"""Define the domain errors services raise: plain exceptions carrying a status, a message and field errors.

They know nothing of HTTP rendering (``forum/platform/http/errors.py`` turns them into a JSON body
or a page). Making one marks the transaction refused, so the request boundary rolls back what the
service flushed before raising, even when the view catches it and answers something friendly.
"""

from __future__ import annotations

from typing import Any

from forum.platform.unit_of_work import refuse


class DomainError(Exception):
    """Base of errors raised by services; carries an HTTP status and field errors."""

    status = 400
    default_message = "The request could not be completed."

    def __init__(
        self,
        message: str | None = None,
        errors: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message or self.default_message)
        self.message = message or self.default_message
        self.errors = errors or {}
        self.headers = headers or {}  # sent with the answer, e.g. Retry-After with a 429
        refuse()


class NotFound(DomainError):
    """The thing asked for does not exist, or the viewer may not know it exists."""

    status = 404
    default_message = "Not found."


class Forbidden(DomainError):
    """The viewer is known but may not do this."""

    status = 403
    default_message = "You are not allowed to do that."


class Conflict(DomainError):
    """The request clashes with the current state (already decided, already exists)."""

    status = 409
    default_message = "That conflicts with the current state."


class TooFast(DomainError):
    """The caller did this too often lately; ``headers`` says when to try again (Retry-After)."""

    status = 429
    default_message = "That was too many at once. Please wait a little and try again."


class ValidationFailed(DomainError):
    """The input is well-formed but breaks a rule; ``errors`` maps fields to messages."""

    status = 422
    default_message = "Some fields need attention."
