"""See text as a reader sees it, for the rules that look for things in it; the stored text is never changed.

A reader does not see a zero-width space, a soft hyphen or a word joiner, reads a full-width ``＠``
as ``@`` and ``943.476.5919`` as a number. Rules that look for personal data or banned words must
see the same, or anyone can slip past them with an invisible character. :func:`fold_for_rules`
makes that reading once, and remembers where each character came from, so a rule's hit in the
folded text maps back to the span the author wrote (:meth:`Folded.span`), which is what the
moderators' highlighting marks.

:func:`fold_for_rules`:

1. each character is NFKC-normalised on its own (full-width and compatibility forms become plain);
2. format characters (Unicode category Cf: zero-width spaces and joiners, soft hyphens, word
   joiners, bidirectional marks, the BOM) are dropped;
3. between two digits, a short run of separators (spaces, dots, dashes of every kind, slashes,
   underscores, middle dots) is dropped, so ``0 7 7 0 0`` and ``943.476.5919`` read as numbers.

:func:`skeleton_for_words` goes one step further for matching words: case folded and mapped to the
Unicode TR39 confusable skeleton (ICU's data), so a Cyrillic ``а`` or a digit ``1`` standing in for
a letter reads as the letter it imitates. :func:`name_skeleton` is the same reading for comparing
display names (forum/accounts/services/names.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import icu

# Between digits: whitespace (but a line break), dots, dashes and hyphens, slashes, underscores.
_SEPARATOR = frozenset(" \t\u00a0.·‧•_-‐‑‒–—―−/\\")
_MAX_SEPARATORS = 3


@dataclass(frozen=True)
class Folded:
    """Folded text, and for each of its characters the index of the original character it came from."""

    text: str
    origin: tuple[int, ...]
    original_length: int

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span that folded ``[start, end)`` came from."""
        if start >= len(self.origin):
            return self.original_length, self.original_length
        first = self.origin[start]
        last = self.origin[end - 1] + 1 if end > start else first
        return first, last


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if unicodedata.category(char) == "Cf":
        return ""
    return "".join(c for c in unicodedata.normalize("NFKC", char) if unicodedata.category(c) != "Cf")


def fold_for_rules(text: str) -> Folded:
    """Read ``text`` as a reader sees it (see the module's docstring); keep where each character came from."""
    distinct = set(text)
    origin: Sequence[int]
    if all(_fold_char(char) == char for char in distinct):
        # The usual case: nothing to fold (a comment's distinct characters are checked, not each of
        # its characters: 250 -> 20 us for 500 of them), and without a digit nothing else changes.
        if not any(char.isdigit() for char in distinct):
            return Folded(text, tuple(range(len(text))), len(text))
        folded, origin = text, range(len(text))
    else:
        chars: list[str] = []
        positions: list[int] = []
        for index, char in enumerate(text):
            for mapped in _fold_char(char):
                chars.append(mapped)
                positions.append(index)
        folded, origin = "".join(chars), positions
    return _without_digit_separators(folded, origin, len(text))


_SEPARATOR_RUN = re.compile("[" + re.escape("".join(sorted(_SEPARATOR))) + "]+")


def _without_digit_separators(text: str, origin: Sequence[int], original_length: int) -> Folded:
    """Drop each run of at most ``_MAX_SEPARATORS`` separators that stands between two digits."""
    out: list[str] = []
    out_origin: list[int] = []
    kept = 0
    for run in _SEPARATOR_RUN.finditer(text):
        start, end = run.span()
        if (
            end - start <= _MAX_SEPARATORS
            and start > 0
            and end < len(text)
            and text[start - 1].isdigit()
            and text[end].isdigit()
        ):
            out.append(text[kept:start])
            out_origin.extend(origin[kept:start])
            kept = end
    if not out:
        return Folded(text, tuple(origin), original_length)
    out.append(text[kept:])
    out_origin.extend(origin[kept:])
    return Folded("".join(out), tuple(out_origin), original_length)


@lru_cache(maxsize=1)
def _spoof_checker() -> icu.SpoofChecker:
    return icu.SpoofChecker()


@lru_cache(maxsize=8192)
def _skeleton_char(char: str) -> str:
    return str(_spoof_checker().getSkeleton(0, char.casefold())).casefold()


def skeleton_for_words(folded: Folded) -> Folded:
    """The confusable skeleton of folded text, case folded, for matching words (hits map back as before)."""
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(folded.text):
        for mapped in _skeleton_char(char):
            chars.append(mapped)
            origin.append(folded.origin[index])
    return Folded("".join(chars), tuple(origin), folded.original_length)


_SPACES = re.compile(r"\s+")


def name_skeleton(name: str) -> str:
    """What a name looks like, for telling whether two names can be told apart (TR39 skeleton, case
    folded, format characters and spaces ignored): "Mark Duman", "mark  duman" and "Mаrk Duman" with a
    Cyrillic а all give the same value."""
    folded = fold_for_rules(name).text
    skeleton = _spoof_checker().getSkeleton(0, folded.casefold())
    skeleton = _spoof_checker().getSkeleton(0, str(skeleton).casefold())
    return _SPACES.sub("", str(skeleton).casefold())
