"""Where to get help now: the signposts, their links, and one setting to change them."""

from __future__ import annotations

import pytest

from forum.discussion.services.support import DEFAULT_SIGNPOSTS, parse_signposts


def test_the_uk_signposts_are_phone_links_with_plain_instructions():
    found = {s.name: s for s in parse_signposts(DEFAULT_SIGNPOSTS)}
    assert list(found) == ["Samaritans", "Shout", "NHS 111", "999"]
    assert (found["Samaritans"].href, found["Samaritans"].instruction) == ("tel:116123", "call 116 123")
    assert (found["Shout"].href, found["Shout"].instruction) == (
        "sms:85258?body=SHOUT",
        "text SHOUT to 85258",
    )
    assert found["999"].href == "tel:999" and found["NHS 111"].href == "tel:111"


def test_another_country_changes_one_setting():
    ireland = '[{"name": "Samaritans Ireland", "action": "call", "number": "116 123", "note": "free"}]'
    assert [s.instruction for s in parse_signposts(ireland)] == ["call 116 123"]


@pytest.mark.parametrize(
    "bad", ['[{"name": "No number", "action": "call"}]', '[{"name": "X", "action": "fax", "number": "1"}]']
)
def test_a_signpost_without_a_number_or_a_way_to_reach_it_is_refused(bad):
    with pytest.raises(ValueError, match="SAFEGUARDING_SIGNPOSTS"):
        parse_signposts(bad)
