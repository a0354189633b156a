"""Find and follow: the header's search box on every page, the feeds linked from an article, permalinks."""

from __future__ import annotations

import re

import pytest

from forum.platform.database import db
from tests.factories import make_article, make_comment, make_profile

SEARCH_BOX = re.compile(
    r'<form class="site-search" role="search" aria-label="Search the forum" method="get" action="/search">\s*'
    r'<label for="site-search-q" class="visually-hidden">Search articles and comments</label>\s*'
    r'<input id="site-search-q" name="q" type="search"'
)


@pytest.fixture
def article(app):
    found = make_article(slug="talk", title="Let's talk", body="About care homes.")
    db.session.commit()
    return found


@pytest.mark.parametrize("actor", ["anonymous", "member", "moderator"])
@pytest.mark.parametrize("address", ["/", "/articles/talk", "/search", "/login", "/no-such-page"])
def test_every_page_has_the_labelled_search_box_in_its_header(as_user, actors, article, actor, address):
    page = as_user(actors[actor]).get(address).get_data(as_text=True)
    header = page[page.index('<header class="site-header">') : page.index("</header>")]
    assert SEARCH_BOX.search(header)


def test_the_header_box_goes_to_the_search_page(as_user, article):
    make_comment(article, make_profile("Mark Duman"), body="Care homes need staff.")
    db.session.commit()
    response = as_user(None).get("/search?q=care+homes")
    assert response.status_code == 200 and "Let&#39;s talk" in response.get_data(as_text=True)


def test_the_article_links_its_feed_and_the_sites_in_the_head_and_near_the_thread(as_user, article):
    page = as_user(None).get("/articles/talk").get_data(as_text=True)
    head = page[: page.index("</head>")]
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Comments on Let&#39;s talk" '
        'href="/articles/talk/comments.atom">' in head
    )
    assert (
        'rel="alternate" type="application/atom+xml" title="New articles on the Health and care forum" '
        in head
    )
    follow = page[page.index('<div class="follow" id="follow">') : page.index('id="comments"')]
    assert 'href="/articles/talk/comments.atom"' in follow and 'href="/feeds/articles.atom"' in follow
    for feed in ("/articles/talk/comments.atom", "/feeds/articles.atom"):
        answer = as_user(None).get(feed)
        assert answer.status_code == 200 and answer.mimetype == "application/atom+xml"


def test_each_comments_number_is_its_permanent_address(as_user, article, member):
    comment = make_comment(article, make_profile("Mark Duman"), body="A point.")
    db.session.commit()
    for reader in (None, member):
        page = as_user(reader).get("/articles/talk").get_data(as_text=True)
        link = f'<a class="byline__number" href="http://forum.test/comments/{comment.id}"'
        assert link in page and f"Link to comment </span>#{comment.id}</a>" in page
    followed = as_user(None).get(f"/comments/{comment.id}")
    assert followed.status_code == 302 and followed.headers["Location"].endswith(
        f"/articles/talk#comment-{comment.id}"
    )
