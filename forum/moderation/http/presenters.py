"""Shape moderation objects for the API schemas."""

from __future__ import annotations

import json
from typing import Any

from forum.accounts.models import User
from forum.accounts.services import standing
from forum.discussion.models import Comment
from forum.moderation.models import AuditEntry
from forum.moderation.services import members, notes, sanctions
from forum.moderation.services.review_queue import QueueItem


def queue_item(item: QueueItem) -> dict[str, Any]:
    """Present one queue entry with its context."""
    c = item.comment
    parent = item.parent
    return {
        "kind": item.kind,
        "comment": {
            "id": c.id,
            "article": c.article.slug,
            "article_title": c.article.title,
            "parent_id": c.parent_id,
            "author": c.author,
            "body": c.body,
            "body_html": c.body_html,
            "status": c.status.value,
            "held_because": c.held_because,
            "created_at": c.created_at,
        },
        "parent": None
        if parent is None
        else {"id": parent.id, "author": parent.author.display_name, "body": parent.body},
        "author_record": item.record,
        "rule_hits": item.hits,
        "flags": item.flags,
        "why": item.why,
        "edit": None
        if item.edit is None
        else {
            "id": item.edit.id,
            "old_body": c.body,
            "new_body": item.edit.body,
            "held_because": item.edit.held_because,
            "created_at": item.edit.created_at,
        },
        "appeal": item.appeal,
    }


def decision(comment: Comment) -> dict[str, Any]:
    """Present what a decision left on a comment."""
    return {
        "id": comment.id,
        "status": comment.status.value,
        "reject_reason": comment.reject_reason.value if comment.reject_reason else None,
        "decision_note": comment.decision_note,
        "decided_at": comment.decided_at,
    }


def member(user: User) -> dict[str, Any]:
    """Present a member for moderators: record, sanctions, notes."""
    record = members.author_records({user.profile_id})[user.profile_id]
    record.user_id = user.id
    return {
        "id": user.id,
        "email": user.email,
        "access": user.access.value,
        "profile": user.profile,
        "record": record,
        "active_sanction": standing.active_sanction(user.id),
        "premoderated": standing.active_premoderation(user.id),
        "sanctions": sanctions.sanctions_for(user),
        "notes": notes.notes_for(user),
    }


def audit_entry(entry: AuditEntry) -> dict[str, Any]:
    """Present a log entry with its before and after as JSON values."""
    return {
        **{
            k: getattr(entry, k)
            for k in (
                "id",
                "created_at",
                "actor_id",
                "action",
                "target_type",
                "target_id",
                "comment_id",
                "member_id",
                "reason",
                "prev_hash",
                "entry_hash",
            )
        },
        "before": json.loads(entry.before) if entry.before else None,
        "after": json.loads(entry.after) if entry.after else None,
    }
