"""Hole 8: a reset request does the same work whether or not the address has an account, so its timing
cannot tell (bench/reset_timing.py measures the times; this checks the work, statement by statement)."""

from __future__ import annotations

from forum.platform import jobs
from tests.mailbox import messages_to


def test_the_request_runs_the_same_statements_for_known_and_unknown_addresses(app, member, count_queries):
    statements = {}
    for email in (member.email, "nobody@example.org"):
        for route, kwargs in (
            ("/password/forgot", {"data": {"email": email}}),
            ("/api/v1/password-resets", {"json": {"email": email}}),
        ):
            client = app.test_client()
            with count_queries() as counter:
                response = client.post(route, **kwargs)
            assert response.status_code in (200, 202)
            statements[(email, route)] = [s.replace(email, "X") for s in counter.statements]
    for route in ("/password/forgot", "/api/v1/password-resets"):
        assert statements[(member.email, route)] == statements[("nobody@example.org", route)]
    # The work waits for the job: then one email each, a link or a note.
    assert jobs.run_pending() == 4
    assert [m.subject for m in messages_to(member.email)] == ["Reset your password"] * 2
    assert [m.subject for m in messages_to("nobody@example.org")] == ["No account for this address"] * 2
