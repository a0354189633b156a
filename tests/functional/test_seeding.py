"""Load the seeds into a real database: fidelity, idempotency, broken documents, id sequences."""

from __future__ import annotations

import shutil

from sqlalchemy import func, select

from forum.accounts.models import Profile, RoleSource
from forum.discussion.models import Article, ArticleState, Comment, CommentsMode, CommentStatus, RejectReason
from forum.platform.database import db
from forum.seeding.services.loader import load_seeds
from tests.conftest import SEEDS_DIR
from tests.factories import make_comment, make_profile
from tests.seed_expectations import ARTICLES, REDACTED, ROLE_SOURCES


def snapshot():
    tables = [Article, Profile, Comment]
    return {
        t.__tablename__: sorted(
            tuple(getattr(row, c.key) for c in t.__table__.columns) for row in db.session.scalars(select(t))
        )
        for t in tables
    }


def test_seed_loads_every_article_and_comment_field_by_field(seeded):
    for slug, (_f, title, subtitle, byline, kind, first, last, bullets, comments) in ARTICLES.items():
        article = db.session.scalar(select(Article).where(Article.slug == slug))
        assert (article.title, article.subtitle, article.kind.value) == (title, subtitle, kind)
        assert (article.byline_name or "").startswith(byline or "")
        assert article.body.startswith(first) and article.body.endswith(last)
        assert article.body_html.count("<li>") == bullets
        assert article.state == ArticleState.PUBLISHED and article.comments_mode == CommentsMode.OPEN
        rows = db.session.scalars(
            select(Comment).where(Comment.article_id == article.id).order_by(Comment.id)
        ).all()
        assert [c.id for c in rows] == sorted(comments)
        for comment in rows:
            name, job, org, role, reply_to, paragraphs, start, end = comments[comment.id]
            author = db.session.get(Profile, comment.author_id)
            assert (author.display_name, author.job_title, author.organisation) == (name, job, org)
            assert (author.role.value, author.role_source) == (role, RoleSource(ROLE_SOURCES[comment.id]))
            assert comment.parent_id == reply_to
            assert comment.status == CommentStatus.APPROVED
            if comment.id in REDACTED:  # the published text has a label where the personal data was
                data, label = REDACTED[comment.id]
                start, end = start.replace(data, label), end.replace(data, label)
            assert comment.body.startswith(start) and comment.body.endswith(end)
            # A blank line inside a hard-wrapped sentence is read as a wrap: #547792 has one.
            assert comment.body_html.count("<p>") == paragraphs - (comment.id == 547792)


def test_counts_match_the_pages(seeded):
    counts = dict(
        db.session.execute(
            select(Article.slug, func.count(Comment.id)).outerjoin(Comment).group_by(Article.slug)
        ).all()
    )
    assert counts == {
        "shared-decision-making": 6,
        "patient-centred-leadership": 7,
        "leading-from-behind": 0,
        "collaborative-leadership-reading-list": 0,
        "patient-centred-care-conference": 0,
    }
    assert db.session.scalar(select(func.count(Profile.id))) == 13


def test_second_run_changes_nothing(seeded):
    before = snapshot()
    report = load_seeds(SEEDS_DIR)
    db.session.commit()
    assert not report.changed and not report.errors
    assert snapshot() == before


def test_second_run_leaves_moderators_decisions_alone(seeded):
    comment = db.session.get(Comment, 547796)
    comment.status = CommentStatus.REMOVED
    comment.reject_reason = RejectReason.ABUSIVE
    db.session.commit()
    load_seeds(SEEDS_DIR)
    db.session.commit()
    assert db.session.get(Comment, 547796).status == CommentStatus.REMOVED


def test_same_commenter_twice_is_one_profile(app, tmp_path):
    (tmp_path / "manifest.toml").write_text(
        '[[document]]\nfile = "a.txt"\nslug = "a"\nkind = "blog_post"\n'
        '[[document]]\nfile = "b.txt"\nslug = "b"\nkind = "report"\n'
    )
    (tmp_path / "a.txt").write_text(
        "A\n\nBody.\n\nComments\n\n#901 Jo Bloggs\nNurse\nTrust\n\nOne.\n\n"
        "#902 Jo Bloggs\nNurse\nTrust\n\nTwo.\n"
    )
    (tmp_path / "b.txt").write_text("B\n\nBody.\n\nComments\n\n#903 Jo  Bloggs\nNurse\nTrust\n\nThree.\n")
    report = load_seeds(tmp_path)
    db.session.commit()
    assert not report.errors
    authors = set(db.session.scalars(select(Comment.author_id)))
    assert len(authors) == 1


def test_a_malformed_document_loads_nothing_and_the_others_load(app, tmp_path):
    for path in SEEDS_DIR.iterdir():
        shutil.copy(path, tmp_path / path.name)
    broken = tmp_path / "patient-centred-leadership.txt"
    broken.write_text(broken.read_text().replace("#40469 Harry Longman", "#40468 Harry Longman"))
    report = load_seeds(tmp_path)
    db.session.commit()
    assert report.errors == [
        "patient-centred-leadership.txt:64: comment #40468 repeats the number first used on line 58"
    ]
    slugs = set(db.session.scalars(select(Article.slug)))
    assert "patient-centred-leadership" not in slugs
    assert len(slugs) == 4
    assert db.session.scalar(select(func.count(Comment.id))) == 6
    assert db.session.get(Comment, 40464) is None


def test_a_document_missing_a_comment_header_is_reported(runner, tmp_path):
    for path in SEEDS_DIR.iterdir():
        shutil.copy(path, tmp_path / path.name)
    broken = tmp_path / "shared-decision-making.txt"
    broken.write_text(broken.read_text().replace("#547775 Leigh Powell\n", ""))
    result = runner.invoke(args=["seed", "--dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "shared-decision-making.txt:31: expected a '#NUMBER Name' line" in result.output
    assert "1 document(s) not loaded" in result.output
    assert db.session.scalar(select(func.count(Article.id))) == 4
    assert db.session.scalar(select(func.count(Comment.id))) == 7


def test_new_comments_do_not_collide_with_seeded_numbers(seeded):
    article = db.session.scalar(select(Article).where(Article.slug == "shared-decision-making"))
    comment = make_comment(article, make_profile())
    db.session.commit()
    assert comment.id > 547796


def test_seed_command_twice_reports_unchanged(runner):
    first = runner.invoke(args=["seed"])
    assert first.exit_code == 0, first.output
    assert (
        "loaded    shared-decision-making.txt -> /articles/shared-decision-making (6 new comments"
        in first.output
    )
    second = runner.invoke(args=["seed"])
    assert second.exit_code == 0
    assert second.output.count("unchanged") == 5


def test_hard_wrapped_lines_read_as_paragraphs_but_the_source_text_is_kept(seeded):
    kevin = db.session.get(Comment, 547792)
    assert "root cause of\nthe “preventable” deaths" in kevin.body  # stored exactly as the page has it
    assert "root cause of the “preventable” deaths" in kevin.body_html
    assert "root cause of<br" not in kevin.body_html
    mark = db.session.get(Comment, 547779)  # short lines and a signature keep their breaks
    assert mark.body_html.count("<br") == 4
