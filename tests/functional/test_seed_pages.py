"""The seeded pages as the originals had them: no invented dates, authors, honest role sources, order."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select, update

from forum.accounts.models import Profile, RoleSource
from forum.discussion.models import Article, Comment
from forum.platform.database import db
from forum.seeding.services.loader import load_seeds
from tests.conftest import SEEDS_DIR
from tests.seed_expectations import ARTICLES, ROLE_SOURCES

ALL_COMMENTS = {number for *_, comments in ARTICLES.values() for number in comments}


def test_no_seeded_comment_shows_a_date_on_its_page(seeded, client):
    for slug in ("shared-decision-making", "patient-centred-leadership"):
        html = client.get(f"/articles/{slug}").get_data(as_text=True)
        count = len(ARTICLES[slug][-1])
        assert html.count("date not recorded on the original page") == count
        assert html.count('class="comment"') + html.count('class="comment ') >= count
        today = datetime.now(UTC)
        assert f"{today.day} {today:%B %Y}" not in html  # the day of loading is nowhere


def test_the_api_gives_no_date_but_when_it_was_imported(seeded, client):
    thread = client.get("/api/v1/articles/shared-decision-making/comments").get_json()
    nodes = list(thread["comments"])
    seen = []
    while nodes:
        node = nodes.pop()
        seen.append(node["id"])
        assert node["created_at"] is None
        assert node["imported_at"] is not None
        nodes.extend(node["replies"])
    assert sorted(seen) == sorted(ARTICLES["shared-decision-making"][-1])
    one = client.get("/api/v1/comments/547780").get_json()
    assert one["created_at"] is None and one["imported_at"]


def test_seeded_comments_keep_the_page_order(seeded, client):
    html = client.get("/articles/patient-centred-leadership").get_data(as_text=True)
    positions = [html.index(f'id="comment-{n}"') for n in sorted(ARTICLES["patient-centred-leadership"][-1])]
    assert positions == sorted(positions)


def test_article_dates_only_where_the_page_gives_one(seeded, client):
    reading = client.get("/api/v1/articles/collaborative-leadership-reading-list").get_json()
    assert reading["original_date"] == "18 July 2023"
    assert reading["published_at"].startswith("2023-07-18")
    assert reading["imported_at"]
    for slug in ("shared-decision-making", "leading-from-behind", "patient-centred-care-conference"):
        body = client.get(f"/api/v1/articles/{slug}").get_json()
        assert body["original_date"] is None and body["published_at"] is None
    page = client.get("/articles/collaborative-leadership-reading-list").get_data(as_text=True)
    assert "First published 18 July 2023" in page
    assert "First published" not in client.get("/articles/leading-from-behind").get_data(as_text=True)


def test_the_list_orders_by_original_date_then_by_load_order(seeded, client):
    items = client.get("/api/v1/articles").get_json()["items"]
    slugs = [i["slug"] for i in items]
    assert slugs[0] == "collaborative-leadership-reading-list"  # the only one with a date
    undated = [e for e in slugs[1:]]
    # The rest in the order they were loaded, the latest loaded first (ties broken by number).
    ids = {s: db.session.scalar(select(Article.id).where(Article.slug == s)) for s in undated}
    assert undated == sorted(undated, key=lambda s: -ids[s])
    html = client.get("/").get_data(as_text=True)
    assert html.index("/articles/collaborative-leadership-reading-list") < html.index(
        "/articles/leading-from-behind"
    )


def test_an_article_written_here_lists_above_the_undated_pages(seeded, client):
    article = Article(
        slug="new-one",
        title="New one",
        kind="blog_post",
        body="Text.",
        body_html="<p>Text.</p>",
        state="published",
    )
    db.session.add(article)
    db.session.commit()
    slugs = [i["slug"] for i in client.get("/api/v1/articles").get_json()["items"]]
    assert slugs[:2] == ["new-one", "collaborative-leadership-reading-list"]
    article.original_date, article.original_date_sort = "1 May 2019", date(2019, 5, 1)
    db.session.commit()
    slugs = [i["slug"] for i in client.get("/api/v1/articles").get_json()["items"]]
    assert slugs[:2] == ["collaborative-leadership-reading-list", "new-one"]


def test_feeds_invent_no_dates(seeded, client):
    feed = client.get("/articles/shared-decision-making/comments.atom").get_data(as_text=True)
    assert "<published>" not in feed  # neither the comments nor their article have a date
    feed = client.get("/feeds/articles.atom").get_data(as_text=True)
    assert feed.count("<published>") == 1 and "<published>2023-07-18" in feed
    assert "<author><name>Thomas Dahlborg</name></author>" in feed
    assert "<author><name>Marcus Powell</name></author>" in feed


def test_the_shared_decision_making_byline_links_to_marcus_and_his_comment_is_the_authors(seeded, client):
    marcus = db.session.get(Comment, 547780)
    article = db.session.scalar(select(Article).where(Article.slug == "shared-decision-making"))
    assert article.byline_profile_id == marcus.author_id
    assert (article.byline_name, article.byline_description) == (
        "Marcus Powell",
        "Director of Leadership, The King's Fund",
    )
    html = client.get("/articles/shared-decision-making").get_data(as_text=True)
    assert f'By <a href="/profiles/{marcus.author_id}">Marcus Powell</a>' in html
    badge_at = html.index('class="badge badge--author"')
    assert html.rindex('id="comment-', 0, badge_at) == html.index('id="comment-547780"')
    assert html.count('class="badge badge--author"') == 1
    thread = client.get("/api/v1/articles/shared-decision-making/comments").get_json()
    flat = [thread["comments"][1]["replies"][0]] if thread["comments"][1]["replies"] else []
    assert any(n["id"] == 547780 and n["article_author"] for n in flat)


def test_the_guest_posts_byline_is_the_name_with_a_description(seeded, client):
    body = client.get("/api/v1/articles/leading-from-behind").get_json()
    assert body["byline_name"] == "Thomas Dahlborg"
    assert body["byline_description"].startswith(
        "chief financial officer and vice president of strategy for NICHQ"
    )
    html = client.get("/articles/leading-from-behind").get_data(as_text=True)
    assert "Guest post by Thomas Dahlborg<span" in html


def test_search_finds_articles_by_their_byline(seeded, client):
    found = client.get("/api/v1/search?q=Dahlborg").get_json()
    assert [a["slug"] for a in found["articles"]] == ["leading-from-behind"]


def test_role_sources_per_commenter_in_the_api_and_the_badge(seeded, client):
    for number in ALL_COMMENTS:
        comment = db.session.get(Comment, number)
        profile = db.session.get(Profile, comment.author_id)
        assert profile.role_source.value == ROLE_SOURCES[number], number
        author = client.get(f"/api/v1/comments/{number}").get_json()["author"]
        assert author["role_source"] == ROLE_SOURCES[number]
    html = client.get("/articles/patient-centred-leadership").get_data(as_text=True)
    assert (
        'Patient leader<span class="badge__source"><span class="visually-hidden">, role </span>stated on original page'
        in html
    )
    assert (
        'Manager<span class="badge__source"><span class="visually-hidden">, role </span>inferred from job title'
        in html
    )
    assert (
        'Clinician<span class="badge__source"><span class="visually-hidden">, role </span>inferred from job title'
        in html
    )


def test_loading_twice_changes_nothing_and_an_older_database_is_brought_in_line(seeded, client):
    snapshot = lambda: sorted(  # noqa: E731
        (c.id, c.body, c.body_html, c.imported_at, c.created_at) for c in db.session.scalars(select(Comment))
    )
    before = snapshot()
    report = load_seeds(SEEDS_DIR)
    db.session.commit()
    assert not report.changed and snapshot() == before
    # A database loaded before this: roles all "source", the byline unlinked, the old rendering.
    db.session.execute(
        update(Profile).where(Profile.source_key.like("seed:%")).values(role_source=RoleSource.SOURCE)
    )
    db.session.execute(update(Article).values(byline_profile_id=None))
    db.session.execute(update(Comment).where(Comment.id == 547792).values(body_html="<p>old</p>"))
    db.session.commit()
    load_seeds(SEEDS_DIR)
    db.session.commit()
    assert snapshot() == before
    assert (
        db.session.get(Profile, db.session.get(Comment, 40469).author_id).role_source == RoleSource.INFERRED
    )
    assert db.session.scalar(
        select(Article.byline_profile_id).where(Article.slug == "shared-decision-making")
    )


def test_a_verified_role_survives_loading_again(seeded):
    profile = db.session.get(Profile, db.session.get(Comment, 40469).author_id)
    profile.role_source = RoleSource.VERIFIED
    db.session.commit()
    load_seeds(SEEDS_DIR)
    db.session.commit()
    assert db.session.get(Profile, profile.id).role_source == RoleSource.VERIFIED


def test_the_mid_staffs_wrap_is_one_sentence(seeded, client):
    kevin = db.session.get(Comment, 547792)
    assert "run by the Mid Staffs NHS Foundation Trust was that" in kevin.body_html
    assert "Mid Staffs NHS\n\nFoundation Trust" in kevin.body  # the source text is kept
    assert "and doctors. .#</p>" in kevin.body_html  # a real paragraph end stays one
