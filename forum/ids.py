"""Bound record ids to what the database stores, in URLs and in request fields.

Ids are 32-bit integers in PostgreSQL (``SERIAL``) and 64-bit in SQLite; a larger number in
a URL or a field can name nothing, and handing it to the database driver fails (SQLite's
``OverflowError``, PostgreSQL's "out of range") as a 500. Refusing it at the edge makes it
an ordinary 404 (URL) or 422 (field), and the OpenAPI document states the range.
"""

from __future__ import annotations

from typing import Any

from marshmallow import fields, validate
from werkzeug.routing import IntegerConverter, Map

MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """``<int:...>`` in routes: 0 to ``MAX_ID``; anything larger matches no route (404)."""

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = MAX_ID,
        signed: bool = False,
    ) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def Id(**kwargs: Any) -> fields.Integer:
    """A field holding a record id: a whole number from 1 to ``MAX_ID``."""
    return fields.Integer(
        strict=kwargs.pop("strict", False), validate=validate.Range(min=1, max=MAX_ID), **kwargs
    )
