"""Hole 12: the count a thread response gives agrees with the comments it carries, even when another
writer publishes a comment between the reads (both are read in one statement, one snapshot)."""

from __future__ import annotations

import pytest
from sqlalchemy import event, text

from forum.discussion.models import CommentStatus
from forum.platform.database import db
from tests.factories import make_article, make_comment, make_profile


def all_nodes(nodes):
    for node in nodes:
        yield node
        yield from all_nodes(node["replies"])


@pytest.fixture
def racing(app):
    """A thread with one public comment, and a held one another writer publishes mid-read."""
    article = make_article(slug="talk")
    author = make_profile("Pat Public")
    make_comment(article, author, "Already public.")
    held = make_comment(article, author, "Published during the read.", status=CommentStatus.PENDING)
    db.session.commit()
    state = {"done": False}

    def publish_meanwhile(conn, cursor, statement, parameters, context, executemany):
        if state["done"] or "page" not in statement or "UNION ALL" not in statement.upper():
            return
        state["done"] = True
        with db.engine.connect() as other:  # another request, committing between our two reads
            other.execute(text("UPDATE comments SET status = 'approved' WHERE id = :id"), {"id": held.id})
            other.execute(
                text(
                    "UPDATE articles SET comment_count = comment_count + 1, thread_version = thread_version + 1 "
                    "WHERE id = :id"
                ),
                {"id": article.id},
            )
            other.commit()

    event.listen(db.engine, "before_cursor_execute", publish_meanwhile)
    yield state
    event.remove(db.engine, "before_cursor_execute", publish_meanwhile)


@pytest.mark.parametrize("url", ["/api/v1/articles/talk/comments", "/articles/talk"])
def test_the_count_agrees_with_the_comments_shown(client, racing, url):
    response = client.get(url)
    assert response.status_code == 200 and racing["done"]
    if url.startswith("/api"):
        body = response.get_json()
        assert body["count"] == len(list(all_nodes(body["comments"])))
    else:
        page = response.get_data(as_text=True)
        shown = page.count('class="comment__body')
        assert f"{shown} comment" in page, (shown, page[:2000])
