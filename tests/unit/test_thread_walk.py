"""A thread walked flat draws exactly the nested lists a recursive template would."""

from __future__ import annotations

from forum.discussion.services.threads import ThreadNode, walk


def node(name: str, *replies: ThreadNode) -> ThreadNode:
    found = ThreadNode(comment=name)  # type: ignore[arg-type]  # only the shape matters here
    found.replies = list(replies)
    return found


def nested(nodes: list[ThreadNode]) -> str:
    return "".join(
        f"<li>{n.comment}" + (f"<ol>{nested(n.replies)}</ol>" if n.replies else "") + "</li>" for n in nodes
    )


def flat(nodes: list[ThreadNode]) -> str:
    out = []
    for n, closing in walk(nodes):
        out.append(f"<li>{n.comment}" + ("<ol>" if n.replies else "</li>") + "</ol></li>" * closing)
    return "".join(out)


def test_flat_walk_closes_every_level_it_opens():
    trees = [
        [],
        [node("a")],
        [node("a", node("a1", node("a1x")), node("a2")), node("b"), node("c", node("c1"))],
        [node("a", node("b", node("c", node("d", node("e")))))],
        [node("a", node("b", node("c")), node("d", node("e", node("f"))))],
    ]
    for tree in trees:
        assert flat(tree) == nested(tree)
