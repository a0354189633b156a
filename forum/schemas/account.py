"""Load and dump accounts, profiles being edited, and API tokens."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates

from forum.models import Role
from forum.schemas.profile import AuthorSchema

ROLE_CHOICES = [r.value for r in Role]
_text = validate.Length(max=200)


class ProfileFieldsSchema(Schema):
    """The editable fields of a profile."""

    display_name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    job_title = fields.String(load_default=None, allow_none=True, validate=_text)
    organisation = fields.String(load_default=None, allow_none=True, validate=_text)
    role = fields.String(
        load_default=Role.OTHER.value,
        validate=validate.OneOf(ROLE_CHOICES, error="Choose a role from the list."),
    )

    @validates("display_name")
    def _not_blank(self, value: str, **_: object) -> None:
        if not value.strip():
            raise ValidationError("Enter the name you want others to see.")


class ProfileUpdateSchema(ProfileFieldsSchema):
    """A profile edit: everything optional except what is sent."""

    display_name = fields.String(validate=validate.Length(min=1, max=120))
    role = fields.String(validate=validate.OneOf(ROLE_CHOICES, error="Choose a role from the list."))
    bio = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=1000))


class RegistrationSchema(ProfileFieldsSchema):
    """What it takes to join."""

    email = fields.Email(required=True, validate=validate.Length(max=254))
    password = fields.String(
        required=True,
        load_only=True,
        validate=validate.Length(min=10, max=1000, error="Use at least 10 characters."),
    )


class CredentialsSchema(Schema):
    """Email and password, to log in or to get a token."""

    email = fields.String(required=True, validate=validate.Length(min=1, max=254))
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=1000))
    name = fields.String(load_default="API token", validate=validate.Length(min=1, max=100))


class TokenSchema(Schema):
    """A personal API token; ``token`` appears only in the response that creates it."""

    id = fields.Integer()
    name = fields.String()
    prefix = fields.String(metadata={"description": "The first characters, to recognise the token"})
    created_at = fields.DateTime()
    last_used_at = fields.DateTime(allow_none=True)
    token = fields.String(metadata={"description": "The secret: send it as 'Authorization: Bearer <token>'"})


class MeSchema(Schema):
    """The account making the request."""

    id = fields.Integer()
    email = fields.String()
    access = fields.String(metadata={"description": "member, moderator or admin"})
    profile = fields.Nested(AuthorSchema)
