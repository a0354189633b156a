"""Dump a member's notifications."""

from __future__ import annotations

from marshmallow import Schema, fields


class NotificationSchema(Schema):
    """An in-app notification."""

    id = fields.Integer()
    kind = fields.String()
    message = fields.String()
    comment_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()
    read_at = fields.DateTime(allow_none=True)
