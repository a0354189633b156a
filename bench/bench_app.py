"""The forum as gunicorn serves it, plus one bench-only route: the ceiling.

``/bench/ceiling/<path>`` returns, from memory, exactly what the forum answers an anonymous
reader at ``/<path>``: the same bytes, type and ETag (fetched once per worker), and a bodiless
304 when the request's If-None-Match carries that ETag. It runs through the same app, hooks and
server, so ours / ceiling is what our own work costs on top of Flask and gunicorn.
"""

from __future__ import annotations

from flask import Response, request

from forum import create_app

app = create_app()
_copies: dict[str, tuple[bytes, str, str | None]] = {}


@app.get("/bench/ceiling/<path:path>")
def ceiling(path: str) -> Response:
    """Return the stored copy of another page (or 304 when the client has it)."""
    key = path + ("?" + request.query_string.decode() if request.query_string else "")
    if key not in _copies:
        with app.test_client() as client:
            answer = client.get("/" + key)
        _copies[key] = (answer.get_data(), answer.mimetype or "application/octet-stream", answer.get_etag()[0])
    body, mimetype, etag = _copies[key]
    if etag and request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        response = Response(body, mimetype=mimetype)
    if etag:
        response.set_etag(etag)
    return response
