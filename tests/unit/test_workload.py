"""The benchmark workload is deterministic and has the promised shape."""

from __future__ import annotations

import sys
from collections import Counter

from forum.moderation.services import rules
from tests.conftest import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "bench"))

from workload import COMMENTERS, MAX_DEPTH, thread


def test_same_seed_same_thread():
    assert thread(300) == thread(300)
    assert thread(300) != thread(301)[:300]


def test_shape_of_a_1000_comment_thread():
    specs = thread(1000)
    replies = sum(1 for s in specs if s.parent is not None)
    assert 250 <= replies <= 350  # about 30%
    depth: dict[int, int] = {}
    for s in specs:
        depth[s.index] = 0 if s.parent is None else depth[s.parent] + 1
        assert s.parent is None or s.parent < s.index
    assert max(depth.values()) == MAX_DEPTH - 1  # five levels: 0..4
    assert all(200 <= len(s.body) <= 802 for s in specs)
    assert len({s.author for s in specs}) == COMMENTERS
    assert Counter(s.body for s in specs).most_common(1)[0][1] == 1  # no duplicate texts


def test_bodies_trip_no_moderation_rule():
    assert not any(rules.personal_data(s.body) or rules.links(s.body) for s in thread(500))
