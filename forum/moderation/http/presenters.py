"""Shape moderation objects for the API schemas."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from forum.accounts.models import User
from forum.accounts.services import standing
from forum.discussion.models import Comment
from forum.moderation.models import AuditEntry
from forum.moderation.services import members, notes, sanctions
from forum.moderation.services.dashboard import Dashboard
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
        "safeguarding": item.case,
    }


def dashboard(board: Dashboard) -> dict[str, Any]:
    """Present the dashboard (DashboardSchema's shape)."""

    def seconds(value: timedelta | None) -> int | None:
        return int(value.total_seconds()) if value is not None else None

    return {
        "now": board.now,
        "waiting": [{**vars(w), "oldest_wait_seconds": seconds(w.wait(board.now))} for w in board.waiting],
        "safeguarding_open": board.safeguarding_open,
        "safeguarding_unread": board.safeguarding_unread,
        "median_seconds_to_first_read": seconds(board.median_to_first_read),
        "median_seconds_to_decision": seconds(board.median_to_decision),
        "safeguarding_decided": board.safeguarding_decided,
        "decisions_per_day": [{"date": d.isoformat(), "count": n} for d, n in board.decisions_per_day],
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
