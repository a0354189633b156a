"""fold_for_rules's fast paths read text exactly as the plain per-character reading does."""

from __future__ import annotations

import random
import unicodedata

from forum.platform.folding import _MAX_SEPARATORS, _SEPARATOR, fold_for_rules


def _reference(text: str) -> tuple[str, tuple[int, ...]]:
    """The reading fold_for_rules documents, one character at a time (the code before its fast paths)."""
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if unicodedata.category(char) == "Cf":
            continue
        for folded in unicodedata.normalize("NFKC", char):
            if unicodedata.category(folded) != "Cf":
                chars.append(folded)
                origin.append(index)
    out: list[str] = []
    out_origin: list[int] = []
    i = 0
    while i < len(chars):
        if chars[i] in _SEPARATOR and out and out[-1].isdigit():
            j = i
            while j < len(chars) and chars[j] in _SEPARATOR and j - i < _MAX_SEPARATORS:
                j += 1
            if j < len(chars) and chars[j].isdigit():
                i = j
                continue
        out.append(chars[i])
        out_origin.append(origin[i])
        i += 1
    return "".join(out), tuple(out_origin)


ALPHABET = [
    *"0123456789 ab.-/_\\\t\n",
    "\u00a0",
    "·",
    "•",
    "–",
    "—",
    "−",
    "\u200b",
    "\u00ad",
    "\u2060",
    "＠",
    "１",
    "²",
    "ﬁ",
    "é",
    "e\u0301",
    "٣",
    "᧚",
    "’",
]


def test_random_texts_fold_as_the_plain_reading_does() -> None:
    rng = random.Random(23)
    for _ in range(20_000):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 30)))
        folded = fold_for_rules(text)
        assert (folded.text, folded.origin) == _reference(text), text
        assert folded.original_length == len(text)


def test_plain_text_and_numbers() -> None:
    assert fold_for_rules("Call me on 0 7 7 0 0 or 943.476.5919").text == "Call me on 07700 or 9434765919"
    assert fold_for_rules("ward rounds at 9 - 10").text == "ward rounds at 910"
    assert fold_for_rules("ward rounds at 9 -  10").text == "ward rounds at 9 -  10"  # four separators stay
    plain = fold_for_rules("No digits, nothing to fold.")
    assert plain.text == "No digits, nothing to fold." and plain.origin == tuple(range(27))
