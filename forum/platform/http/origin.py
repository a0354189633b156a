"""Requests carry the public site's scheme (PUBLIC_URL), and only hosts the site answers for get in.

With PUBLIC_URL set, the host of every URL the app builds is SERVER_NAME (forum/platform/config.py);
this middleware makes the scheme the public one too, so a TLS-terminating proxy that does not send
X-Forwarded-Proto still gets ``https://`` links, secure cookies and HSTS right.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from werkzeug.exceptions import SecurityError
from werkzeug.wsgi import get_host

from forum.platform.http.security import HEADERS


class PublicScheme:
    """WSGI middleware setting ``wsgi.url_scheme`` to the public site's scheme."""

    def __init__(self, app: Any, scheme: str) -> None:
        self.app = app
        self.scheme = scheme

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        environ["wsgi.url_scheme"] = self.scheme
        return self.app(environ, start_response)


class TrustedHosts:
    """WSGI middleware answering 400 to a request whose Host is not in TRUSTED_HOSTS, before the app
    (Flask's own check fails deeper, where an error page can no longer build its links)."""

    def __init__(self, app: Any, hosts: list[str]) -> None:
        self.app = app
        self.hosts = hosts

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        try:
            get_host(environ, self.hosts)
        except SecurityError:
            return self._refuse(environ, start_response)
        return self.app(environ, start_response)

    @staticmethod
    def _refuse(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        message = "This server does not answer for that host name."
        if str(environ.get("PATH_INFO", "")).startswith("/api/"):
            body = json.dumps({"code": 400, "status": "Bad Request", "message": message, "errors": {}})
            kind = "application/json"
        else:
            body = f"<!doctype html><title>Bad request</title><p>{message}</p>"
            kind = "text/html; charset=utf-8"
        data = body.encode()
        headers = [
            ("Content-Type", kind),
            ("Content-Length", str(len(data))),
            ("Cache-Control", "no-store"),
            *HEADERS.items(),
        ]
        start_response("400 Bad Request", headers)
        return [data]
