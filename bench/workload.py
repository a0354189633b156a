"""Generate the benchmark workload deterministically and load it into the forum and into Isso.

One article with N comments: 30% are replies (to a random earlier comment, nesting up to depth 5),
bodies are 200 to 800 characters of plain words, 50 commenters. The same seed always gives the same
thread. The forum's copy is loaded through the services (accounts.register, posting.post_comment),
as a person's comments would be; Isso's through its own database layer (isso.db).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

WORDS = ["care", "patient", "nurse", "ward", "team", "listen", "time", "support", "family", "carer", "doctor", "clinic", "service", "quality", "safety", "leadership", "trust", "staff", "community", "health", "people", "hospital", "plan", "change", "voice", "shared", "decision", "kindness", "respect", "dignity", "waiting", "appointment", "discharge", "home", "recovery", "treatment", "experience", "learning", "culture", "board", "governor", "volunteer", "pharmacy", "therapy", "primary", "social"]
COMMENTERS = 50
MAX_DEPTH = 5


@dataclass(frozen=True)
class Spec:
    """One comment of the workload: its index, its parent's index (or None), author index and text."""

    index: int
    parent: int | None
    author: int
    body: str


def body(rng: random.Random, index: int) -> str:
    """Plain words (no digits, links or personal data), 200 to 800 characters, unique per index."""
    target = rng.randint(200, 800)
    words = [f"comment{chr(97 + index % 26)}{chr(97 + index // 26 % 26)}{chr(97 + index // 676 % 26)}"]
    while sum(len(w) + 1 for w in words) < target:
        words.append(rng.choice(WORDS))
    text = " ".join(words)[:target].rstrip()
    return text[0].upper() + text[1:] + "."


def thread(n: int, seed: int = 20261121) -> list[Spec]:
    """Return N comment specs, oldest first."""
    rng = random.Random(seed + n)
    depth: list[int] = []
    specs: list[Spec] = []
    for i in range(n):
        parent = None
        if i and rng.random() < 0.30:
            candidates = [j for j in rng.sample(range(i), min(i, 8)) if depth[j] < MAX_DEPTH - 1]
            parent = candidates[0] if candidates else None
        depth.append(0 if parent is None else depth[parent] + 1)
        specs.append(Spec(i, parent, rng.randrange(COMMENTERS), body(rng, i)))
    return specs
