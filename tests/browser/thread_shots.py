"""Save screenshots of a 200-comment thread: each order, folded, filtered by role, with "New" markers.

    .venv/bin/python -m tests.browser.thread_shots [OUT]     (default /tmp/thread-shots)

Builds the browser tests' seeded scenario in a throwaway SQLite file, adds a 200-comment thread by
ten people of different roles over nine days, lets the scenario's member read it, ages that visit
by 30 hours, and photographs the pages at 390 px and 1280 px. Never committed: look at them.
"""

from __future__ import annotations

import random
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import sync_playwright
from sqlalchemy import update

from forum.accounts.models import Role
from forum.discussion.models import ThreadVisit
from forum.platform.database import db
from tests.browser import scenario
from tests.browser.pages import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE, log_in, make_app, serve
from tests.factories import make_article, make_comment, make_profile

WORDS = (
    "care plan ward discharge carer nurse waiting list community support appointment letter GP family home"
)
PEOPLE = (
    ("Mark Duman", Role.PATIENT_LEADER),
    ("Asha Patel", Role.CARER),
    ("Dr Helen Ward", Role.CLINICIAN),
    ("Tom Reid", Role.PATIENT),
    ("Jo Ellis", Role.NED),
    ("Priya Nair", Role.STAFF),
    ("Sam Cole", Role.OTHER),
    ("Ruth Gale", Role.CLINICIAN),
    ("Ben Ode", Role.PATIENT),
    ("Kim Lau", Role.MANAGER),
)
PAGES = (
    ("default", "/articles/long-talk#comments", False),
    ("replies", "/articles/long-talk?sort=replies#comments", False),
    ("newest", "/articles/long-talk?sort=newest#comments", False),
    ("patients-carers", "/articles/long-talk?roles=carer,patient,patient_leader#comments", False),
    ("member-new", "/articles/long-talk#comments", True),
)


def _thread() -> None:
    rnd = random.Random(7)
    words = WORDS.split()
    article = make_article(slug="long-talk", title="Two hundred voices on discharge from hospital")
    people = [make_profile(name, role) for name, role in PEOPLE]
    start = datetime.now(UTC) - timedelta(days=9)
    made = []
    for i in range(200):
        parent = rnd.choice(made[-12:]) if made and rnd.random() < 0.55 else None
        if parent is not None and parent.depth >= 4:
            parent = None
        text = " ".join(rnd.choice(words) for _ in range(rnd.randint(12, 40))).capitalize() + "."
        comment = make_comment(article, rnd.choice(people), text, parent=parent)
        comment.created_at = start + timedelta(minutes=60 * i + rnd.randint(0, 50))
        made.append(comment)
    db.session.commit()


def main(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="forum-thread-shots-"))
    app = make_app(folder / "forum.db")
    built = scenario.build(app)
    with app.app_context():
        _thread()
    member = built.people["member"]
    saved = []
    with serve(app) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context()
        page = context.new_page()
        log_in(page, base, member.email, member.password)
        page.goto(f"{base}/articles/long-talk")  # the visit the next one is measured from
        state = str(folder / "member.json")
        context.storage_state(path=state)
        context.close()
        with app.app_context():
            db.session.execute(update(ThreadVisit).values(seen_at=datetime.now(UTC) - timedelta(hours=30)))
            db.session.commit()
        for name, path, as_member in PAGES:
            for width, size in (("phone", PHONE), ("desktop", DESKTOP)):
                context = browser.new_context(viewport=size, storage_state=state if as_member else None)
                page = context.new_page()
                page.goto(base + path)
                shots = [(f"t200-{name}--{width}.png", None)]
                if name == "default":
                    shots.append(
                        (f"t200-folds--{width}.png", "document.querySelectorAll('.thread__fold')[6]")
                    )
                for filename, target in shots:
                    if target:
                        page.evaluate(f"{target}?.scrollIntoView()")
                    page.screenshot(path=str(out / filename))
                    saved.append(out / filename)
                if name == "member-new":
                    page.click("#new-since a")  # to the first new comment, on whichever page holds it
                    page.wait_for_load_state()
                    page.evaluate("document.querySelector('.badge--new')?.scrollIntoView({block: 'center'})")
                    page.screenshot(path=str(out / f"t200-new-marker--{width}.png"))
                    saved.append(out / f"t200-new-marker--{width}.png")
                context.close()
        browser.close()
    return saved


if __name__ == "__main__":
    for path in main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/thread-shots")):
        print(path)
