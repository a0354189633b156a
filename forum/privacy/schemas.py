"""What erasing an account asks for: the password (your own), or a reason (a moderator's, on request)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

PASSWORD_MAX = 1000
REASON_MAX = 1000


class ErasureSchema(Schema):
    """Your password, to prove it is you asking."""

    password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=PASSWORD_MAX))


class ErasureRequestSchema(Schema):
    """Whose written request this is and when it came (kept in the audit log, with no personal data)."""

    reason = fields.String(required=True, validate=validate.Length(min=1, max=REASON_MAX))
