"""Read HTML form posts through the same marshmallow schemas the API uses."""

from __future__ import annotations

from typing import Any

from flask import request
from marshmallow import EXCLUDE, Schema
from marshmallow import ValidationError as SchemaError

from forum.platform.errors import ValidationFailed


def load_form(schema: Schema) -> dict[str, Any]:
    """Validate the posted form; blank optional fields count as absent.

    :raises ValidationFailed: with the schema's field messages.
    """
    data = {k: v for k, v in request.form.items() if k != "csrf_token"}
    try:
        return dict(schema.load(data, unknown=EXCLUDE))
    except SchemaError as exc:
        messages = exc.messages if isinstance(exc.messages, dict) else {"_form": exc.messages}
        raise ValidationFailed(errors=messages) from exc
