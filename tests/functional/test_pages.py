"""Every reading page in the browser's view: lists, threads, profiles, redirects, errors."""

from __future__ import annotations

import re

from sqlalchemy import select

from forum.discussion.models import Comment, CommentStatus
from forum.platform.database import db
from tests.factories import make_article, make_comment, make_profile


def test_index_lists_articles_with_kind_summary_and_public_count(client, seeded):
    page = client.get("/").get_data(as_text=True)
    assert "Challenging traditional relationships and embracing shared decision-making" in page
    assert "Reading list" in page and "Guest post" in page and "Report" in page
    assert "6 comments" in page and "7 comments" in page and page.count("0 comments") == 3
    assert "The NHS Confederation conference last week was a busy affair" in page


def test_article_page_shows_body_and_nested_thread(client, seeded):
    response = client.get("/articles/shared-decision-making")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<h1 id="article-title">Challenging traditional relationships' in page
    assert 'By <a href="/profiles/' in page and ">Marcus Powell</a>" in page
    assert "Keep up to date" not in page and "Add new comment" not in page
    assert page.count('class="comment"') == 6
    for number in (547775, 547779, 547780, 547786, 547792, 547796):
        assert f'id="comment-{number}"' in page
        assert f'/comments/{number}" data-permalink=' in page  # the #number is the permanent address
    # Marcus's answer sits inside the replies list under Mark's comment.
    mark_at = page.index('id="comment-547779"')
    replies_at = page.index('class="thread__replies', mark_at)
    assert replies_at < page.index('id="comment-547780"') < page.index('id="comment-547786"')
    assert "kevin riley" in page and "Retired Public Sector Solicitor" in page
    assert "ALF COLLINS" not in page
    assert "date not recorded on the original page" in page  # the page gives no comment dates
    assert not re.search(r'<time datetime="\d{4}-\d\d-\d\dT', page[page.index('id="comments"') :])
    assert 'title="Role stated on the original page (the job title names it)"' in page
    assert ">NED<" in page and ">Staff<" in page


def test_report_page_has_subtitle_bullets_and_seven_comments(client, seeded):
    page = client.get("/articles/patient-centred-leadership").get_data(as_text=True)
    assert "Rediscovering our purpose" in page
    body = page[page.index('class="article__body"') : page.index("</article>")]
    assert body.count("<li>") == 8  # five key findings, three publication details
    assert "<h2>Key findings</h2>" in body and "<h2>Publication details</h2>" in body
    assert "7 comments" in page
    assert "| Buy" not in page


def test_guest_post_byline(client, seeded):
    page = client.get("/articles/leading-from-behind").get_data(as_text=True)
    assert "Guest post by Thomas Dahlborg" in page
    assert "No comments yet." in page


def test_comment_link_redirects_to_its_anchor(client, seeded):
    response = client.get("/comments/547780")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/articles/shared-decision-making#comment-547780")


def test_profile_page_lists_published_comments(client, seeded):
    author_id = db.session.scalar(select(Comment.author_id).where(Comment.id == 40477))
    page = client.get(f"/profiles/{author_id}").get_data(as_text=True)
    assert "Dominic Stenning" in page and "Patient leader" in page and "CPFT" in page
    assert "1 comment" in page and "Patient Leaders need investment" in page


def test_unknown_pages_are_friendly_html_404s(client, seeded):
    for url in ("/articles/nope", "/comments/1", "/profiles/999999", "/no/such/page"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.mimetype == "text/html"
        assert "We can’t find that page" in response.get_data(as_text=True)


def test_user_text_is_escaped_and_sanitised(client, app):
    article = make_article(slug="xss")
    make_comment(
        article,
        make_profile('<img src=x onerror="alert(1)">'),
        body="<script>alert(1)</script> [x](javascript:alert(2)) https://example.org",
    )
    db.session.commit()
    page = client.get("/articles/xss").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page and "&lt;img src=x" in page
    assert 'href="javascript:' not in page
    assert '<a href="https://example.org" rel="nofollow ugc noopener">' in page


def test_hidden_comments_are_not_shown_to_readers(client, app):
    article = make_article(slug="hidden")
    author = make_profile("Visible Person")
    shown = make_comment(article, author, "Everyone sees this")
    for status in (CommentStatus.PENDING, CommentStatus.REJECTED, CommentStatus.REMOVED):
        make_comment(article, make_profile(f"Hidden {status}"), f"secret {status.value}", status=status)
    db.session.commit()
    pages = [
        client.get("/").get_data(as_text=True),
        client.get("/articles/hidden").get_data(as_text=True),
        client.get(f"/profiles/{author.id}").get_data(as_text=True),
    ]
    assert "1 comment" in pages[0]
    assert "Everyone sees this" in pages[1] and "1 comment" in pages[1]
    for page in pages:
        assert "secret" not in page
    assert client.get(f"/comments/{shown.id + 1}").status_code == 404


def test_reply_to_a_hidden_comment_still_shows(client, app):
    article = make_article(slug="orphan")
    parent = make_comment(article, make_profile(), "gone", status=CommentStatus.REMOVED)
    make_comment(article, make_profile(), "the answer stays", parent=parent)
    db.session.commit()
    page = client.get("/articles/orphan").get_data(as_text=True)
    assert "the answer stays" in page and "gone" not in page


def test_deep_threads_cap_their_indentation(client, app):
    article = make_article(slug="deep")
    author = make_profile()
    parent = None
    for depth in range(8):
        parent = make_comment(article, author, f"depth {depth}", parent=parent)
    db.session.commit()
    page = client.get("/articles/deep").get_data(as_text=True)
    assert page.count("thread__replies--flat") == 4  # every level from the cap down is flat
    assert "depth 7" in page


def test_pages_are_accessible_basics(client, seeded):
    page = client.get("/articles/shared-decision-making").get_data(as_text=True)
    assert '<html lang="en-GB">' in page
    assert 'name="viewport"' in page
    assert 'href="#main"' in page and '<main id="main"' in page
    assert "<script" not in page  # no JavaScript needed
    assert "https://" not in page.split("<main")[0]  # every asset is local


def test_every_page_has_its_own_title_and_description(client, seeded):
    """Screen-reader users and tabs tell pages apart by their <title> (WCAG 2.4.2)."""
    cases = {
        "/": "Articles",
        "/articles/shared-decision-making": "Challenging traditional relationships",
        "/login": "Log in",
        "/register": "Create an account",
        "/no-such-page": "Page not found",
    }
    for url, expected in cases.items():
        page = client.get(url).get_data(as_text=True)
        title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
        assert expected in title and title.endswith("Health and care forum"), (url, title)
    article = client.get("/articles/shared-decision-making").get_data(as_text=True)
    assert '<meta name="description" content="The NHS Confederation conference' in article
