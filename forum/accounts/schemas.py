"""Load and dump accounts, profiles being edited, and API tokens."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from forum.accounts.models import Role
from forum.accounts.services.consent import REQUIRED as CONSENT_REQUIRED
from forum.platform.fields import Line, Text

ROLE_CHOICES = [r.value for r in Role]
NAME_BLANK = "Enter the name you want others to see."
# Limits, one place: they match the column sizes in forum/models.
NAME_MAX, JOB_TITLE_MAX, ORGANISATION_MAX, BIO_MAX, TOKEN_NAME_MAX, EMAIL_MAX = 120, 200, 200, 1000, 100, 254
PASSWORD_MIN, PASSWORD_MAX = 10, 1000


def new_password_field(**kwargs: object) -> fields.String:
    """A password being chosen: 10 to 1,000 characters, kept exactly as typed."""
    return fields.String(
        required=True,
        load_only=True,
        validate=validate.Length(
            min=PASSWORD_MIN,
            max=PASSWORD_MAX,
            error=f"Use at least {PASSWORD_MIN} characters (and at most {PASSWORD_MAX:,}).",
        ),
        **kwargs,  # type: ignore[arg-type]
    )


class AuthorSchema(Schema):
    """The author block shown on every comment."""

    id = fields.Integer(required=True)
    display_name = fields.String(required=True)
    job_title = fields.String(allow_none=True)
    organisation = fields.String(allow_none=True)
    role = fields.String(
        required=True,
        metadata={
            "description": "patient, carer, patient_leader, clinician, "
            "ned, manager, researcher, staff or other"
        },
    )
    role_label = fields.Method("get_role_label", metadata={"description": "The role as shown on the badge"})
    role_source = fields.String(
        metadata={
            "description": "declared (by the person), source (stated on the original page), "
            "inferred (guessed from an imported job title) or verified"
        }
    )

    def get_role_label(self, profile: Any) -> str:
        role = profile["role"] if isinstance(profile, dict) else profile.role
        return str(Role(role).label)


class ProfileSchema(AuthorSchema):
    """A profile page as JSON."""

    bio = fields.String(allow_none=True)
    comment_count = fields.Integer()
    url = fields.String()
    html_url = fields.String()


class ProfileFieldsSchema(Schema):
    """The editable fields of a profile."""

    display_name = Line(required=True, max_length=NAME_MAX, blank=NAME_BLANK)
    job_title = Line(load_default=None, allow_none=True, max_length=JOB_TITLE_MAX)
    organisation = Line(load_default=None, allow_none=True, max_length=ORGANISATION_MAX)
    role = fields.String(
        load_default=Role.OTHER.value,
        validate=validate.OneOf(ROLE_CHOICES, error="Choose a role from the list."),
    )


class ProfileUpdateSchema(ProfileFieldsSchema):
    """A profile edit: everything optional except what is sent."""

    display_name = Line(max_length=NAME_MAX, blank=NAME_BLANK)
    role = fields.String(validate=validate.OneOf(ROLE_CHOICES, error="Choose a role from the list."))
    bio = Text(load_default=None, allow_none=True, max_length=BIO_MAX)


class RegistrationSchema(ProfileFieldsSchema):
    """What it takes to join."""

    email = fields.Email(
        required=True,
        validate=validate.Length(max=EMAIL_MAX, error=f"Keep it to {EMAIL_MAX} characters or fewer."),
    )
    password = new_password_field()
    consent = fields.Boolean(
        required=True,
        load_only=True,
        validate=validate.Equal(True, error=CONSENT_REQUIRED),
        error_messages={"required": CONSENT_REQUIRED, "invalid": CONSENT_REQUIRED},
        metadata={
            "description": "true: the person confirms that what they post is public, may be about their "
            "health, and is kept under the privacy notice and house rules (their versions are recorded)"
        },
    )


class CredentialsSchema(Schema):
    """Email and password, to log in or to get a token."""

    email = fields.String(required=True, validate=validate.Length(min=1, max=EMAIL_MAX))
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=PASSWORD_MAX))
    name = Line(load_default="API token", max_length=TOKEN_NAME_MAX, blank="Give the token a name.")


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
    time_zone = fields.String(
        allow_none=True,
        metadata={"description": "The zone pages show times in (notification settings); null: London"},
    )


class PasswordChangeSchema(Schema):
    """The current password (proof it is you) and the new one."""

    current_password = fields.String(
        required=True, load_only=True, validate=validate.Length(min=1, max=PASSWORD_MAX)
    )
    new_password = new_password_field()


class EmailSchema(Schema):
    """An email address to send a link to."""

    email = fields.Email(
        required=True,
        validate=validate.Length(max=EMAIL_MAX, error=f"Keep it to {EMAIL_MAX} characters or fewer."),
    )


class PasswordResetSchema(Schema):
    """A new password chosen through a reset link."""

    password = new_password_field()


class MessageSchema(Schema):
    """A plain answer for people: what happened and what to do next."""

    message = fields.String(required=True)


class PasswordChangedSchema(MessageSchema):
    """What changing the password ended, and what it left running."""

    sessions_ended = fields.Integer(metadata={"description": "Other logged-in sessions that were ended"})
    tokens_kept = fields.Integer(
        metadata={"description": "Live API tokens (kept: revoke any you don't recognise)"}
    )


class SessionSchema(Schema):
    """A place where the account is logged in (a browser session)."""

    id = fields.Integer()
    device = fields.String(metadata={"description": "Browser and system, from the User-Agent"})
    created_at = fields.DateTime()
    last_seen_at = fields.DateTime(metadata={"description": "Updated at most every few minutes"})
    current = fields.Boolean(metadata={"description": "The session making this request"})
