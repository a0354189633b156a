"""Build a forum with people and comments in every state, for the browser tests and the screenshots.

Everything goes through the same services the application uses, inside one app context:
the five seed articles, a moderator and an admin, a member with a pending, a rejected, a
redacted and a published comment (with a very long link and word), a reply awaiting
moderation, a reported comment, a comment held for a banned word, a verified role and a
suspended member with a private note; and a member whose 28 links wait in the queue, so that
it runs to a second page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import select

from forum.accounts.models import Access, Consent, Profile, SanctionKind, User
from forum.accounts.services import accounts
from forum.accounts.services.viewer import Viewer
from forum.discussion.models import Article, Comment
from forum.discussion.services import articles, posting
from forum.moderation.services import banned_words, decisions, notes, reports, sanctions, verification
from forum.platform.database import db
from forum.seeding.services.loader import load_seeds
from tests.conftest import SEEDS_DIR

PASSWORD = "a long browser-test password"
ARTICLE = "shared-decision-making"  # Mark Duman's #547779 has Marcus powell's reply #547780
LONG_WORD = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 2
QUEUE_FILLER = 28
LONG_URL = "https://www.example.org/" + "/".join(["a-very-long-path-segment-about-shared-decisions"] * 4)


@dataclass(frozen=True)
class Person:
    """An account the browser can log in as."""

    key: str
    email: str
    name: str
    user_id: int
    profile_id: int
    password: str = PASSWORD


@dataclass
class Scenario:
    """What was built: people by key, and the ids of comments in interesting states."""

    people: dict[str, Person] = field(default_factory=dict)
    comments: dict[str, int] = field(default_factory=dict)
    profiles: dict[str, int] = field(default_factory=dict)


def _account(key: str, name: str, access: Access = Access.MEMBER, **profile: str) -> tuple[User, Person]:
    user = accounts.register(
        {
            "email": f"{key}@example.org",
            "password": PASSWORD,
            "display_name": name,
            "role": profile.get("role", "other"),
            "job_title": profile.get("job_title"),
            "organisation": profile.get("organisation"),
        },
        access=access,
    )
    return user, Person(key, user.email, name, user.id, user.profile_id)


def _post(user: User, viewer: Viewer, article: Article, text: str, parent_id: int | None) -> Comment:
    return posting.post_comment(user, viewer, article.slug, text, parent_id)


def _viewer(user: User) -> Viewer:
    return Viewer(user.id, user.profile_id, user.is_moderator, user.access == Access.ADMIN)


def _decide(moderator: User, comment_id: int, **data: str) -> None:
    decisions.decide(moderator, comment_id, decisions.parse_decision(data))


def build(app: Flask) -> Scenario:
    """Migrate an empty database, load the seeds and add people and comments in every state."""
    built = Scenario()
    with app.app_context():
        upgrade()
        load_seeds(SEEDS_DIR)
        moderator, built.people["moderator"] = _account(
            "moderator", "Morgan Moderator", Access.MODERATOR, role="staff", job_title="Community moderator"
        )
        admin, built.people["admin"] = _account("admin", "Ada Admin", Access.ADMIN, role="staff")
        _, built.people["editor"] = _account("editor", "Eddie Editor", Access.EDITOR, role="staff")
        member, built.people["member"] = _account(
            "member",
            "Sam Carer",
            role="carer",
            job_title="Unpaid carer for my father",
            organisation="Leeds Carers Network",
        )
        reporter, built.people["reporter"] = _account(
            "reporter", "Riley Reader", role="patient", job_title="Patient representative"
        )
        suspended, built.people["suspended"] = _account(
            "suspended", "Sid Suspended", role="manager", organisation="A large NHS trust"
        )
        busy, built.people["busy"] = _account(
            "busy", "Pat Poster", role="researcher", job_title="PhD student", organisation="A university"
        )
        returning, built.people["returning"] = _account("returning", "Rae Returning", role="patient")
        db.session.flush()
        # agreed to an earlier privacy notice when joining: asked again (the agree-again page)
        db.session.add(Consent(user_id=returning.id, notice="privacy", version="2025-01-01"))
        db.session.add(Consent(user_id=returning.id, notice="house-rules", version="2025-01-01"))

        article = articles.get_article(ARTICLE)
        post = _post
        said = post(
            member, _viewer(member), article, "As a carer, *being listened to* changes everything.", None
        )
        rejected = post(member, _viewer(member), article, "Ring me on 07700 900123 to talk about it.", None)
        _decide(
            moderator,
            rejected.id,
            action="reject",
            reason="personal_data",
            note="Please leave out phone numbers.",
        )
        long = post(
            member,
            _viewer(member),
            article,
            f"The evidence is collected at {LONG_URL} and the word of the day is {LONG_WORD}.",
            None,
        )
        _decide(moderator, long.id, action="approve")
        redacted = post(
            member, _viewer(member), article, "My GP, Dr Jones at the Park Surgery, was rude.", None
        )
        _decide(
            moderator,
            redacted.id,
            action="redact",
            body="My GP was rude to me, and I did not know how to say so.",
            note="We took out the doctor's name.",
        )
        reply = post(member, _viewer(member), article, "Thank you, Mark: this matches what we see.", 547779)

        # Enough held comments (links from a new member) that the queue needs a second page.
        report = articles.get_article("patient-centred-leadership")
        for n in range(1, QUEUE_FILLER + 1):
            post(busy, _viewer(busy), report, f"Reading {n} on this: https://example.org/reading/{n}", None)

        banned_words.add_word(admin, "miracle cure")
        held = post(
            reporter,
            _viewer(reporter),
            article,
            "Has anyone here tried the miracle cure they sell online?",
            None,
        )
        # Someone who may be at risk: held for a person to read first, with help shown to the writer.
        at_risk = post(
            reporter,
            _viewer(reporter),
            article,
            "Some nights I feel like I can't go on any more and I want to end my life.",
            None,
        )
        reports.flag(reporter, 547792, "misinformation", "This is not what the report says at all.")
        reports.flag(member, 547792, "other", None)

        marcus = db.session.scalar(select(Profile).where(Profile.display_name == "Marcus powell"))
        assert marcus is not None
        verification.verify_role(moderator, marcus, "Staff page on the publisher's website")
        sanctions.sanction(moderator, suspended, SanctionKind.SUSPENSION, "Repeated personal attacks.", 7)
        notes.add_note(moderator, suspended, "Warned twice before the suspension.")
        db.session.commit()

        built.comments = {
            "pending": said.id,
            "rejected": rejected.id,
            "long": long.id,
            "redacted": redacted.id,
            "reply": reply.id,
            "held": held.id,
            "at_risk": at_risk.id,
            "reported": 547792,
        }
        built.profiles = {"marcus": marcus.id}
    return built
