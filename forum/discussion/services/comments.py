"""Write comments: edit (keeping revisions), delete, and import with original ids (posting: posting.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import contains_eager

from forum import permissions
from forum.accounts.models import Profile, User
from forum.accounts.services import standing
from forum.accounts.services.viewer import Viewer
from forum.discussion.models import Article, Comment, CommentRevision, CommentStatus, EditStatus, HeldEdit
from forum.discussion.services import gate
from forum.discussion.services.text import image_lines, normalise_comment, render_comment, unwrap_hard_wraps
from forum.discussion.services.visibility import visible_comments
from forum.platform.database import db
from forum.platform.errors import NotFound, ValidationFailed
from forum.platform.models import utcnow
from forum.platform.settings import setting


def validated_body(body: str | None) -> str:
    """Return the normalised text of a comment.

    :raises ValidationFailed: when it is empty or longer than COMMENT_MAX_LENGTH.
    """
    return checked_text(normalise_comment(body or ""))


def checked_text(text_: str) -> str:
    """Return already normalised comment text if it is neither empty, too long, nor asks for pictures.

    :raises ValidationFailed: when it is empty, longer than COMMENT_MAX_LENGTH, or has a Markdown
        image (``![alt](address)`` or by reference): the forum shows no pictures.
    """
    limit = setting("COMMENT_MAX_LENGTH")
    if not text_:
        raise ValidationFailed(errors={"body": ["Write something before posting."]})
    if len(text_) > limit:
        raise ValidationFailed(errors={"body": [f"Keep it to {limit:,} characters; this is {len(text_):,}."]})
    pictures = image_lines(text_)
    if pictures:
        raise ValidationFailed(errors={"body": [_no_pictures(pictures)]})
    return text_


def _no_pictures(lines: list[int]) -> str:
    """Say, in the writer's words, which lines ask for a picture and what to do instead."""
    if len(lines) == 1:
        where = f"line {lines[0]}"
    else:
        where = "lines " + ", ".join(str(n) for n in lines[:-1]) + f" and {lines[-1]}"
    return (
        f"Pictures cannot be posted here ({where}). "
        "You can describe the picture in words or give a link to it."
    )


def preview(body: str | None) -> str:
    """Render comment text as posting would, saving nothing and asking no rule or limit.

    :raises ValidationFailed: for what posting refuses whatever the writer (empty, too long, pictures).
    """
    return render_comment(validated_body(body))


def load_own_comment(comment_id: int, viewer: Viewer) -> Comment:
    """Return a comment the viewer wrote, with its author and article loaded.

    :raises NotFound: when it does not exist or the viewer may not see it.
    :raises Forbidden: when the viewer can see it but did not write it.
    """
    comment = db.session.scalar(
        select(Comment)
        .join(Comment.author)
        .join(Comment.article)
        .options(contains_eager(Comment.author), contains_eager(Comment.article))
        .where(Comment.id == comment_id, visible_comments(viewer))
    )
    if comment is None:
        raise NotFound("There is no such comment.")
    permissions.ensure_author(viewer, comment)
    return comment


def edit_window() -> timedelta:
    """Return how long after posting authors may edit."""
    return timedelta(minutes=setting("EDIT_WINDOW_MINUTES"))


def edit_comment(author: User, viewer: Viewer, comment: Comment, body: str | None) -> Comment:
    """Change the text of one's own comment, keeping the earlier text as a revision.

    The publication gate looks at the new text. An edit of a published comment by a member who is
    still pre-moderated is held (a ``HeldEdit``): readers keep the approved text until a moderator
    approves the edit. A trusted member's edit that a rule matches (personal data, a banned word)
    sends the comment back to the queue. A published comment whose text changes is marked edited.

    :raises Forbidden: after the edit window, on a deleted comment, or while suspended.
    :raises ValidationFailed: for empty or over-long text.
    """
    permissions.ensure_can_edit(viewer, comment, utcnow(), edit_window())
    standing.ensure_can_act(author)
    clean = validated_body(body)
    waiting = held_edit_of(comment.id)
    if clean == comment.body and waiting is None:
        return comment
    published = comment.status == CommentStatus.APPROVED
    judge = gate.current()
    verdict = judge.judge_edit(author, clean, published)
    if published and verdict.hold_edit:
        _hold_edit(comment, waiting, clean, verdict)
        return comment
    if waiting is not None:  # a trusted edit (or a moderator's) replaces what waited
        db.session.delete(waiting)
    if clean == comment.body:
        db.session.flush()
        return comment
    judge.keep(comment.id, verdict, replacing=True)
    if verdict.status == CommentStatus.PENDING:
        comment.status = CommentStatus.PENDING
        comment.held_because = verdict.held_because
    if verdict.offer_help:
        comment.offered_help = True
    db.session.add(
        CommentRevision(
            comment_id=comment.id, editor_id=comment.author_id, body=comment.body, body_html=comment.body_html
        )
    )
    comment.body = clean
    comment.body_html = render_comment(clean)
    if published:
        comment.edited_at = utcnow()
    db.session.flush()
    return comment


def held_edit_of(comment_id: int) -> HeldEdit | None:
    """Return the edit of this comment waiting for a moderator, if any."""
    return db.session.scalar(
        select(HeldEdit).where(HeldEdit.comment_id == comment_id, HeldEdit.status == EditStatus.PENDING)
    )


def latest_held_edit(comment_id: int) -> HeldEdit | None:
    """Return the comment's latest held edit, waiting or decided (what its author is told)."""
    return db.session.scalar(
        select(HeldEdit).where(HeldEdit.comment_id == comment_id).order_by(HeldEdit.id.desc()).limit(1)
    )


def _hold_edit(comment: Comment, waiting: HeldEdit | None, clean: str, verdict: gate.Verdict) -> None:
    """Keep the new text for a moderator; the published text stays what readers see."""
    if waiting is None:
        waiting = HeldEdit(comment_id=comment.id)
        db.session.add(waiting)
    waiting.body = clean
    waiting.body_html = render_comment(clean)
    waiting.held_because = verdict.held_because
    waiting.created_at = utcnow()
    gate.current().keep(comment.id, verdict, replacing=True)
    db.session.flush()


def delete_comment(viewer: Viewer, comment: Comment) -> Comment:
    """Delete one's own comment: its text and earlier texts go, replies stay under a placeholder.

    :raises Forbidden: when it is already deleted.
    """
    permissions.ensure_can_delete(viewer, comment)
    db.session.execute(delete(CommentRevision).where(CommentRevision.comment_id == comment.id))
    db.session.execute(delete(HeldEdit).where(HeldEdit.comment_id == comment.id))
    comment.body = ""
    comment.body_html = ""
    comment.deleted_at = utcnow()
    db.session.flush()
    return comment


def import_comment(
    *,
    comment_id: int,
    article: Article,
    author: Profile,
    body: str,
    parent_id: int | None,
    status: CommentStatus = CommentStatus.APPROVED,
    imported_at: datetime | None = None,
) -> Comment:
    """Insert a comment that keeps its original number (imported material).

    ``imported_at`` (when it was loaded) also stands as its row's creation time: the pages record
    no dates, so one time for a page's comments keeps them in the page's order, by number.
    """
    body = normalise_comment(body)
    root_id = None
    if parent_id is not None:
        parent_root = db.session.scalar(select(Comment.root_id).where(Comment.id == parent_id))
        root_id = parent_root or parent_id
    comment = Comment(
        id=comment_id,
        article_id=article.id,
        author_id=author.id,
        parent_id=parent_id,
        root_id=root_id,
        body=body,  # exactly as the source has it
        body_html=render_comment(unwrap_hard_wraps(body)),  # read as paragraphs, not copy-paste lines
        status=status,
        imported_at=imported_at,
    )
    if imported_at is not None:
        comment.created_at = imported_at
    db.session.add(comment)
    db.session.flush()
    return comment


def advance_id_sequence() -> None:
    """Move PostgreSQL's comment id sequence past imported ids so new comments never collide.

    SQLite needs nothing: it allocates max(rowid) + 1.
    """
    if db.session.get_bind().dialect.name != "postgresql":
        return
    highest = db.session.scalar(select(func.max(Comment.id))) or 0
    if highest:
        db.session.execute(
            text("SELECT setval(pg_get_serial_sequence('comments', 'id'), :n, true)"), {"n": highest}
        )
