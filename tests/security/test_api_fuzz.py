"""Fuzz the whole JSON API from its OpenAPI document with schemathesis, in-process.

Every operation in /api/v1/openapi.json gets generated requests - valid ones and deliberately
invalid ones - as an anonymous caller, as a member (bearer token) and as a moderator. Each
answer must be no 5xx, a status the document lists for that operation, a body that matches the
documented schema for that status, the documented content type and headers. Half of the
examples use real path parameters (a seeded article, the member's own comment, their token ...)
so the generated bodies reach the views' success paths rather than stopping at a 404.

Bounded and repeatable: a fixed number of examples per operation and ``derandomize=True``, so
the same requests are sent on every run. SQLite gets the full pass; PostgreSQL a smaller one
(same views, same generated values - what differs there is how the driver and the database
take them: integer ranges, NUL bytes, encodings, which the boundary-biased generation reaches
within the first examples).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import select

from forum import create_app
from forum.accounts.models import Access
from forum.accounts.services import tokens
from forum.discussion.models import Article, CommentStatus
from forum.moderation.models import BannedWord
from forum.platform.database import db
from forum.seeding.services.loader import load_seeds
from tests.conftest import SEEDS_DIR, create_user
from tests.factories import make_comment

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
    response_headers_conformance,
]
# Examples per operation: (backend, actor) -> count; PostgreSQL gets a smaller pass (module docstring).
EXAMPLES = {"sqlite": 20, "postgresql": 10, "postgresql-moderator": 5}
METHOD_ORDER = {"GET": 0, "POST": 1, "PUT": 2, "PATCH": 3, "DELETE": 4}  # destructive calls last


def fuzz_app(database_url: str) -> Flask:
    """The app as deployed, with CSRF on and rate limits off (429s would only be noise)."""
    return create_app(
        {"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": False, "SECRET_KEY": "fuzz"}
    )


def populate() -> dict[str, Any]:
    """Seed articles and make the people and objects the real path parameters point at."""
    load_seeds(SEEDS_DIR)
    member = create_user("fuzz-member@example.org", "Fuzz Member")
    moderator = create_user("fuzz-mod@example.org", "Fuzz Moderator", access=Access.MODERATOR, role="staff")
    other = create_user("fuzz-other@example.org", "Fuzz Other")
    article = db.session.scalars(select(Article).order_by(Article.id)).first()
    assert article is not None
    own = make_comment(article, member.profile, "The member's own comment.", status=CommentStatus.PENDING)
    make_comment(article, other.profile, "Another member's comment.")
    word = BannedWord(word="fuzzword")
    db.session.add(word)
    _, member_secret = tokens.create_token(member, "fuzzing")
    spare, _ = tokens.create_token(member, "to revoke")
    _, moderator_secret = tokens.create_token(moderator, "fuzzing")
    db.session.commit()
    return {
        "secrets": {"anonymous": None, "member": member_secret, "moderator": moderator_secret},
        "path": {
            "slug": article.slug,
            "comment_id": own.id,
            "profile_id": member.profile_id,
            "user_id": other.id,
            "token_id": spare.id,
            "word_id": word.id,
        },
    }


def strategy_for(operation: Any, real: dict[str, Any]) -> Any:
    """Generated requests, valid and invalid; half of them with real path parameters."""
    names = [p.name for p in operation.path_parameters]
    modes = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    options = [operation.as_strategy(generation_mode=mode) for mode in modes]
    if names and all(name in real for name in names):
        fixed = {name: real[name] for name in names}
        options += [operation.as_strategy(generation_mode=mode, path_parameters=fixed) for mode in modes]
    return st.one_of(options)


def run_fuzz(app: Flask, actor: str, examples: int) -> tuple[dict[str, str], dict[str, Counter[int]]]:
    """Fuzz every operation as ``actor``; return the failures and the statuses seen per operation."""
    with app.app_context():
        data = populate()
    secret = data["secrets"][actor]
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = sorted(
        (result.ok() for result in schema.get_all_operations()),
        key=lambda op: (METHOD_ORDER.get(op.method.upper(), 9), op.path),
    )
    assert len(operations) >= 25, "the OpenAPI document lost operations"
    failures: dict[str, str] = {}
    seen: dict[str, Counter[int]] = {}
    for operation in operations:
        statuses = seen.setdefault(operation.label, Counter())

        @given(case=strategy_for(operation, data["path"]))
        @settings(
            max_examples=examples,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate, Phase.shrink],
            suppress_health_check=list(HealthCheck),
        )
        def call(case: Any) -> None:
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            statuses[response.status_code] += 1

        try:
            call()
        except BaseException as exc:  # schemathesis reports a group of failures
            if isinstance(exc, KeyboardInterrupt):
                raise
            failures[operation.label] = str(exc)[:3000]
    return failures, seen


@pytest.mark.parametrize("actor", ["anonymous", "member", "moderator"])
def test_every_operation_answers_as_documented(app: Flask, database_url: str, actor: str) -> None:
    """No 5xx, and status, body, content type and headers as the OpenAPI document says."""
    backend = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    examples = EXAMPLES.get(f"{backend}-{actor}", EXAMPLES[backend])
    failures, seen = run_fuzz(fuzz_app(database_url), actor, examples)
    report = "\n\n".join(f"=== {label}\n{text}" for label, text in failures.items())
    assert not failures, f"{len(failures)} operation(s) broke their contract as {actor}:\n{report}"
    # The fuzzing reached past the guards: some calls succeeded, not only 401s and 404s.
    successes = sum(1 for statuses in seen.values() if any(200 <= s < 300 for s in statuses))
    assert successes >= {"anonymous": 5, "member": 15, "moderator": 20}[actor], seen
