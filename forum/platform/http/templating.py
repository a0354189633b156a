"""Give every page its formatting filters (dates, plurals) and Jinja's settings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, g

from forum.platform.http import messages


def format_date(value: datetime) -> str:
    """Format a date the British way: 21 November 2026."""
    return f"{value.day} {value:%B %Y}"


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
        return {} if g.get("database_failed") else read()

    return processor


def init_app(app: Flask) -> None:
    """Register the filters and globals, and trim template whitespace."""
    app.add_template_filter(format_date, "date")
    app.add_template_filter(format_duration, "duration")
    app.add_template_global(plural, "plural")
    messages.init_app(app)  # flashes shown beside what they concern
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
