"""Turn one kind of email off from the link it carries, without logging in (and back on again).

Opening the link shows what it turns off and one button: mail programs and link scanners open
links by themselves, so a GET changes nothing. The button does it at once, without logging in (the
signed token is the authority; the form carries the page's CSRF token like every other). A mail
program's own one-click unsubscribe (RFC 8058) posts to the API twin, ``/api/v1/email/unsubscribe``.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request

from forum.notifications.models import FollowedMode
from forum.notifications.services import preferences, unsubscribe

bp = Blueprint("unsubscribe", __name__, url_prefix="/email")


def _page(template: str, subscription: unsubscribe.Subscription) -> str:
    return render_template(
        f"account/{template}.html",
        token=request.args.get("token", ""),
        what=subscription.category.label,
        followed_mode="daily digest"
        if subscription.followed == FollowedMode.DIGEST
        else "separate email for each new comment",
        subscription=subscription,
    )


@bp.get("/unsubscribe")
def page() -> str:
    """Ask, in one button, whether to stop this kind of email.

    :raises InvalidLink: for a changed or forged token (a 400 page).
    """
    return _page("unsubscribe", unsubscribe.read(request.args.get("token")))


@bp.post("/unsubscribe")
def confirm() -> str:
    """Stop this kind of email.

    :raises InvalidLink: for a changed or forged token.
    """
    subscription = unsubscribe.read(request.args.get("token"))
    preferences.turn_off(subscription.user_id, subscription.category)
    return _page("unsubscribed", subscription)


@bp.post("/resubscribe")
def undo() -> str:
    """Start this kind of email again, from the page that said it stopped.

    :raises InvalidLink: for a changed or forged token.
    """
    subscription = unsubscribe.read(request.args.get("token"))
    preferences.turn_on(subscription.user_id, subscription.category, subscription.followed)
    return _page("resubscribed", subscription)
