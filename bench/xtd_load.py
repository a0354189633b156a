"""Load the benchmark thread into django-comments-xtd through its own write path, and make API tokens.

Runs in xtd's virtual environment: ``bench/.xtd-venv/bin/python bench/xtd_load.py SLUG N [SLUG N ...]``
(database from XTD_DATABASE; a slug ending in ``-anon`` gets the same thread from anonymous commenters:
same names and addresses, no user). Migrates, creates the 50 commenters (Django users, each with a DRF
token), then posts each workload comment the way xtd's API view does: its comment form validates
the data and builds the comment (``get_comment_object``), the member is set as its user, and
``views._create_comment`` saves it, where XtdComment.save computes thread_id, parent, level and
order (and bumps the ancestors' nested_count). Moderation signals are skipped, as Isso's loader
skips its guard. A thread already there is left alone. Prints the tokens as JSON, one per commenter.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "xtd"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xtdsite.settings")

import django  # noqa: E402

django.setup()

from articles.models import Article  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_comments import get_form  # noqa: E402
from django_comments.forms import CommentSecurityForm  # noqa: E402
from django_comments_xtd import get_model, views  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402
from workload import COMMENTERS, thread  # noqa: E402


def commenters() -> list[User]:
    """The 50 commenters as Django users (the same addresses as ours), found or created."""
    users = []
    for i in range(COMMENTERS):
        user, _ = User.objects.get_or_create(
            username=f"bench{i}", defaults={"email": f"bench{i}@bench.example", "first_name": f"Bench {i}"}
        )
        users.append(user)
    return users


def load(slug: str, n: int, users: list[User]) -> int:
    """Post the N-comment workload on ``slug`` unless it has comments already; return how many were posted."""
    article, _ = Article.objects.get_or_create(
        slug=slug, defaults={"title": f"Benchmark thread {slug}", "published_at": timezone.now()}
    )
    if get_model().objects.filter(object_pk=slug).exists():
        return 0
    secure = CommentSecurityForm(article)
    base = timezone.now() - timedelta(seconds=n)
    ids: list[int] = []
    with transaction.atomic():
        for spec in thread(n):
            user = users[spec.author]
            data = {
                "content_type": "articles.article",
                "object_pk": slug,
                "name": user.get_full_name(),
                "email": user.email,
                "url": "",
                "comment": spec.body,
                "followup": False,
                "reply_to": ids[spec.parent] if spec.parent is not None else 0,
                "honeypot": "",
                "timestamp": secure["timestamp"].value(),
                "security_hash": secure["security_hash"].value(),
            }
            form = get_form()(article, data=data)
            if not form.is_valid():
                raise RuntimeError(f"comment {spec.index}: {form.errors.as_json()}")
            comment = form.get_comment_object(site_id=1)
            if not slug.endswith("-anon"):
                comment.user = user
            comment.ip_address = "127.0.0.1"
            comment.submit_date = base + timedelta(seconds=spec.index)
            ids.append(views._create_comment(comment).id)
    return len(ids)


def main(pairs: list[str]) -> None:
    call_command("migrate", verbosity=0)
    users = commenters()
    for slug, n in zip(pairs[::2], pairs[1::2], strict=True):
        posted = load(slug, int(n), users)
        print(f"{slug}: {posted} comments posted" if posted else f"{slug}: already loaded", file=sys.stderr)
    print(json.dumps([Token.objects.get_or_create(user=user)[0].key for user in users]))


if __name__ == "__main__":
    main(sys.argv[1:])
