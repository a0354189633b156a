"""Declare, for every route and method, the status each actor gets: the authorisation matrix.

tests/security/test_authorisation_matrix.py reads the URL map and fails for a route that is not
declared here (so a new route cannot ship unguarded) and for a declaration whose route is gone.

Each actor works on fresh objects belonging to ``author``: a comment (``pending`` unless the row
says ``approved``), an API token, a login session, a notification; ``user_id`` and the
moderation ``profile_id`` name a fresh plain member (``subject``) so sanctions and access changes
never touch the actors themselves. Bodies are sent as forms (pages, with a CSRF token) or JSON
(``/api``, with a bearer token). ``{name}`` placeholders are filled from the targets.

Statuses, in the order of ACTORS:
    anonymous, member, author, other_member, suspended, moderator, editor, admin

Editors stand beside moderators: they manage articles (``editors``), moderators manage comments and
members (``moderators``); admins do both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ACTORS = ("anonymous", "member", "author", "other_member", "suspended", "moderator", "editor", "admin")


@dataclass(frozen=True)
class Route:
    """What each actor gets from one route and method, and what to send it."""

    expect: tuple[int, int, int, int, int, int, int, int]
    body: dict[str, Any] | None = None
    query: str = ""
    comment: str = "pending"  # the state of the target comment: pending, approved or rejected
    params: dict[str, str] = field(default_factory=dict)  # URL parameter -> target name, if not the default
    login: bool = False  # anonymous people are sent to log in (302 to /login, or 401 under /api)


def everyone(status: int, **kwargs: Any) -> Route:
    """A public route: the same answer for every actor."""
    return Route((status,) * 8, **kwargs)  # type: ignore[arg-type]


def members(status: int, anonymous: int, **kwargs: Any) -> Route:
    """A route for any logged-in person acting on their own account."""
    return Route((anonymous, *(status,) * 7), login=True, **kwargs)  # type: ignore[arg-type]


def moderators(status: int, anonymous: int, **kwargs: Any) -> Route:
    """Moderators and admins get ``status``; members and editors 403; anonymous people log in."""
    return Route((anonymous, 403, 403, 403, 403, status, 403, status), login=True, **kwargs)


def editors(status: int, anonymous: int, **kwargs: Any) -> Route:
    """Editors and admins get ``status``; members and moderators 403; anonymous people log in."""
    return Route((anonymous, 403, 403, 403, 403, 403, status, status), login=True, **kwargs)


def admins(status: int, anonymous: int, **kwargs: Any) -> Route:
    """Admins only; moderators and editors too are refused."""
    return Route((anonymous, 403, 403, 403, 403, 403, 403, status), login=True, **kwargs)


# The author's own object: the author gets ``own``; other members 404 (its existence is not
# revealed, editors included); moderators ``mod`` (they may see a pending comment, but it is still
# not theirs).
def owner_only(own: int, anonymous: int, mod: int = 404, **kwargs: Any) -> Route:
    return Route((anonymous, 404, own, 404, 404, mod, 404, mod), login=anonymous in (302, 401), **kwargs)


POST_BODY = {"body": "A new comment from the matrix."}
WRONG_PASSWORD = {"current_password": "not the password", "new_password": "a brand new password"}
DECISION = {"action": "approve"}
SANCTION = {"kind": "suspension", "days": 3, "reason": "Matrix test."}
ARTICLE_FORM = {"title": "Matrix article", "body": "Text.", "kind": "blog_post", "action": "save"}
FRESH = {"slug": "fresh_slug"}  # a fresh article of its own: the shared one is never archived or renamed

DECLARATIONS: dict[tuple[str, str], Route] = {
    # --- reading pages: public ---
    ("web.index", "GET"): everyone(200),
    ("web.article", "GET"): everyone(200),
    ("web.profile", "GET"): everyone(200),
    # A pending comment is the author's draft: only they and moderators learn it exists.
    ("web.comment", "GET"): owner_only(302, anonymous=404, mod=302),
    ("discovery.search_page", "GET"): everyone(200, query="q=matrix"),
    ("discovery.articles_feed", "GET"): everyone(200),
    ("discovery.comments_feed", "GET"): everyone(200),
    ("health.healthz", "GET"): everyone(200),
    ("health.readyz", "GET"): everyone(200),
    ("metrics.metrics", "GET"): everyone(200),  # from this machine (METRICS_ALLOW); 404 from elsewhere
    ("static", "GET"): everyone(200),
    # --- logging in, registering, recovering ---
    ("auth.login", "GET"): everyone(200),
    ("auth.login", "POST"): everyone(302, body={"email": "{actor_email}", "password": "{password}"}),
    ("auth.logout", "POST"): members(302, anonymous=302),  # anonymous: to the login page
    ("auth.register", "GET"): Route((200, 302, 302, 302, 302, 302, 302, 302)),  # members go home
    ("auth.register", "POST"): Route(
        (200, 302, 302, 302, 302, 302, 302, 302),
        body={
            "email": "{new_email}",
            "display_name": "New Person",
            "role": "patient",
            "password": "{password}",
            "consent": "yes",
        },
    ),
    ("recovery.confirm", "GET"): everyone(400, query="token=not-a-real-token"),
    ("recovery.confirm", "POST"): everyone(400, query="token=not-a-real-token", body={"password": "x"}),
    ("recovery.resend", "POST"): everyone(200, body={"email": "{new_email}"}),
    ("recovery.forgot", "GET"): everyone(200),
    ("recovery.forgot", "POST"): everyone(200, body={"email": "{actor_email}"}),
    ("recovery.reset", "GET"): everyone(400, query="token=not-a-real-token"),
    ("recovery.reset", "POST"): everyone(
        400, query="token=not-a-real-token", body={"new_password": "a brand new password"}
    ),
    # Development only (never registered in production) and answered only to this machine.
    ("dev.outbox", "GET"): everyone(200),
    # --- one's own account ---
    ("account.edit_profile", "GET"): members(200, anonymous=302),
    # A suspended member's profile is frozen too: it is public text.
    ("account.edit_profile", "POST"): Route(
        (302, 302, 302, 302, 403, 302, 302, 302),
        login=True,
        # Not the display name: every actor taking the same one would be refused as a look-alike.
        body={"job_title": "Renamed", "role": "patient", "bio": "About me."},
    ),
    ("notifications.page", "GET"): members(200, anonymous=302),
    ("notifications.mark_read", "POST"): members(302, anonymous=302),
    ("notification_settings.page", "GET"): members(200, anonymous=302),
    ("notification_settings.save", "POST"): members(302, anonymous=302, body={"followed": "digest"}),
    ("notification_settings.try_again", "POST"): members(302, anonymous=302),
    # The signed token is the authority (no login); a made-up one is refused for everyone.
    ("unsubscribe.page", "GET"): everyone(400, query="token=not-a-real-token"),
    ("unsubscribe.confirm", "POST"): everyone(400, query="token=not-a-real-token"),
    ("unsubscribe.undo", "POST"): everyone(400, query="token=not-a-real-token"),
    # Following a thread: any logged-in member, suspended ones too (it changes nothing others see).
    ("comments.follow", "POST"): members(302, anonymous=302),
    ("comments.unfollow", "POST"): members(302, anonymous=302),
    ("account.create_token", "POST"): members(200, anonymous=302, body={"name": "matrix"}),
    ("account.revoke_token", "POST"): owner_only(302, anonymous=302),
    ("account_security.page", "GET"): members(200, anonymous=302),
    ("account_security.change_password", "POST"): members(422, anonymous=302, body=WRONG_PASSWORD),
    ("account_security.end_session", "POST"): owner_only(302, anonymous=302),
    ("account_security.end_other_sessions", "POST"): members(302, anonymous=302),
    # --- comments in the browser ---
    # --- your data ---
    ("privacy.privacy_page", "GET"): everyone(200),
    ("privacy.house_rules_page", "GET"): everyone(200),
    # Agreeing again to a changed notice: nobody in the matrix has one outstanding, so all go on.
    ("auth.agree_again", "GET"): members(302, anonymous=302),
    ("auth.agree_again", "POST"): members(302, anonymous=302, body={"consent": "yes"}),
    ("privacy.data_page", "GET"): members(200, anonymous=302),
    ("privacy.data_download", "GET"): members(200, anonymous=302),
    ("privacy.delete_page", "GET"): members(200, anonymous=302),
    # A wrong password: refused for everyone (422), so no actor is erased by the matrix itself.
    ("privacy.delete_account", "POST"): members(422, anonymous=302, body={"password": "not the password"}),
    ("privacy.erase_member", "POST"): moderators(302, anonymous=302, body={"reason": "Their email of today"}),
    ("comments.post", "POST"): Route((302, 302, 302, 302, 403, 302, 302, 302), body=POST_BODY, login=True),
    ("comments.edit", "GET"): owner_only(200, anonymous=302, mod=403),
    ("comments.edit", "POST"): owner_only(302, anonymous=302, mod=403, body={"body": "Edited."}),
    ("comments.delete", "GET"): owner_only(200, anonymous=302, mod=403),
    ("comments.delete", "POST"): owner_only(302, anonymous=302, mod=403),
    # Appeals: the author of a refused comment, once; moderators see it but it is not theirs.
    ("appeals.appeal_page", "GET"): owner_only(200, anonymous=302, mod=403, comment="rejected"),
    ("appeals.appeal_page", "POST"): owner_only(
        302, anonymous=302, mod=403, comment="rejected", body={"note": "Please look again."}
    ),
    ("appeals.policy_page", "GET"): everyone(200),
    # Reports come back to the thread with a message, whatever it says.
    ("reports.report", "POST"): members(302, anonymous=302, comment="approved", body={"reason": "spam"}),
    # "This helped me" and official responses: a refusal (one's own, suspended, not the publisher's
    # verified staff) is said on the page the member returns to.
    ("comments.thank", "POST"): members(302, anonymous=302, comment="approved"),
    ("comments.mark_official", "POST"): members(302, anonymous=302, comment="approved"),
    # --- moderation pages ---
    ("moderation.queue_page", "GET"): moderators(200, anonymous=302),
    ("moderation.log_page", "GET"): moderators(200, anonymous=302),
    ("moderation.member_page", "GET"): moderators(200, anonymous=302),
    ("moderation.members_page", "GET"): moderators(200, anonymous=302),
    ("moderation.comment_page", "GET"): moderators(200, anonymous=302),
    ("moderation.banned_words_page", "GET"): moderators(200, anonymous=302),
    ("moderation.decide", "POST"): moderators(302, anonymous=302, body=DECISION),
    ("moderation.decide_many", "POST"): moderators(
        302, anonymous=302, body={"comment_ids": "{comment_id}", "action": "approve"}
    ),
    ("moderation.sanction", "POST"): moderators(302, anonymous=302, body=SANCTION),
    ("moderation.lift", "POST"): moderators(302, anonymous=302),
    ("moderation.add_note", "POST"): moderators(302, anonymous=302, body={"body": "A note."}),
    ("moderation.verify", "POST"): moderators(
        302, anonymous=302, body={"method": "Register"}, params={"profile_id": "subject_profile_id"}
    ),
    ("moderation.set_access", "POST"): admins(302, anonymous=302, body={"access": "member"}),
    # Safeguarding: the view, "I'm reading this", the outcome (the matrix's comment has no item, so the
    # outcome form comes back with the refusal), going on call oneself, the dashboard.
    ("moderation.safeguarding", "GET"): moderators(200, anonymous=302),
    ("moderation.safeguarding_read", "POST"): moderators(302, anonymous=302),
    ("moderation.safeguarding_outcome", "POST"): moderators(
        302, anonymous=302, body={"outcome": "no_concern"}
    ),
    ("moderation.safeguarding_on_call", "POST"): moderators(302, anonymous=302, body={"on": "1"}),
    ("moderation.dashboard", "GET"): moderators(200, anonymous=302),
    # Personal data the importer took out (the matrix's comment is not in a seed file: refused, back).
    ("seeding.imported_page", "GET"): moderators(200, anonymous=302),
    ("seeding.restore_redaction", "POST"): moderators(302, anonymous=302, body={"reason": "Checked."}),
    ("moderation.add_banned_word", "POST"): admins(302, anonymous=302, body={"word": "{new_word}"}),
    ("moderation.remove_banned_word", "POST"): admins(302, anonymous=302),
    # --- the API: reading ---
    ("api-docs.openapi_json", "GET"): everyone(200),
    ("articles_api.article_list", "GET"): everyone(200),
    ("articles_api.article", "GET"): everyone(200),
    ("articles_api.thread", "GET"): everyone(200),
    ("articles_api.summary", "GET"): everyone(200),
    ("embed.thread", "GET"): everyone(200),
    ("embed.host_script", "GET"): everyone(200),
    ("profiles_api.profile", "GET"): everyone(200),
    ("search_api.search", "GET"): everyone(200, query="q=matrix"),
    ("comments_api.comment", "GET"): owner_only(200, anonymous=404, mod=200),
    # --- the API: accounts and tokens ---
    ("auth_api.register", "POST"): everyone(
        202,
        body={
            "email": "{new_email}",
            "display_name": "New Person",
            "role": "patient",
            "password": "{password}",
            "consent": "yes",
        },
    ),
    ("auth_api.create_token", "POST"): everyone(
        201, body={"email": "{actor_email}", "password": "{password}", "name": "matrix"}
    ),
    ("auth_api.request_password_reset", "POST"): everyone(202, body={"email": "{actor_email}"}),
    ("auth_api.list_tokens", "GET"): members(200, anonymous=401),
    ("auth_api.revoke_token", "DELETE"): owner_only(204, anonymous=401),
    ("auth_api.me", "GET"): members(200, anonymous=401),
    ("privacy_api.export_data", "GET"): members(200, anonymous=401),
    ("privacy_api.erase_me", "DELETE"): members(422, anonymous=401, body={"password": "not the password"}),
    ("auth_api.update_me", "PATCH"): Route(
        (401, 200, 200, 200, 403, 200, 200, 200), login=True, body={"bio": "About me."}
    ),
    ("auth_api.change_password", "PUT"): members(422, anonymous=401, body=WRONG_PASSWORD),
    ("auth_api.list_sessions", "GET"): members(200, anonymous=401),
    ("auth_api.end_session", "DELETE"): owner_only(204, anonymous=401),
    ("notifications_api.list_notifications", "GET"): members(200, anonymous=401),
    ("notifications_api.mark_read", "POST"): members(204, anonymous=401),
    ("notifications_api.get_settings", "GET"): members(200, anonymous=401),
    ("notifications_api.put_settings", "PUT"): members(200, anonymous=401, body={"replies": False}),
    ("notifications_api.one_click_unsubscribe", "POST"): everyone(400, query="token=not-a-real-token"),
    ("articles_api.following", "GET"): members(200, anonymous=401),
    ("articles_api.follow", "PUT"): members(200, anonymous=401),
    ("articles_api.visit", "PUT"): members(200, anonymous=401),
    ("articles_api.unfollow", "DELETE"): members(200, anonymous=401),
    # --- the API: comments ---
    ("articles_api.post_comment", "POST"): Route(
        (401, 201, 201, 201, 403, 201, 201, 201), body=POST_BODY, login=True
    ),
    ("comments_api.edit_comment", "PATCH"): owner_only(200, anonymous=401, mod=403, body={"body": "Edited."}),
    ("comments_api.delete_comment", "DELETE"): owner_only(204, anonymous=401, mod=403),
    # A preview saves nothing and shows nothing to others: any logged-in member, suspended ones too.
    ("preview_api.preview", "POST"): members(200, anonymous=401, body={"body": "A *preview*."}),
    # Members report others' published comments; never their own; not while suspended.
    ("reports_api.flag", "POST"): Route(
        (401, 201, 403, 201, 403, 201, 201, 201), comment="approved", body={"reason": "spam"}, login=True
    ),
    # Thanks: never for one's own comment; not while suspended (taking it back stays possible).
    ("comments_api.thank", "POST"): Route(
        (401, 200, 403, 200, 403, 200, 200, 200), comment="approved", login=True
    ),
    ("comments_api.unthank", "DELETE"): Route(
        (401, 200, 403, 200, 200, 200, 200, 200), comment="approved", login=True
    ),
    # Official responses: only verified staff of the publisher, on their own comment (no actor here is).
    ("comments_api.mark_official", "PUT"): Route((401, *(403,) * 7), comment="approved", login=True),
    ("comments_api.unmark_official", "DELETE"): Route((401, *(403,) * 7), comment="approved", login=True),
    ("reports_api.appeal", "POST"): owner_only(
        201, anonymous=401, mod=403, comment="rejected", body={"note": "Please look again."}
    ),
    # --- the API: moderation ---
    ("moderation_api.get_queue", "GET"): moderators(200, anonymous=401),
    ("moderation_api.log", "GET"): moderators(200, anonymous=401),
    ("moderation_api.member", "GET"): moderators(200, anonymous=401),
    ("moderation_api.list_banned_words", "GET"): moderators(200, anonymous=401),
    ("moderation_api.decide", "POST"): moderators(200, anonymous=401, body=DECISION),
    ("moderation_api.decide_many", "POST"): moderators(
        200, anonymous=401, body={"comment_ids": ["{comment_id}"], "action": "approve"}
    ),
    ("moderation_api.sanction", "POST"): moderators(201, anonymous=401, body=SANCTION),
    ("moderation_api.lift", "DELETE"): moderators(409, anonymous=401),  # the subject is not suspended
    ("moderation_api.add_note", "POST"): moderators(201, anonymous=401, body={"body": "A note."}),
    ("moderation_api.verify", "POST"): moderators(
        200, anonymous=401, body={"method": "Register"}, params={"profile_id": "subject_profile_id"}
    ),
    ("moderation_api.set_access", "PUT"): admins(200, anonymous=401, body={"access": "member"}),
    ("moderation_api.add_banned_word", "POST"): admins(201, anonymous=401, body={"word": "{new_word}"}),
    ("moderation_api.remove_banned_word", "DELETE"): admins(204, anonymous=401),
    ("moderation_api.get_dashboard", "GET"): moderators(200, anonymous=401),
    ("moderation_api.member_list", "GET"): moderators(200, anonymous=401, query="q=a"),
    ("moderation_api.get_safeguarding", "GET"): moderators(200, anonymous=401),
    ("moderation_api.read_safeguarding", "POST"): moderators(204, anonymous=401),
    # The matrix's comment has no safeguarding item: moderators get past the guard to a 404.
    ("moderation_api.record_safeguarding_outcome", "POST"): moderators(
        404, anonymous=401, body={"outcome": "no_concern"}
    ),
    # --- articles: the editors' pages and the API's writes (editors and admins) ---
    ("editorial.home", "GET"): editors(302, anonymous=302),
    ("editorial.article_list", "GET"): editors(200, anonymous=302),
    ("editorial.new_article", "GET"): editors(200, anonymous=302),
    ("editorial.new_article", "POST"): editors(302, anonymous=302, body=ARTICLE_FORM),
    ("editorial.edit_article", "GET"): editors(200, anonymous=302),
    ("editorial.edit_article", "POST"): editors(302, anonymous=302, body=ARTICLE_FORM),
    ("editorial.publish", "POST"): editors(302, anonymous=302),
    ("editorial.archive", "POST"): editors(302, anonymous=302),
    ("editorial.restore", "POST"): editors(302, anonymous=302),
    ("editorial.comments", "POST"): editors(302, anonymous=302, body={"mode": "closed"}),
    ("editorial_api.create", "POST"): editors(
        201, anonymous=401, body={"title": "Matrix API", "body": "Text."}
    ),
    ("editorial_api.change", "PATCH"): editors(200, anonymous=401, body={"comments": "closed"}, params=FRESH),
    ("editorial_api.put", "PUT"): editors(
        200, anonymous=401, body={"title": "Put", "body": "Text."}, params=FRESH
    ),
    ("editorial_api.archive", "DELETE"): editors(204, anonymous=401, params=FRESH),
}
