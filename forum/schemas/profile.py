"""Dump profiles: the public face of a person."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from forum.models import Role


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
    role_source = fields.String(metadata={"description": "declared, source (imported) or verified"})

    def get_role_label(self, profile: Any) -> str:
        role = profile["role"] if isinstance(profile, dict) else profile.role
        return str(Role(role).label)


class ProfileSchema(AuthorSchema):
    """A profile page as JSON."""

    bio = fields.String(allow_none=True)
    comment_count = fields.Integer()
    url = fields.String()
    html_url = fields.String()
