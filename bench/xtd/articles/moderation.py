"""Moderation as xtd's tutorial sets it up, and the API's trust of token-authenticated members.

Every post runs SpamModerator.allow (the commenter's mail domain against the BlackListedDomain table)
and CommentModerator.moderate: comments on an article older than ``moderate_after`` days are held
(is_public false, answered 202). The benchmark's articles are new, so members' comments are published
at once, as ours are for trusted members after the policy's rules.
"""

from django_comments_xtd.moderation import SpamModerator, moderator
from django_comments_xtd.signals import should_request_be_authorized

from .models import Article


class ArticleCommentModerator(SpamModerator):
    """Hold comments on articles published more than a year ago; refuse blacklisted mail domains."""

    email_notification = False  # no mail to the managers per comment (ours sends none either)
    auto_moderate_field = "published_at"
    moderate_after = 365


moderator.register(Article, ArticleCommentModerator)


def trust_token_members(sender, comment, request, **kwargs):
    """Let a member authenticated by token post without the form's timestamp and security hash.

    xtd's web API sends this signal so that an API client (no rendered form to take the hash from)
    can be authorised; the hash only guards the HTML form against replay.
    """
    return bool(request.user and request.user.is_authenticated)


should_request_be_authorized.connect(trust_token_members, sender=Article)
