"""Find what should hold a comment for review: links, personal data, banned words.

Pure functions over text, so each rule is easy to test; the policy decides who they apply to. Every
rule reads the text as a reader sees it (forum/platform/folding.py: NFKC, no invisible format
characters, no separators between digits; banned words also through the confusable skeleton), and
its hits are mapped back to the characters the author wrote, which stay as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from linkify_it import LinkifyIt

from forum.platform.folding import Folded, fold_for_rules, skeleton_for_words


@dataclass(frozen=True)
class Hit:
    """One rule that matched, with the matched text and where it is."""

    rule: str
    matched: str
    start: int
    end: int


# What each rule tells the author, in plain words.
EXPLANATIONS = {
    "new_member": "New members' first few comments are read by a moderator before they appear. "
    "This usually happens within a day.",
    "link": "It contains a link. Links from newer members are checked by a moderator to keep out spam.",
    "email": "It seems to include an email address.",
    "uk_phone": "It seems to include a phone number.",
    "nhs_number": "It seems to include an NHS number.",
    "uk_postcode": "It seems to include a postcode.",
    "date_of_birth": "It seems to include a date of birth.",
    "banned_word": "It contains a word that a moderator checks before publishing.",
    "duplicate": "It is the same as a comment you posted a few minutes ago.",
    "premoderation": "A moderator reads your comments and edits before they appear, for now.",
    "held_edit": "Your edit will appear once a moderator has read it; until then others see the "
    "published text.",
}
# What each rule tells moderators about a held comment (the author reads EXPLANATIONS).
FOR_MODERATORS = {
    "new_member": "New member: their first comments are read before they appear (no rule matched).",
    "premoderation": "The member is under an “always pre-moderate” sanction.",
    "link": "Contains a link from a member who is not yet trusted.",
    "email": "Looks like an email address.",
    "uk_phone": "Looks like a phone number.",
    "nhs_number": "Looks like an NHS number.",
    "uk_postcode": "Looks like a postcode.",
    "date_of_birth": "Looks like a date of birth.",
    "banned_word": "Contains a banned word.",
    "duplicate": "Repeats a comment the member posted a few minutes earlier.",
}
PERSONAL_DATA = {"email", "uk_phone", "nhs_number", "uk_postcode", "date_of_birth"}
PRIVACY_NOTE = (
    "To protect your privacy, a moderator checks personal details before anyone else can see them. "
    "You can edit your comment to take them out."
)

EMAIL = re.compile(r"\b[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b")
UK_PHONE = re.compile(r"(?<![\w+])(?:\+44\s?\(?0?\)?\s?\d|\(?0\d)(?:[\s\-)]{0,2}\d){8,9}(?!\d)")
NHS_NUMBER = re.compile(r"(?<!\d)(\d{3})[\s-]?(\d{3})[\s-]?(\d{4})(?!\d)")
UK_POSTCODE = re.compile(
    r"\b(?:GIR ?0AA|[A-PR-UWYZ](?:\d{1,2}|[A-HK-Y]\d{1,2}|\d[A-HJKPS-UW]|[A-HK-Y]\d[ABEHMNPRV-Y])"
    r" ?\d[ABD-HJLNP-UW-Z]{2})\b",
    re.IGNORECASE,
)
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
_DATE = (
    rf"(?:\d{{1,2}}[/.-]?\d{{1,2}}[/.-]?\d{{2,4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS}\.?,?\s+\d{{4}}"
    rf"|{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})"
)
DATE_OF_BIRTH = re.compile(
    rf"\b(?:d\.?o\.?b\.?|date of birth|born(?:\s+on)?|birthday(?:\s+is)?)\s*[:\-]?\s*{_DATE}", re.IGNORECASE
)
_linkify = LinkifyIt()


def nhs_number_is_valid(digits: str) -> bool:
    """Check an NHS number's modulus-11 check digit."""
    if len(digits) != 10 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _folded(text: str | Folded) -> Folded:
    return text if isinstance(text, Folded) else fold_for_rules(text)


def _hit(rule: str, folded: Folded, original: str, start: int, end: int) -> Hit:
    """A hit found in folded text, as the span of the original text it covers."""
    first, last = folded.span(start, end)
    return Hit(rule, original[first:last].strip(), first, last)


def _regex_hits(rule: str, pattern: re.Pattern[str], folded: Folded, original: str) -> list[Hit]:
    return [_hit(rule, folded, original, m.start(), m.end()) for m in pattern.finditer(folded.text)]


def personal_data(text: str, folded: Folded | None = None) -> list[Hit]:
    """Find email addresses, UK phone numbers, valid NHS numbers, UK postcodes and dates of birth."""
    folded = folded or fold_for_rules(text)
    seen = folded.text
    hits = _regex_hits("email", EMAIL, folded, text)
    nhs = [m for m in NHS_NUMBER.finditer(seen) if nhs_number_is_valid("".join(m.groups()))]
    hits += [_hit("nhs_number", folded, text, m.start(), m.end()) for m in nhs]
    nhs_spans = {(h.start, h.end) for h in hits if h.rule == "nhs_number"}
    hits += [h for h in _regex_hits("uk_phone", UK_PHONE, folded, text) if (h.start, h.end) not in nhs_spans]
    hits += _regex_hits("uk_postcode", UK_POSTCODE, folded, text)
    hits += _regex_hits("date_of_birth", DATE_OF_BIRTH, folded, text)
    return hits


def links(text: str, folded: Folded | None = None) -> list[Hit]:
    """Find web links (not email addresses, which personal_data reports)."""
    folded = folded or fold_for_rules(text)
    found = _linkify.match(folded.text) or []
    return [
        _hit("link", folded, text, m.index, m.last_index) for m in found if not m.url.startswith("mailto:")
    ]


def banned_words(text: str, words: Iterable[str], folded: Folded | None = None) -> list[Hit]:
    """Find whole-word matches of the banned list, ignoring case and look-alike letters (the TR39
    skeletons of the text and of each word are compared)."""
    cleaned = {_skeleton(w) for w in words if w.strip()}
    cleaned.discard("")
    if not cleaned:
        return []
    skeleton = skeleton_for_words(folded or fold_for_rules(text))
    alternatives = "|".join(re.escape(w) for w in sorted(cleaned, key=len, reverse=True))
    pattern = re.compile(r"(?<!\w)(?:" + alternatives + r")(?!\w)")
    return _regex_hits("banned_word", pattern, skeleton, text)


def _skeleton(word: str) -> str:
    return skeleton_for_words(fold_for_rules(word.strip())).text


def explain_for_moderators(rules: Iterable[str]) -> str:
    """Say to a moderator why a comment or an edit waits, from the rules that held it."""
    return " ".join(FOR_MODERATORS[r] for r in dict.fromkeys(rules) if r in FOR_MODERATORS)


def explain(rules: Iterable[str]) -> str:
    """Say in plain words why a comment is waiting, from the rules that held it."""
    rules = list(dict.fromkeys(rules))
    sentences = [EXPLANATIONS[r] for r in rules if r in EXPLANATIONS]
    if any(r in PERSONAL_DATA for r in rules):
        sentences.append(PRIVACY_NOTE)
    return " ".join(sentences)
