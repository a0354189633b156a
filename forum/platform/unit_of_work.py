"""One unit of work per transaction: what each flush changed, worked out once and told to every feature.

SQLAlchemy's session already is a unit of work; this module is the one place that listens to it.
At every flush it builds a :class:`ChangeSet` (what is new, changed and deleted, with each
attribute's value before the flush) and hands it to the features that subscribed in
``create_app``: the discussion keeps its stored counts and thread versions in step, the thread
cache notes which threads to invalidate. Each transaction also carries a :class:`Transaction`,
where features gather what must wait for the commit (cache invalidations, email, jobs) and which is
thrown away on rollback. Just before the commit, ``before_commit`` subscribers may still write in the
same transaction (the job queue's rows: forum/platform/jobs.py).

A :class:`~forum.platform.errors.DomainError`, once made, marks the transaction *refused*: the
request boundary (``forum/platform/http/transactions.py``) then rolls back whatever was flushed,
whatever the view answers, unless a service declared that what it wrote stands
(:func:`keep_despite_refusal`).

The listeners are registered on the forum's own session class (``ForumSession``) by
``UnitOfWork.init_app``, called from ``create_app``; subscribers belong to the app, found through
``current_app`` when the session fires.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import Flask, current_app, has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from forum.platform.database import ForumSession, db

T = TypeVar("T")
_KEY = "forum.transaction"
_EXTENSION = "forum.unit_of_work"


@dataclass
class ChangeSet:
    """What one flush writes: new, modified and deleted objects, and what they held before it."""

    session: Session
    new: tuple[object, ...]
    dirty: tuple[object, ...]  # only objects whose columns really change
    deleted: tuple[object, ...]
    _followups: list[Callable[[], None]] = field(default_factory=list)

    def of(self, kind: type[T]) -> tuple[list[T], list[T], list[T]]:
        """The new, modified and deleted objects of one model class."""
        pick = lambda objects: [obj for obj in objects if isinstance(obj, kind)]  # noqa: E731
        return pick(self.new), pick(self.dirty), pick(self.deleted)

    def touches(self, kind: type) -> bool:
        """Whether anything of this class is written by the flush."""
        return any(isinstance(obj, kind) for obj in (*self.new, *self.dirty, *self.deleted))

    @staticmethod
    def before(obj: object, name: str) -> Any:
        """The attribute's value before this flush (its current value if the flush does not change it).

        For a new object that is None. Attributes whose old value must be known without a load
        are mapped with ``active_history=True``.
        """
        state = inspect(obj)
        history = state.attrs[name].history
        if history.deleted:
            return history.deleted[0]
        if history.added and state.key is None:  # pending: nothing was there before
            return None
        return getattr(obj, name)

    @staticmethod
    def changed(obj: object, name: str) -> bool:
        """Whether this flush changes the attribute."""
        return inspect(obj).attrs[name].history.has_changes()

    def afterwards(self, step: Callable[[], None]) -> None:
        """Run ``step`` once the flush has finished (e.g. to expire what the flush made stale)."""
        self._followups.append(step)


class Transaction:
    """What the session's current transaction gathers for after it ends (one per transaction).

    Features keep their own part of it, one object per class (``part(TouchedThreads)``), so
    nothing else needs a key in ``session.info``.
    """

    def __init__(self) -> None:
        self.refused = False  # a domain error was raised: undo what was flushed
        self.keep = False  # a service said its writes stand despite the refusal
        self._parts: dict[type, Any] = {}

    def part(self, kind: type[T]) -> T:
        """This transaction's instance of ``kind``, made empty on first use."""
        found = self._parts.get(kind)
        if found is None:
            found = self._parts[kind] = kind()
        return found

    @property
    def gathered(self) -> bool:
        """Whether a feature gathered anything for after the commit (mail, jobs, invalidations)."""
        return bool(self._parts)

    @property
    def should_commit(self) -> bool:
        """Commit unless a domain error refused the work (and no service kept it)."""
        return self.keep or not self.refused


FlushSubscriber = Callable[[ChangeSet], None]
CommitSubscriber = Callable[[Transaction], None]
BeforeCommitSubscriber = Callable[[Transaction, Session], None]


class UnitOfWork:
    """The app's subscribers to flushes and commits."""

    def __init__(self) -> None:
        self.flush_subscribers: list[FlushSubscriber] = []
        self.before_commit_subscribers: list[BeforeCommitSubscriber] = []
        self.commit_subscribers: list[CommitSubscriber] = []

    def on_flush(self, subscriber: FlushSubscriber) -> None:
        """Call ``subscriber`` with each flush's change set, inside the flush (same connection)."""
        self.flush_subscribers.append(subscriber)

    def before_commit(self, subscriber: BeforeCommitSubscriber) -> None:
        """Call ``subscriber`` with the transaction and its session just before it commits, once every
        flush is done, so what it writes commits (or fails) with the rest (the job queue's jobs)."""
        self.before_commit_subscribers.append(subscriber)

    def on_commit(self, subscriber: CommitSubscriber) -> None:
        """Call ``subscriber`` with the transaction once it has committed."""
        self.commit_subscribers.append(subscriber)

    def init_app(self, app: Flask) -> None:
        """Belong to ``app`` and make sure the session's events reach it."""
        app.extensions[_EXTENSION] = self
        for name, listener in _LISTENERS.items():
            if not event.contains(ForumSession, name, listener):
                event.listen(ForumSession, name, listener)


def unit_of_work(app: Flask | None = None) -> UnitOfWork:
    """The unit of work of ``app`` (the current app by default)."""
    found: UnitOfWork = (app or current_app).extensions[_EXTENSION]
    return found


def transaction(session: Session | None = None) -> Transaction:
    """The state of the current transaction of ``session`` (the request's session by default)."""
    info = (session if session is not None else db.session()).info
    found = info.get(_KEY)
    if found is None:
        found = info[_KEY] = Transaction()
    return found


def refuse() -> None:
    """Mark the current transaction refused (DomainError does it when it is made)."""
    if has_app_context() and db.session.registry.has():
        transaction().refused = True


def forget_refusal(session: Session) -> None:
    """Drop a refused read's state: a rollback with no transaction open would leave it for the next
    request on the same session (tests share one), which would then be refused too."""
    session.info.pop(_KEY, None)


def keep_despite_refusal() -> None:
    """Let a service say that what it flushed stands even though it then refuses the request.

    Example: a login refused because the email is not confirmed still sends, and must store, a new link.
    """
    transaction().keep = True


def _subscribers() -> UnitOfWork | None:
    if not has_app_context():
        return None
    return current_app.extensions.get(_EXTENSION)


def _after_flush(session: Session, flush_context: Any) -> None:
    work = _subscribers()
    if work is None or not work.flush_subscribers:
        return
    changes = ChangeSet(
        session,
        tuple(session.new),
        tuple(obj for obj in session.dirty if session.is_modified(obj)),
        tuple(session.deleted),
    )
    flush_context.attributes[_EXTENSION] = changes  # the same object reaches _after_flush_postexec
    for subscriber in work.flush_subscribers:
        subscriber(changes)


def _after_flush_postexec(session: Session, flush_context: Any) -> None:
    changes: ChangeSet | None = flush_context.attributes.pop(_EXTENSION, None)
    if changes is None:
        return
    for step in changes._followups:
        step()


def _before_commit(session: Session) -> None:
    work = _subscribers()
    state: Transaction | None = session.info.get(_KEY)
    if work is None or not work.before_commit_subscribers:
        return
    if session.new or session.dirty or session.deleted:
        session.flush()  # the flush subscribers see everything before the last word is said
        state = session.info.get(_KEY)
    if state is None:
        return
    for subscriber in work.before_commit_subscribers:
        subscriber(state, session)


def _after_commit(session: Session) -> None:
    state: Transaction | None = session.info.pop(_KEY, None)
    work = _subscribers()
    if state is None or work is None:
        return
    for subscriber in work.commit_subscribers:
        subscriber(state)


def _after_rollback(session: Session) -> None:
    session.info.pop(_KEY, None)


_LISTENERS: dict[str, Callable[..., None]] = {
    "after_flush": _after_flush,
    "after_flush_postexec": _after_flush_postexec,
    "before_commit": _before_commit,
    "after_commit": _after_commit,
    "after_rollback": _after_rollback,
}
