"""Readers see, per thread, how many comments moderators removed and why; the policy page says how."""

from __future__ import annotations

from forum.discussion.models import CommentStatus, RejectReason
from forum.platform.database import db
from tests.factories import make_article, make_comment, make_profile


def test_each_thread_counts_removals_by_reason_without_saying_which(client):
    article = make_article(slug="talk")
    author = make_profile("Hidden Author")
    for reason in (RejectReason.PERSONAL_DATA, RejectReason.PERSONAL_DATA, RejectReason.SAFEGUARDING):
        comment = make_comment(article, author, f"secret {reason}", status=CommentStatus.REMOVED)
        comment.reject_reason = reason
    make_comment(article, author, "A published one.")
    make_article(slug="quiet")
    db.session.commit()
    page = client.get("/articles/talk").get_data(as_text=True)
    assert (
        "Moderators did not publish or took down 3 comments here: personal data (2), safeguarding (1)."
        in page
    )
    assert "secret" not in page
    assert "No comment here has been removed by a moderator." in client.get("/articles/quiet").get_data(
        as_text=True
    )


def test_the_policy_page_lists_the_reasons_and_every_comment_form_links_to_it(client, as_user, member):
    make_article(slug="talk")
    db.session.commit()
    policy = client.get("/moderation/policy")
    assert policy.status_code == 200
    text = policy.get_data(as_text=True)
    for label in ("Safeguarding", "Impersonation", "Personal data", "Off topic"):
        assert f"<dt>{label}</dt>" in text
    assert "appeal once" in text
    thread = as_user(member).get("/articles/talk").get_data(as_text=True)
    assert thread.count('href="/moderation/policy"') >= 2  # the counts line and the comment form


def test_decisions_cite_the_two_new_reasons(as_user, member, moderator):
    make_article(slug="talk")
    db.session.commit()
    for reason in ("safeguarding", "impersonation"):
        posted = (
            as_user(member)
            .post("/api/v1/articles/talk/comments", json={"body": f"About {reason}"})
            .get_json()
        )
        answer = as_user(moderator).post(
            f"/api/v1/moderation/comments/{posted['id']}/decision",
            json={"action": "reject", "reason": reason},
        )
        assert answer.status_code == 200 and answer.get_json()["reject_reason"] == reason
    refused = as_user(moderator).post(
        f"/api/v1/moderation/comments/{posted['id']}/decision",
        json={"action": "reject", "reason": "rudeness"},
    )
    assert refused.status_code == 422
