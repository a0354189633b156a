"""Find the signs that someone may be at risk in a comment: pure functions over text, like the rules.

Five signals: suicidal thoughts or intent, self-harm, intent to harm others, abuse or neglect
disclosed (of a child or an adult at risk), and a medical emergency happening now. A comment with
any of them is held for a person to read first, whoever wrote it (docs/safeguarding.md).

Precision matters as much as recall: a forum about health policy is full of "suicide prevention
strategy", "self-harm services", "this policy is killing the NHS" and lived experience told in the
past tense. So each clause is read as a person would read it:

- **who**: the patterns name the speaker ("I", "my") or someone close to them ("my son says he
  wants to kill himself"), never people in general ("patients who self-harm");
- **when**: a clause that places itself in the past ("years ago", "when I was nineteen", "in 2009",
  "used to") is lived experience, unless it also says it is happening now or lately ("again",
  "tonight", "last night");
- **not**: a negation just before the words ("I'm not suicidal", "I don't want to die in hospital")
  cancels them, unless the negation is the point ("I don't want to be alive");
- **idioms**: "I'd kill for", "dying to", "shoot me an email", "killing me", "bored to death" and
  their kind are blanked out before anything is matched;
- **fiction**: a clause about a film, a play or a character is not a disclosure.

The lexicon (``forum/moderation/lexicon/safeguarding.toml``, patterns with shared fragments) follows
published guidance on the words people use (Samaritans' media guidelines and
"signs that someone may be struggling", NHS pages on suicidal thoughts, self-harm, heart attack and
stroke (FAST), NHS 111 emergency symptoms, and the Care Act 2014's categories of abuse and neglect);
its limits are in docs/safeguarding.md. Offsets refer to the text as given.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib.resources import files

SUICIDE = "suicide"
SELF_HARM = "self_harm"
HARM_OTHERS = "harm_others"
ABUSE = "abuse"
EMERGENCY = "emergency"
SIGNALS = (SUICIDE, SELF_HARM, HARM_OTHERS, ABUSE, EMERGENCY)

LABELS = {
    SUICIDE: "Suicidal thoughts or intent",
    SELF_HARM: "Self-harm",
    HARM_OTHERS: "Intent to harm others",
    ABUSE: "Abuse or neglect disclosed",
    EMERGENCY: "A medical emergency now",
}


@dataclass(frozen=True)
class RiskSignal:
    """One sign of risk: which signal, the words that raised it, and where they are."""

    signal: str
    matched: str
    start: int
    end: int


LEXICON = files("forum.moderation") / "lexicon" / "safeguarding.toml"
_FRAGMENT = re.compile(r"<([A-Z_]+)>")


def _expand(template: str, fragments: dict[str, str]) -> str:
    """Put the fragments into a template (fragments may use each other)."""
    while _FRAGMENT.search(template):
        template = _FRAGMENT.sub(lambda m: fragments[m.group(1)], template)
    return template


def _load() -> tuple[dict[str, re.Pattern[str]], dict[str, re.Pattern[str]]]:
    """Read the lexicon (forum/moderation/lexicon/safeguarding.toml) and compile it, once."""
    data = tomllib.loads(LEXICON.read_text(encoding="utf-8"))
    fragments = data["fragments"]
    # Matched against lower-cased text: several times faster than IGNORECASE over these alternations.
    compile_ = lambda template: re.compile(_expand(template, fragments))  # noqa: E731
    # One alternation per signal: a clause is scanned once per signal, not once per pattern.
    patterns = {signal: compile_("|".join(f"(?:{t})" for t in data["signals"][signal])) for signal in SIGNALS}
    context = {name: compile_(template) for name, template in data["context"].items()}
    return patterns, context


PATTERNS, _CONTEXT = _load()
IDIOMS, PAST, RECENT = _CONTEXT["idioms"], _CONTEXT["past"], _CONTEXT["recent"]
FICTION, NEGATION, ASKED = _CONTEXT["fiction"], _CONTEXT["negation"], _CONTEXT["asked"]
CLAUSE_END = re.compile(r"[.!?;:\n]+|,\s+(?:but|and|so)\s+|\s+but\s+")


def _lowered(text: str) -> str:
    """Lower-case ``text`` without changing its length (a few letters lower-case to two characters)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _clauses(text: str) -> list[tuple[int, str]]:
    """Split text into clauses, each with where it starts (sentences, and ", but" / "; " joins)."""
    found, start = [], 0
    for end in CLAUSE_END.finditer(text):
        if end.start() > start:
            found.append((start, text[start : end.start()]))
        start = end.end()
    if start < len(text):
        found.append((start, text[start:]))
    return found


def _blank_idioms(clause: str) -> str:
    return IDIOMS.sub(lambda m: " " * len(m.group(0)), clause)


def _is_past(clause: str) -> bool:
    return bool(PAST.search(clause)) and not RECENT.search(clause)


def _negated(clause: str, start: int) -> bool:
    return bool(NEGATION.search(clause[max(0, start - 24) : start]))


def risk_signals(text: str) -> list[RiskSignal]:
    """Return every sign of risk in ``text`` (at most one per signal and clause), in reading order."""
    plain = _lowered(text.replace("’", "'").replace("‘", "'"))  # the same length: offsets stay true
    # Most comments raise nothing: one scan of the whole text per signal says which can match at all.
    whole = _blank_idioms(plain)
    candidates = [(signal, pattern) for signal, pattern in PATTERNS.items() if pattern.search(whole)]
    found: list[RiskSignal] = []
    if not candidates:
        return found
    for offset, clause in _clauses(plain):
        if FICTION.search(clause) or ASKED.search(clause) or _is_past(clause):
            continue
        readable = _blank_idioms(clause)
        for signal, pattern in candidates:
            match = next((m for m in pattern.finditer(readable) if not _negated(readable, m.start())), None)
            if match is not None:
                start, end = offset + match.start(), offset + match.end()
                found.append(RiskSignal(signal, text[start:end].strip(), start, end))
    return sorted(found, key=lambda s: (s.start, SIGNALS.index(s.signal)))


def signals_in(text: str) -> set[str]:
    """The signals ``text`` raises (for tests and the queue's filter)."""
    return {found.signal for found in risk_signals(text)}
