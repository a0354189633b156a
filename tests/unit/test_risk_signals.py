"""The safeguarding detector against its labelled corpus: recall and false holds, signal by signal."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from forum.moderation.services.risk_signals import SIGNALS, risk_signals, signals_in

CORPUS = Path(__file__).resolve().parent.parent / "data" / "safeguarding_corpus.tsv"
RECALL_AT_LEAST = 0.95
FALSE_HOLDS_AT_MOST = 0.03


def _corpus() -> list[tuple[str, str]]:
    rows = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, text = line.split("\t", 1)
            rows.append((label, text))
    return rows


def test_the_corpus_is_big_enough_and_covers_every_signal():
    labels = Counter(label for label, _ in _corpus())
    assert sum(labels.values()) >= 150
    assert sum(labels[s] for s in SIGNALS) >= 60 and labels["none"] >= 90
    assert all(labels[s] >= 10 for s in SIGNALS), labels


@pytest.mark.parametrize("signal", SIGNALS)
def test_recall_on_the_at_risk_sentences_of_each_signal(signal):
    sentences = [text for label, text in _corpus() if label == signal]
    missed = [text for text in sentences if signal not in signals_in(text)]
    assert 1 - len(missed) / len(sentences) >= RECALL_AT_LEAST, missed


@pytest.mark.parametrize("signal", SIGNALS)
def test_false_holds_on_the_sentences_that_are_not_at_risk(signal):
    sentences = [text for label, text in _corpus() if label != signal]
    held = [text for text in sentences if signal in signals_in(text) and _label(text) == "none"]
    safe = [text for label, text in _corpus() if label == "none"]
    assert len(held) / len(safe) <= FALSE_HOLDS_AT_MOST, held


def test_no_more_than_three_percent_of_safe_sentences_are_held_at_all():
    safe = [text for label, text in _corpus() if label == "none"]
    held = [text for text in safe if risk_signals(text)]
    assert len(held) / len(safe) <= FALSE_HOLDS_AT_MOST, held


def _label(text: str) -> str:
    return next(label for label, found in _corpus() if found == text)


def test_spans_point_at_the_words_in_the_text_as_written():
    text = "Thanks for the report.\nHonestly I can’t go on, I want to end my life."
    found = risk_signals(text)
    assert [f.signal for f in found] == ["suicide"]
    assert text[found[0].start : found[0].end].strip() == found[0].matched
    assert "end my life" in found[0].matched


@pytest.mark.parametrize(
    "text",
    [
        "I'd kill for a GP appointment.",
        "Years ago I wanted to die, and the crisis team helped me.",
        "I'm not suicidal, just tired.",
        "The suicide prevention strategy is out today.",
        "In the film he wants to die.",
    ],
)
def test_idioms_the_past_negation_policy_and_fiction_hold_nothing(text):
    assert risk_signals(text) == []


def test_the_past_gives_way_to_what_is_happening_again():
    assert signals_in("Years ago I used to cut myself, and I've started cutting myself again.") == {
        "self_harm"
    }
