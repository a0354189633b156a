"""Give every page its formatting filters (dates, plurals) and Jinja's settings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask, current_app, g, has_request_context, request
from flask_login import current_user
from markupsafe import Markup

from forum.platform.http import messages


def format_date(value: datetime) -> str:
    """Format a date the British way: 21 November 2026."""
    return f"{value.day} {value:%B %Y}"


def reader_zone() -> ZoneInfo:
    """The reader's time zone: their setting, else the site's (``DEFAULT_TIME_ZONE``, Europe/London)."""
    # Kept on the request, not ``g``: an app context (and its ``g``) may outlive one request.
    if not has_request_context():  # an email or a job: the site's zone
        return ZoneInfo(current_app.config["DEFAULT_TIME_ZONE"])
    zone: ZoneInfo | None = getattr(request, "reader_zone", None)
    if zone is None:
        name = getattr(current_user, "time_zone", None) or current_app.config["DEFAULT_TIME_ZONE"]
        try:
            zone = ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            zone = ZoneInfo(current_app.config["DEFAULT_TIME_ZONE"])
        request.reader_zone = zone  # type: ignore[attr-defined]
    return zone


def reading_now() -> datetime:
    """The moment relative times count from: this request's (a cached page's, when it was built)."""
    if not has_request_context():
        return datetime.now(UTC)
    now: datetime | None = getattr(request, "reading_now", None)
    if now is None:
        now = request.reading_now = datetime.now(UTC)  # type: ignore[attr-defined]
    return now


def relative(value: datetime, now: datetime) -> str | None:
    """ "just now", "12 minutes ago", "3 hours ago", "2 days ago" within the last week, else None."""
    seconds = (now - value).total_seconds()
    if seconds < 0 or seconds >= 7 * 86400:
        return None
    if seconds < 60:
        return "just now"
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            return f"{plural(int(seconds // size), unit)} ago"
    return None  # pragma: no cover - the loop always answers


_MONTHS = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def format_moment(value: datetime) -> Markup:
    """A moment for the reader: ``<time>`` with its UTC ``datetime``, the date and time in their zone
    ("2 December 2026 at 14:05"), said relatively within the last week ("3 hours ago", the full
    moment then as its title). Built by hand (digits and month names need no escaping): a thread page
    shows a thousand of them."""
    local = value.astimezone(reader_zone())
    full = f"{local.day} {_MONTHS[local.month]} {local.year} at {local.hour:02d}:{local.minute:02d}"
    stamp = value.astimezone(UTC).isoformat()
    near = relative(value, reading_now())
    if near is None:
        return Markup(f'<time datetime="{stamp}">{full}</time>')  # noqa: S704  # nosec B704 - digits, month names
    return Markup(f'<time datetime="{stamp}" title="{full}" data-relative>{near}</time>')  # noqa: S704  # nosec B704


def format_duration(value: timedelta) -> str:
    """Say how long, to the minute: "under a minute", "12 minutes", "3 hours 5 minutes", "2 days 4 hours"."""
    minutes = max(0, int(value.total_seconds() // 60))
    if minutes < 1:
        return "under a minute"
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return plural(days, "day") + (f" {plural(hours, 'hour')}" if hours else "")
    if hours:
        return plural(hours, "hour") + (f" {plural(minutes, 'minute')}" if minutes else "")
    return plural(minutes, "minute")


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """Return "1 comment" / "2 comments"."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"


def database_failed() -> None:
    """Note that this request's database work failed: pages rendered now must not query again."""
    g.database_failed = True


def page_context(read: Callable[[], dict[str, Any]]) -> Callable[[], dict[str, Any]]:
    """Make a context processor that reads what every page shows (counts in the header), before the
    template renders, except on the error page of a database failure."""

    def processor() -> dict[str, Any]:
        if g.get("database_failed"):
            return {}
        if not has_request_context():
            return read()
        # Once per request: a page may render pieces of itself apart (a thread's frame, overlay.py).
        done: dict[Callable[[], dict[str, Any]], dict[str, Any]]
        done = request.__dict__.setdefault("page_context", {})
        found = done.get(read)
        if found is None:
            found = done[read] = read()
        return found

    return processor


def init_app(app: Flask) -> None:
    """Register the filters and globals, and trim template whitespace."""
    app.add_template_filter(format_date, "date")
    app.add_template_filter(format_duration, "duration")
    app.add_template_filter(format_moment, "moment")
    app.add_template_global(plural, "plural")
    messages.init_app(app)  # flashes shown beside what they concern
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
