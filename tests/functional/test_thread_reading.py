"""Reading a thread the way people expect: order, voices, folds, what is new, times (issue 22)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from forum.accounts.models import Role
from forum.discussion.models import Comment, CommentStatus, ThreadVisit
from forum.platform.database import db
from forum.platform.models import utcnow
from tests.factories import make_article, make_comment, make_profile

API = "/api/v1/articles/talk/comments"


def _ids(nodes):
    return [n["id"] for n in nodes]


def _at(comment, when):
    comment.created_at = when
    return comment


@pytest.fixture
def talk(app):
    """Three conversations: the oldest has one reply, the middle three, the newest none."""
    article = make_article(slug="talk")
    base = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    ann = make_profile("Ann Patient", Role.PATIENT)
    cal = make_profile("Cal Carer", Role.CARER)
    dee = make_profile("Dee Doctor", Role.CLINICIAN)
    ned = make_profile("Ned Director", Role.NED)
    first = _at(make_comment(article, ann, "First"), base)
    _at(make_comment(article, dee, "Answer to first", parent=first), base + timedelta(hours=5))
    middle = _at(make_comment(article, dee, "Middle"), base + timedelta(hours=1))
    r1 = _at(make_comment(article, cal, "Carer answers middle", parent=middle), base + timedelta(hours=2))
    _at(make_comment(article, ned, "NED answers the carer", parent=r1), base + timedelta(hours=3))
    _at(make_comment(article, ann, "Ann answers middle", parent=middle), base + timedelta(hours=4))
    newest = _at(make_comment(article, ned, "Newest"), base + timedelta(hours=6))
    db.session.commit()
    return {
        "article": article,
        "first": first,
        "middle": middle,
        "newest": newest,
        "r1": r1,
        "people": (ann, cal, dee, ned),
    }


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("oldest", ["first", "middle", "newest"]),
        ("newest", ["newest", "middle", "first"]),
        ("replies", ["middle", "first", "newest"]),
    ],
)
def test_each_order_in_the_api_and_the_page(client, talk, sort, order):
    body = client.get(f"{API}?sort={sort}").get_json()
    assert _ids(body["comments"]) == [talk[name].id for name in order] and body["sort"] == sort
    middle = next(n for n in body["comments"] if n["id"] == talk["middle"].id)
    assert [r["body"] for r in middle["replies"]] == [
        "Carer answers middle",
        "Ann answers middle",
    ]  # oldest first inside
    html = client.get(f"/articles/talk?sort={sort}").get_data(as_text=True)
    positions = [html.index(f'id="comment-{talk[name].id}"') for name in order]
    assert positions == sorted(positions)
    assert re.search(
        r'<a aria-current="true" href="[^"]*">'
        + {"oldest": "Oldest first", "newest": "Newest first", "replies": "Most replies"}[sort],
        html,
    )


@pytest.mark.parametrize("sort", ["oldest", "newest", "replies"])
def test_paging_keeps_the_order_and_visits_every_conversation_once(client, talk, sort):
    seen, url = [], f"{API}?sort={sort}&limit=1"
    while url:
        body = client.get(url).get_json()
        assert body["sort"] == sort
        seen += _ids(body["comments"])
        url = f"{API}?sort={sort}&limit=1&after={body['next_cursor']}" if body["next_cursor"] else None
    whole = _ids(client.get(f"{API}?sort={sort}").get_json()["comments"])
    assert seen == whole and len(seen) == 3


def test_the_page_links_keep_the_order_and_the_voices(client, app, talk):
    article = talk["article"]
    for i in range(55):
        make_comment(article, talk["people"][0], f"Extra {i}")
    db.session.commit()
    html = client.get("/articles/talk?sort=newest&roles=patient").get_data(as_text=True)
    more = re.search(r'<a rel="next" href="([^"]+)"', html).group(1)
    assert "sort=newest" in more and "roles=patient" in more
    assert "sort=newest" in client.get(more.replace("&amp;", "&")).get_data(as_text=True)


def test_an_order_or_a_role_we_do_not_have_is_a_clear_error(client, talk):
    for query, field in (("sort=best", "sort"), ("roles=patient,wizard", "roles")):
        response = client.get(f"{API}?{query}")
        assert response.status_code == 422 and field in response.get_json()["errors"]
        page = client.get(f"/articles/talk?{query}")
        assert page.status_code == 422
    cursor = client.get(f"{API}?sort=replies&limit=1").get_json()["next_cursor"]
    assert client.get(f"{API}?sort=newest&after={cursor}").status_code == 422  # a cursor of another order


def test_voices_filter_shows_those_comments_alone_saying_whom_they_answer(client, talk):
    body = client.get(f"{API}?roles=patient,carer,patient_leader").get_json()
    assert [n["body"] for n in body["comments"]] == ["First", "Carer answers middle", "Ann answers middle"]
    assert all(n["replies"] == [] for n in body["comments"])
    assert body["roles"] == ["carer", "patient", "patient_leader"]
    reply = next(n for n in body["comments"] if n["body"] == "Carer answers middle")
    assert body["in_reply_to"][str(reply["id"])] == {"id": talk["middle"].id, "display_name": "Dee Doctor"}
    html = client.get("/articles/talk?roles=carer,patient,patient_leader").get_data(as_text=True)
    assert "Showing only patients&#39; and carers&#39; voices" in html
    assert f'Reply to <a href="/comments/{talk["middle"].id}">Dee Doctor</a>' in html
    assert "NED answers the carer" not in html and "Middle</p>" not in html


def test_a_reply_to_a_comment_the_reader_may_not_see_says_so(client, as_user, member, talk):
    hidden = make_comment(
        talk["article"], member.profile, "Waiting for a moderator", status=CommentStatus.PENDING
    )
    answer = make_comment(talk["article"], talk["people"][1], "Carer answers the pending one", parent=hidden)
    db.session.commit()
    body = client.get(f"{API}?roles=carer").get_json()
    assert body["in_reply_to"][str(answer.id)] == {"id": hidden.id, "display_name": None}
    assert "Waiting for a moderator" not in str(body) and "Mem Ber" not in str(body)
    assert "Reply to a comment no longer shown" in client.get("/articles/talk?roles=carer").get_data(
        as_text=True
    )
    mine = as_user(member).get(f"{API}?roles=carer").get_json()  # its author sees whom it answers
    assert mine["in_reply_to"][str(answer.id)]["display_name"] == "Mem Ber"


def test_who_is_speaking_counts_published_comments_by_role(client, as_user, member, talk):
    make_comment(talk["article"], talk["people"][3], "Pending NED", status=CommentStatus.PENDING)
    db.session.commit()
    html = client.get("/articles/talk").get_data(as_text=True)
    assert "7 published comments: 2 patients, 2 clinicians, 2 NEDs, 1 carer." in html
    assert 'Patients&#39; and carers&#39; voices <span class="thread-tools__count">(3)</span>' in html


def test_replies_fold_under_who_replied(client, talk):
    html = client.get("/articles/talk").get_data(as_text=True)
    assert "Cal Carer and 2 others replied</summary>" in html  # under "Middle": Cal, Ned, Ann, one each
    assert "Dee Doctor replied</summary>" in html
    assert '<details class="thread__fold" open>' in html  # a short thread opens everything
    assert 'class="thread__fold">' not in html


def test_a_long_thread_folds_deeper_replies_and_a_permalink_opens_its_conversation(client, talk):
    article, people = talk["article"], talk["people"]
    chain = talk["r1"]
    deep = None
    for i in range(25):
        parent = make_comment(article, people[i % 4], f"Top {i}")
        first = make_comment(article, people[(i + 1) % 4], f"First reply {i}", parent=parent)
        deep = make_comment(article, people[(i + 2) % 4], f"Deeper {i}", parent=first)
    db.session.commit()
    html = client.get("/articles/talk").get_data(as_text=True)
    folded = html.count('<details class="thread__fold">')
    assert folded >= 25  # each conversation's deeper replies start folded
    assert html.count('<details class="thread__fold" open>') >= 25  # the first replies stay open
    redirect = client.get(f"/comments/{deep.id}")
    assert f"comment={deep.id}" in redirect.headers["Location"]
    focused = client.get(redirect.headers["Location"]).get_data(as_text=True)
    start = focused.index(f'id="comment-{deep.id}"')
    assert focused[:start].rfind('<details class="thread__fold" open>') > focused[:start].rfind(
        '<details class="thread__fold">'
    )
    assert focused.count('<details class="thread__fold">') == folded - 1
    assert chain.id  # the fixture's own chain stays as it was


def _age_visit(user, article, minutes):
    db.session.execute(
        update(ThreadVisit)
        .where(ThreadVisit.user_id == user.id, ThreadVisit.article_id == article.id)
        .values(seen_at=utcnow() - timedelta(minutes=minutes))
    )
    db.session.commit()


def test_what_is_new_since_the_last_visit(as_user, member, other_member, talk):
    article = talk["article"]
    reader = as_user(member)
    first = reader.get("/articles/talk").get_data(as_text=True)
    assert (
        "new since your last visit" not in first and "badge--new" not in first
    )  # a first visit marks nothing
    _age_visit(member, article, 90)
    fresh = make_comment(article, other_member.profile, "Written while you were away")
    make_comment(article, member.profile, "My own, also new")
    make_comment(article, other_member.profile, "Not published yet", status=CommentStatus.PENDING)
    db.session.commit()
    html = reader.get("/articles/talk").get_data(as_text=True)
    assert f'<a href="#comment-{fresh.id}">1 new since your last visit</a>' in html
    assert html.count("badge--new") == 1 and f'id="new-{fresh.id}"' in html
    again = reader.get("/articles/talk").get_data(as_text=True)  # the same visit: still marked
    assert "1 new since your last visit" in again
    body = reader.get(API).get_json()
    assert body["new_count"] == 1 and body["new_ids"] == [fresh.id] and body["since"]


def test_a_comment_published_after_the_visit_is_new_though_written_before(
    as_user, member, moderator, other_member, talk
):
    article = talk["article"]
    waiting = make_comment(article, other_member.profile, "Held, then approved", status=CommentStatus.PENDING)
    db.session.commit()
    reader = as_user(member)
    reader.get("/articles/talk")
    _age_visit(member, article, 45)
    waiting.status, waiting.decided_at, waiting.decided_by_id = CommentStatus.APPROVED, utcnow(), moderator.id
    db.session.commit()
    assert reader.get(API).get_json()["new_ids"] == [waiting.id]


def test_a_read_within_minutes_writes_nothing_and_the_api_reads_never_write(
    as_user, member, talk, count_queries
):
    reader = as_user(member)
    reader.get("/articles/talk")
    assert db.session.scalar(select(ThreadVisit.seen_at).where(ThreadVisit.user_id == member.id))
    for path in ("/articles/talk", API):
        with count_queries() as counter:
            assert reader.get(path).status_code == 200
        writes = [s for s in counter.statements if s.lstrip().upper().startswith(("INSERT", "UPDATE"))]
        assert writes == [], path


def test_put_visit_records_a_visit_for_api_clients(as_user, member, talk):
    reader = as_user(member)
    assert reader.put("/api/v1/articles/talk/visit").get_json() == {"article": "talk", "since": None}
    _age_visit(member, talk["article"], 120)
    since = reader.put("/api/v1/articles/talk/visit").get_json()["since"]
    assert since and datetime.fromisoformat(since) < utcnow() - timedelta(minutes=100)


def test_times_show_in_the_readers_zone_and_relatively_within_the_week(client, as_user, member, talk):
    summer = make_comment(talk["article"], talk["people"][0], "Summer")
    summer.created_at = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    recent = make_comment(talk["article"], talk["people"][0], "Recent")
    recent.created_at = utcnow() - timedelta(hours=3, minutes=10)
    db.session.commit()
    html = client.get("/articles/talk").get_data(as_text=True)
    assert (
        '<time datetime="2026-07-01T12:00:00+00:00">1 July 2026 at 13:00</time>' in html
    )  # London, summer time
    assert re.search(
        r'<time datetime="[^"]+" title="\d+ \w+ 2026 at \d\d:\d\d" data-relative>3 hours ago</time>', html
    )
    member.time_zone = "America/New_York"
    db.session.commit()
    theirs = as_user(member).get("/articles/talk").get_data(as_text=True)
    assert "1 July 2026 at 08:00" in theirs


def test_the_digest_zone_is_the_pages_zone(as_user, member, talk):
    reader = as_user(member)
    response = reader.put("/api/v1/me/notification-settings", json={"time_zone": "Asia/Tokyo"})
    assert response.status_code == 200
    db.session.refresh(member)
    assert member.time_zone == "Asia/Tokyo"
    assert reader.get("/api/v1/me").get_json()["time_zone"] == "Asia/Tokyo"


def test_each_anonymous_choice_is_its_own_cached_copy(client, talk):
    oldest = client.get("/articles/talk")
    newest = client.get("/articles/talk?sort=newest")
    assert oldest.headers["ETag"] != newest.headers["ETag"]
    again = client.get("/articles/talk?sort=newest")
    assert again.headers["X-Cache"] == "hit" and again.get_data() == newest.get_data()
    assert (
        client.get(
            "/articles/talk?sort=newest", headers={"If-None-Match": newest.headers["ETag"]}
        ).status_code
        == 304
    )


def test_deleted_comments_stay_out_of_the_new_count(as_user, member, other_member, talk):
    reader = as_user(member)
    reader.get("/articles/talk")
    _age_visit(member, talk["article"], 60)
    gone = make_comment(talk["article"], other_member.profile, "Deleted soon after")
    gone.deleted_at = utcnow()
    db.session.commit()
    body = reader.get(API).get_json()
    assert body["new_count"] == 0
    assert db.session.get(Comment, gone.id).deleted_at is not None
