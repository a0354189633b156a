"""The forum as gunicorn serves it, plus one bench-only route: the ceiling.

``/bench/ceiling/<path>`` returns, from memory, exactly the bytes the forum answers at ``/<path>``
(fetched once per worker). It runs through the same app, hooks and server, so the ratio
ours / ceiling is what our own work costs on top of Flask and gunicorn.
"""

from __future__ import annotations

from flask import Response, request

from forum import create_app

app = create_app()
_copies: dict[str, tuple[bytes, str]] = {}


@app.get("/bench/ceiling/<path:path>")
def ceiling(path: str) -> Response:
    """Return the stored copy of another page's bytes."""
    key = path + ("?" + request.query_string.decode() if request.query_string else "")
    if key not in _copies:
        with app.test_client() as client:
            answer = client.get("/" + key)
        _copies[key] = (answer.get_data(), answer.mimetype or "application/octet-stream")
    body, mimetype = _copies[key]
    return Response(body, mimetype=mimetype)
