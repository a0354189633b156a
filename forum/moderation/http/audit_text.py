"""Say an audit log entry in a sentence, with links to the comment and the people in it (the log page).

"Mo approved comment #547798 by Priya P", "Mo removed an NHS number from comment #547801 by Priya P".
The API keeps the full form; hashes and raw JSON are shown only on an entry's own view.
"""

from __future__ import annotations

import json

from flask import url_for
from markupsafe import Markup, escape

from forum.moderation.models import AuditEntry

# What a redaction took out, by rule, as a sentence says it.
DATA_NAMES = {
    "nhs_number": "an NHS number",
    "uk_phone": "a phone number",
    "email": "an email address",
    "uk_postcode": "a postcode",
    "date_of_birth": "a date of birth",
}

# "{actor} <verb> {comment} by {member}"; None: a sentence of its own below.
_ON_COMMENT = {
    "comment.approved": "approved",
    "comment.kept": "kept published",
    "comment.rejected": "rejected",
    "comment.removed": "took down",
    "comment.edit_approved": "published the held edit of",
    "comment.edit_rejected": "refused the held edit of",
    "appeal.upheld": "upheld the appeal about",
    "appeal.dismissed": "dismissed the appeal about",
}
_ON_MEMBER = {
    "member.suspension": "suspended",
    "member.ban": "banned",
    "member.premoderation": "put under pre-moderation",
    "member.sanction_lifted": "lifted the sanctions on",
    "member.access_changed": "changed the access of",
    "member.note_added": "added a private note on",
    "account.erased": "erased the account of",  # the name shown is read now: "Former member"
}


def _person(user_id: int | None, people: dict[int, str], fallback: str, *, acting: bool = False) -> str:
    """A person's name linked to their page (a member) or to what they did (the acting moderator)."""
    if user_id is None:
        return fallback
    name = escape(people.get(user_id, f"member #{user_id}"))
    if acting:
        href = url_for("moderation.log_page", moderator=user_id)
    else:
        href = url_for("moderation.member_page", user_id=user_id)
    return f'<a href="{escape(href)}">{name}</a>'


def _comment(entry: AuditEntry) -> str:
    href = url_for("moderation.comment_page", comment_id=entry.comment_id)
    return f'<a href="{escape(href)}">comment #{entry.comment_id}</a>'


def sentence(entry: AuditEntry, people: dict[int, str]) -> Markup:
    """The entry as a sentence (every name and value escaped)."""
    actor = _person(entry.actor_id, people, "The forum", acting=True)
    member = _person(entry.member_id, people, "")
    by = f" by {member}" if entry.member_id and entry.comment_id else ""
    action = entry.action
    if action in _ON_COMMENT and entry.comment_id:
        text = f"{actor} {_ON_COMMENT[action]} {_comment(entry)}{by}"
    elif action == "comment.redacted" and entry.comment_id:
        after = json.loads(entry.after) if entry.after else {}
        spans = after.get("redaction", [])
        found = list(dict.fromkeys(DATA_NAMES.get(span.get("rule"), "personal data") for span in spans))
        if found:
            what = " and ".join(found)
            text = f"{actor} removed {escape(what)} from {_comment(entry)}{by}"
        else:
            text = f"{actor} edited {_comment(entry)}{by}"
    elif action == "comment.hidden_by_flags" and entry.comment_id:
        text = f"{_comment(entry).replace('>comment #', '>Comment #')} was hidden after members reported it"
    elif action == "appeal.made" and entry.comment_id:
        text = f"{actor} appealed against the decision on {_comment(entry)}"
    elif action in _ON_MEMBER and entry.member_id:
        text = f"{actor} {_ON_MEMBER[action]} {member}"
    elif action.startswith("banned_word."):
        verb = "added a banned word" if action.endswith("added") else "removed a banned word"
        text = f"{actor} {verb}"
    elif action == "profile.role_verified":
        text = f"{actor} verified the role of profile #{entry.target_id}"
    else:
        text = f"{actor} {escape(action)} {escape(entry.target_type)} #{entry.target_id}"
    return Markup(text + ".")  # noqa: S704 - every piece was escaped above  # nosec B704
