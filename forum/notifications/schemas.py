"""Dump a member's notifications."""

from __future__ import annotations

from marshmallow import Schema, fields, validate


class NotificationSchema(Schema):
    """An in-app notification."""

    id = fields.Integer()
    kind = fields.String()
    message = fields.String()
    comment_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()
    read_at = fields.DateTime(allow_none=True)


FOLLOWED_CHOICES = ("off", "immediate", "digest")


class NotificationSettingsSchema(Schema):
    """What email a member gets (send only the fields to change; the others stay as they are)."""

    email_enabled = fields.Boolean(metadata={"description": "false: no email at all"})
    replies = fields.Boolean(metadata={"description": "replies to your comments"})
    decisions = fields.Boolean(metadata={"description": "moderators' decisions on your comments"})
    followed = fields.String(
        validate=validate.OneOf(FOLLOWED_CHOICES, error="Choose off, immediate or digest."),
        metadata={"description": "new comments in threads you follow: off, immediate, or a daily digest"},
    )
    auto_follow = fields.Boolean(metadata={"description": "follow a thread when you comment in it"})
    moderator_alerts = fields.Boolean(metadata={"description": "moderators: comments waiting too long"})
    digest_hour = fields.Integer(
        validate=validate.Range(min=0, max=23, error="Choose an hour from 0 to 23."),
        metadata={"description": "the hour the digest is sent, in time_zone"},
    )
    time_zone = fields.String(
        validate=validate.Length(max=64), metadata={"description": "e.g. Europe/London"}
    )
    bouncing = fields.Boolean(
        dump_only=True, metadata={"description": "emails to your address bounced: none are sent until reset"}
    )


class UnsubscribeArgsSchema(Schema):
    """The signed token an email's List-Unsubscribe link carries."""

    token = fields.String(required=True, validate=validate.Length(max=500))


class UnsubscribedSchema(Schema):
    """Which kind of email was stopped."""

    stopped = fields.String(metadata={"description": "replies, decisions, followed or moderator_alerts"})
