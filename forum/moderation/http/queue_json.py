"""Present the moderation queue's rows as JSON-ready data: what QueueSchema would dump, built directly.

The API's queue answers up to 200 items, each with its comment, context and reports; walking them
through marshmallow cost more than reading them (issue 23). tests/functional/test_queue_json.py
checks that dumping the ORM path's items through QueueSchema says exactly the same.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from forum.accounts.models import Role
from forum.moderation.services.queue_rows import QueueRow, QueueRows


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def queue(found: QueueRows) -> dict[str, Any]:
    """Present a slice of the queue (QueueSchema's shape)."""
    return {
        "count": len(found.rows),
        "total": found.total,
        "next_cursor": found.next_cursor,
        "items": [queue_item(row) for row in found.rows],
    }


def queue_item(entry: QueueRow) -> dict[str, Any]:
    """Present one entry of the queue (QueueItemSchema's shape)."""
    item, r = entry.item, entry.row
    record = item.record
    return {
        "kind": item.kind,
        "why": item.why,
        "edit": None
        if r.edit_id is None
        else {
            "id": r.edit_id,
            "old_body": r.body,
            "new_body": r.edit_body,
            "held_because": r.edit_held_because,
            "created_at": _iso(r.edit_created_at),
        },
        "appeal": None
        if r.appeal_id is None
        else {
            "id": r.appeal_id,
            "note": r.appeal_note,
            "status": r.appeal_status.value,
            "created_at": _iso(r.appeal_created_at),
            "appealed_decider_id": r.appealed_decider_id,
        },
        "comment": {
            "id": r.id,
            "article": r.article_slug,
            "article_title": r.article_title,
            "parent_id": r.parent_id,
            "author": {
                "id": r.author_id,
                "display_name": r.display_name,
                "job_title": r.job_title,
                "organisation": r.organisation,
                "role": r.role.value,
                "role_label": str(Role(r.role).label),
                "role_source": r.role_source.value,
            },
            "body": r.body,
            "body_html": r.body_html,
            "status": r.status.value,
            "held_because": r.held_because,
            "created_at": _iso(r.created_at),
        },
        "parent": None
        if r.parent_row_id is None
        else {"id": r.parent_row_id, "author": r.parent_author, "body": r.parent_body},
        "author_record": {
            "member_id": record.user_id,
            "approved": record.approved,
            "rejected": record.rejected,
            "flags": record.flags,
        },
        "rule_hits": [
            {"rule": h.rule, "matched": h.matched, "start": h.start, "end": h.end} for h in item.hits
        ],
        "flags": [
            {
                "id": f.id,
                "comment_id": f.comment_id,
                "reason": f.reason.value,
                "note": f.note,
                "status": f.status.value,
                "created_at": _iso(f.created_at),
            }
            for f in item.flags
        ],
        "safeguarding": None
        if r.case_id is None
        else {
            "comment_id": r.id,
            "source": r.case_source,
            "signals": [s for s in r.case_signals.split(",") if s],
            "opened_at": _iso(r.case_opened_at),
            "first_read_at": _iso(r.case_first_read_at),
            "decided_at": _iso(r.case_decided_at),
            "outcome": r.case_outcome.value if r.case_outcome else None,
            "referred_to": r.case_referred_to,
            "note": r.case_note,
            "support_sent_at": _iso(r.case_support_sent_at),
        },
    }
