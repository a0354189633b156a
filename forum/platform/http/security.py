"""Harden every response and every request: security headers, a body size limit, no control characters."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from flask import Flask, current_app, has_request_context, request
from flask_wtf.csrf import CSRFProtect
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from forum.platform.http.errors import render_error
from forum.platform.validation import control_character_message, forbidden_character

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# No request body the API takes nests deeper than 3; 20 leaves room and stays far from any recursion limit.
MAX_JSON_DEPTH = 20
csrf = CSRFProtect()  # every state-changing form; API calls on a session are checked by the login wiring

# No inline script or style anywhere: every asset is a file served from this origin.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "interest-cohort",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


_FRAMING = "forum.frame_ancestors"


def allow_framing_by(origins: tuple[str, ...]) -> None:
    """Let these origins (and only these) frame the current response; none: framing stays refused."""
    request.environ[_FRAMING] = origins  # the request's own, not g (an app context may outlive it)


def _framed_headers(origins: tuple[str, ...]) -> dict[str, str]:
    ancestors = " ".join(origins) or "'none'"
    policy = CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'", f"frame-ancestors {ancestors}")
    headers = {**HEADERS, "Content-Security-Policy": policy, "Cross-Origin-Resource-Policy": "cross-origin"}
    if origins:
        del headers["X-Frame-Options"]  # it cannot name origins; frame-ancestors does, and wins
    return headers


def add_security_headers(response: Response) -> Response:
    """Add the headers to every response (pages, JSON, errors, static files); a view may tighten them."""
    present = {name.lower() for name in response.headers.keys()}  # noqa: SIM118 (Headers iterates pairs)
    origins = request.environ.get(_FRAMING) if has_request_context() else None
    headers = HEADERS if origins is None else _framed_headers(origins)
    response.headers.extend([(name, value) for name, value in headers.items() if name.lower() not in present])
    max_age = current_app.config.get("HSTS_SECONDS") or 0
    if max_age:
        response.headers.setdefault("Strict-Transport-Security", f"max-age={max_age}; includeSubDomains")
    return response


def refuse_oversized_bodies() -> Any:
    """Answer 413 before anything reads a body larger than MAX_CONTENT_LENGTH."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit and request.content_length is not None and request.content_length > limit:
        raise RequestEntityTooLarge()
    return None


def _too_large(_: RequestEntityTooLarge) -> Any:
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    response, status = render_error(
        413,
        f"That is too much to send at once: the limit is {limit // 1024} KiB. "
        "A comment can be up to 10,000 characters.",
    )
    return response, status


def _nesting(value: Any) -> int:
    """How deep arrays and objects nest in a parsed JSON document (without recursion)."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in item)
    return deepest


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def refuse_hostile_json() -> Any:
    """Answer 400 to a JSON body no person could have meant, before a view or a guard parses it:
    arrays or objects nested 1,000 deep made Python's json recurse into a 500, a 5,000-digit integer
    passed its digit limit into another. Parsed here once with those errors caught (and NaN or
    Infinity refused), then no more than MAX_JSON_DEPTH levels of nesting, so what later reads the
    body (the control-character guard, marshmallow) never meets more."""
    if request.method not in UNSAFE_METHODS or not request.is_json:
        return None
    data = request.get_data(cache=True)
    if not data:
        return None
    try:
        document = json.loads(data, parse_constant=_no_constants)
    except RecursionError:
        return _too_deep()
    except ValueError as exc:  # JSONDecodeError, an integer past the digit limit, a bad constant
        if "digits" in str(exc):
            return render_error(
                400, "A number in the request body is too long; no field takes one that long."
            )
        detail = str(exc).split(":", 1)[0][:120]
        return render_error(400, f"The request body is not valid JSON ({detail}).")
    if _nesting(document) > MAX_JSON_DEPTH:
        return _too_deep()
    return None


def _too_deep() -> Any:
    return render_error(400, f"The JSON nests more than {MAX_JSON_DEPTH} levels deep; no request needs that.")


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """Yield (field path, text) for every string in a JSON document, keys included."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else str(key)
            yield child, str(key)
            yield from _strings(item, child)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}.{index}" if path else str(index))


def submitted_strings() -> Iterator[tuple[str, str]]:
    """Every field of the request body: form fields (names and values) and JSON strings."""
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for name, values in request.form.lists():
            yield name, name
            for value in values:
                yield name, value
    elif request.is_json:
        yield from _strings(request.get_json(silent=True), "")


def refuse_control_characters() -> Any:
    """Answer 422 naming the field when any submitted text holds a control character.

    Tab, line feed and carriage return are allowed (multi-line text); the field rules in
    ``forum/validation.py`` then fold them where a field is one line.
    """
    if request.method not in UNSAFE_METHODS:
        return None
    errors: dict[str, list[str]] = {}
    for name, value in submitted_strings():
        bad = forbidden_character(value)
        if bad and name not in errors:
            errors[name or "body"] = [control_character_message(bad)]
    if errors:
        return render_error(422, "Some text contains invisible control characters.", errors)
    return None


def init_app(app: Flask) -> None:
    """Install the guards (first, before anything reads the body) and the response headers."""
    app.before_request(refuse_oversized_bodies)
    app.before_request(refuse_hostile_json)
    app.before_request(refuse_control_characters)
    app.after_request(add_security_headers)
    app.register_error_handler(RequestEntityTooLarge, _too_large)
    csrf.init_app(app)
