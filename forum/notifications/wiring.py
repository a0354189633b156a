"""Plug notifications into an app: the pages, the API, the unread count, email and its jobs."""

from __future__ import annotations

from flask import Flask

from forum.notifications import api, commands, tasks, web
from forum.notifications.models import Notification
from forum.notifications.services import emails
from forum.platform import jobs, mail
from forum.platform.http.openapi import register_api
from forum.platform.unit_of_work import ChangeSet, unit_of_work


def email_new_notices(changes: ChangeSet) -> None:
    """Every new in-app notice a member may get by email becomes a job, in the same transaction.

    Any feature's notices (replies, decisions, appeal outcomes) are emailed this way without asking.
    """
    new, _, _ = changes.of(Notification)
    for notice in new:
        if emails.emailable_notice(notice.kind):
            jobs.later(emails.NOTICE, notice=notice.id)


def init_app(app: Flask) -> None:
    """Register the notifications feature on ``app``."""
    web.init_app(app)
    register_api(api.blp)
    app.cli.add_command(commands.notifications_cli)
    jobs.register(app, emails.NOTICE, tasks.notice)
    jobs.register(app, emails.DELIVER, tasks.deliver, retry=True)
    jobs.register(app, emails.DELIVER_URGENT, tasks.deliver, retry=True, priority=10)
    unit_of_work(app).on_flush(email_new_notices)
    mail.use_durable_store(app, emails.store_account_email)  # with a worker, account emails wait in the table
