"""Try every route and method as every actor and compare with the declared matrix; look for leaks.

Generated from ``app.url_map``: a route without a row in tests/security/authorisation_table.py
fails the test, and so does a row whose route no longer exists. Every request is checked twice:

- its status is the declared one (anonymous people sent to log in, members refused what is not
  theirs with a 404 that does not reveal it exists, moderators and admins let through), and
- its body shows nothing the actor may not see: the author's token names, notifications and
  pending comment (their draft), the moderators' private notes on them, their email address.
  Each private thing carries a marker that is searched for in every response (IDOR checks: the
  other actors ask for the author's objects by id).

Pages are driven with CSRF protection on (a token is fetched from a page first); the API with
bearer tokens. Rate limits are off: they are tested in tests/functional/test_security.py.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from forum import create_app
from forum.accounts.models import Access, Profile, Role, Sanction, SanctionKind, User
from forum.accounts.services import sessions
from forum.accounts.services import tokens as token_service
from forum.discussion.models import Article, CommentStatus
from forum.moderation.models import BannedWord, MemberNote
from forum.notifications.models import Notification
from forum.platform.database import db
from forum.platform.models import utcnow
from tests.conftest import PASSWORD, create_user, log_in
from tests.factories import make_article, make_comment
from tests.security.authorisation_table import ACTORS, DECLARATIONS, Route

IGNORED_METHODS = {"HEAD", "OPTIONS"}
TOKEN_MARK = "tokenmark-author-private"
NOTIFICATION_MARK = "notificationmark-author-private"
PENDING_MARK = "pendingmark-author-draft"
NOTE_MARK = "notemark-moderators-only"
AUTHOR_EMAIL = "author-matrix@example.org"
# Who may see each private thing.
VISIBLE_TO = {
    TOKEN_MARK: {"author"},
    NOTIFICATION_MARK: {"author"},
    PENDING_MARK: {"author", "moderator", "admin"},
    NOTE_MARK: {"moderator", "admin"},
    AUTHOR_EMAIL: {"author", "moderator", "admin"},
}
# The development outbox shows every email to this machine by design (never in production).
NO_LEAK_CHECK = {"dev.outbox"}
# Blueprints whose routes may end, replace or start a browser session.
SESSION_CHANGING = {"auth", "account_security", "recovery"}
_counter = itertools.count(1)


def routes(app: Flask) -> dict[tuple[str, str], Rule]:
    """Every (endpoint, method) the app answers, except the automatic HEAD and OPTIONS."""
    found = {}
    for rule in app.url_map.iter_rules():
        for method in (rule.methods or set()) - IGNORED_METHODS:
            found[(rule.endpoint, method)] = rule
    return found


@dataclass
class World:
    """The people and the shared objects of one run."""

    app: Flask
    users: dict[str, User | None]
    tokens: dict[str, str | None]
    article_slug: str
    article_id: int
    author: User
    password_hash: str


def build_world(app: Flask) -> World:
    """Create the actors (the suspended one with a suspension in force) and the author's private things."""
    author = create_user(AUTHOR_EMAIL, "Author Matrix")
    users: dict[str, User | None] = {
        "anonymous": None,
        "member": create_user("member-matrix@example.org", "Member Matrix"),
        "author": author,
        "other_member": create_user("other-matrix@example.org", "Other Matrix"),
        "suspended": create_user("suspended-matrix@example.org", "Suspended Matrix"),
        "moderator": create_user(
            "mod-matrix@example.org", "Mod Matrix", access=Access.MODERATOR, role="staff"
        ),
        "editor": create_user(
            "editor-matrix@example.org", "Editor Matrix", access=Access.EDITOR, role="staff"
        ),
        "admin": create_user("admin-matrix@example.org", "Admin Matrix", access=Access.ADMIN, role="staff"),
    }
    moderator = users["moderator"]
    suspended = users["suspended"]
    other = users["other_member"]
    assert moderator and suspended and other
    db.session.add(
        Sanction(
            user_id=suspended.id,
            kind=SanctionKind.SUSPENSION,
            reason="Matrix test.",
            starts_at=utcnow(),
            ends_at=utcnow() + timedelta(days=7),
            created_by_id=moderator.id,
        )
    )
    article = make_article(slug="matrix-talk", title="Matrix talk", body="A matrix article.")
    # The author's private things, and the same kind of things of another member's own.
    db.session.add(Notification(user_id=author.id, kind="test", message=NOTIFICATION_MARK))
    db.session.add(MemberNote(user_id=author.id, author_id=moderator.id, body=NOTE_MARK))
    token_service.create_token(author, TOKEN_MARK)
    make_comment(article, other.profile, "Other's own pending comment.", status=CommentStatus.PENDING)
    db.session.add(Notification(user_id=other.id, kind="test", message="Other's own notification."))
    tokens = {
        name: (token_service.create_token(user, f"bearer of {name}")[1] if user else None)
        for name, user in users.items()
    }
    db.session.commit()
    return World(app, users, tokens, article.slug, article.id, author, author.password_hash)


def make_subject(world: World) -> User:
    """A fresh plain member for moderation actions (the password hash is reused: no hashing cost)."""
    n = next(_counter)
    profile = Profile(display_name=f"Subject {n}", role=Role.PATIENT)
    user = User(email=f"subject-{n}@example.org", password_hash=world.password_hash, profile=profile)
    db.session.add(user)
    db.session.flush()
    return user


def targets_for(world: World, rule: Rule, route: Route, actor: str) -> dict[str, Any]:
    """Fresh objects of the author's (and a fresh subject) for the parameters this rule takes."""
    user = world.users[actor]
    n = next(_counter)
    values: dict[str, Any] = {
        "slug": world.article_slug,
        "profile_id": world.author.profile_id,
        "filename": "css/site.css",
        "password": PASSWORD,
        "actor_email": user.email if user else "member-matrix@example.org",
        "new_email": f"new-{n}@example.org",
        "new_word": f"matrixword{n}",
    }
    wanted = set(rule.arguments) | set(route.params.values())
    body_text = repr(route.body)
    if "article_id" in wanted or "fresh_slug" in wanted:  # an article of its own, to publish or archive
        fresh = make_article(slug=f"matrix-fresh-{n}", title=f"Matrix fresh {n}")
        values["article_id"], values["fresh_slug"] = fresh.id, fresh.slug
    if "comment_id" in wanted or "{comment_id}" in body_text:
        approved = route.comment == "approved"
        comment = make_comment(
            db.session.get(Article, world.article_id),
            world.author.profile,
            # A comment a moderator is about to publish carries no private marker.
            "A published comment." if approved or "decide" in rule.endpoint else f"{PENDING_MARK} {n}",
            status={"approved": CommentStatus.APPROVED, "rejected": CommentStatus.REJECTED}.get(
                route.comment, CommentStatus.PENDING
            ),
        )
        values["comment_id"] = comment.id
    if "token_id" in wanted:
        values["token_id"] = token_service.create_token(world.author, TOKEN_MARK)[0].id
    if "session_id" in wanted:
        values["session_id"] = sessions.start(world.author, "pytest")[0].id
    if "user_id" in wanted or "subject_profile_id" in wanted:
        subject = make_subject(world)
        values["user_id"] = subject.id
        values["subject_profile_id"] = subject.profile_id
    if "redaction_id" in wanted:  # what the importer took out of a comment (seeding's moderators' page)
        from forum.seeding.models import ImportRedaction

        imported = make_comment(
            db.session.get(Article, world.article_id), world.author.profile, "[email address removed]"
        )
        redaction = ImportRedaction(
            comment_id=imported.id,
            rule="email",
            label="[email address removed]",
            start=0,
            source_start=0,
            source_end=1,
        )
        db.session.add(redaction)
        db.session.flush()
        values["redaction_id"] = redaction.id
    if "word_id" in wanted:
        word = BannedWord(word=f"removable{n}")
        db.session.add(word)
        db.session.flush()
        values["word_id"] = word.id
    db.session.commit()
    return values


def fill(template: Any, values: dict[str, Any]) -> Any:
    """Replace ``{name}`` placeholders inside a body (keeping numbers numbers)."""
    if isinstance(template, dict):
        return {k: fill(v, values) for k, v in template.items()}
    if isinstance(template, list):
        return [fill(v, values) for v in template]
    if isinstance(template, str):
        whole = re.fullmatch(r"\{(\w+)\}", template)
        if whole and not isinstance(values[whole.group(1)], str):
            return values[whole.group(1)]
        return template.format(**values)
    return template


def csrf_token(client: FlaskClient) -> str:
    """Fetch the session's CSRF token from a page that carries a form."""
    for page in ("/login", "/"):
        match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(page).get_data(as_text=True))
        if match:
            return match.group(1)
    raise AssertionError("no page offered a CSRF token")


def call(
    world: World, strict: Flask, rule: Rule, method: str, route: Route, actor: str, browsers: dict[str, Any]
) -> Any:
    """Make the request as ``actor`` and return the response."""
    values = targets_for(world, rule, route, actor)
    params = {name: values[route.params.get(name, name)] for name in rule.arguments}
    url = rule.build(params, append_unknown=False)[1]  # type: ignore[index]
    if route.query:
        url += "?" + route.query
    body = fill(route.body, values) if route.body is not None else None
    user = world.users[actor]
    if rule.rule.startswith("/api/"):
        client = strict.test_client()
        token = world.tokens[actor]
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return client.open(url, method=method, json=body, headers=headers)
    if actor not in browsers:
        client = log_in(strict.test_client(), user)
        browsers[actor] = (client, csrf_token(client))
    client, token = browsers[actor]
    if rule.endpoint.split(".")[0] in SESSION_CHANGING:
        del browsers[actor]  # this route may end or replace the session: the next one starts afresh
    data = dict(body or {})
    if method != "GET":
        data["csrf_token"] = token
    return client.open(url, method=method, data=data if method != "GET" else None)


def leaks(text: str, actor: str) -> list[str]:
    return [mark for mark, allowed in VISIBLE_TO.items() if actor not in allowed and mark in text]


def test_every_route_is_declared(app: Flask) -> None:
    """A new route cannot ship without saying who may use it; a removed one leaves no stale row."""
    existing = set(routes(app))
    undeclared = sorted(existing - set(DECLARATIONS))
    stale = sorted(set(DECLARATIONS) - existing)
    assert not undeclared, f"declare these in tests/security/authorisation_table.py: {undeclared}"
    assert not stale, f"these routes no longer exist; remove their rows: {stale}"


def test_every_actor_gets_the_declared_status_and_nothing_private(app: Flask) -> None:
    strict = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SECRET_KEY": "matrix",
            "RATELIMIT_ENABLED": False,
            "WTF_CSRF_ENABLED": True,
        }
    )
    world = build_world(app)
    problems: list[str] = []
    browsers: dict[str, Any] = {}  # actor -> a logged-in test client and its CSRF token
    calls = 0
    for (endpoint, method), rule in sorted(routes(strict).items()):
        route = DECLARATIONS.get((endpoint, method))
        if route is None:
            continue  # reported by test_every_route_is_declared
        for actor, expected in zip(ACTORS, route.expect, strict=True):
            response = call(world, strict, rule, method, route, actor, browsers)
            calls += 1
            where = f"{method} {rule.rule} ({endpoint}) as {actor}"
            text = response.get_data(as_text=True)
            if response.status_code != expected:
                problems.append(f"{where}: expected {expected}, got {response.status_code}: {text[:160]!r}")
            if route.login and actor == "anonymous" and response.status_code == 302:
                location = response.headers.get("Location", "")
                if "/login" not in location:
                    problems.append(f"{where}: sent to {location!r}, not to the login page")
            if endpoint not in NO_LEAK_CHECK and (found := leaks(text, actor)):
                problems.append(f"{where}: shows {found}")
    assert calls >= 8 * 80
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


def test_lists_never_include_another_members_things(app: Flask) -> None:
    """Tokens, sessions and notifications listed to a member are theirs alone (API and pages)."""
    world = build_world(app)
    author_sessions = {sessions.start(world.author, "pytest")[0].id}
    db.session.commit()
    for actor in ("member", "other_member", "suspended"):
        user = world.users[actor]
        assert user is not None
        headers = {"Authorization": f"Bearer {world.tokens[actor]}"}
        client = app.test_client()
        listed_tokens = client.get("/api/v1/tokens", headers=headers).get_json()
        assert listed_tokens and all(t["name"] != TOKEN_MARK for t in listed_tokens)
        listed_sessions = client.get("/api/v1/me/sessions", headers=headers).get_json()
        assert not author_sessions & {s["id"] for s in listed_sessions}
        notices = client.get("/api/v1/notifications", headers=headers).get_json()
        assert all(n["message"] != NOTIFICATION_MARK for n in notices)
        page = (
            log_in(app.test_client(), user).get(f"/profiles/{world.author.profile_id}").get_data(as_text=True)
        )
        assert TOKEN_MARK not in page and AUTHOR_EMAIL not in page
