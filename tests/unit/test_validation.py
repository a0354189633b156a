"""The text rules every field shares (forum/validation.py)."""

from __future__ import annotations

import pytest

from forum.platform import validation
from forum.platform.errors import ValidationFailed


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  Ann   Smith ", "Ann Smith"),
        ("Ann\tSmith\r\nJones", "Ann Smith Jones"),  # one line: breaks fold into spaces
        ("ＡＮＮ", "ANN"),  # full-width compatibility letters
        ("ﬁona", "fiona"),  # ligature
        ("Zoe\u0308", "Zoë"),  # composed
        ("Dr\u00a0Who", "Dr Who"),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_lines_are_normalised(raw, clean):
    assert validation.clean_line(raw, max_length=50) == clean


@pytest.mark.parametrize("bad", ["a\x00b", "a\x1bb", "a\x7fb", "a\x9bb", "a\ud800b", "a\u202eb", "a\u2066b"])
def test_lines_refuse_control_surrogate_and_bidi_characters(bad):
    with pytest.raises(ValidationFailed) as caught:
        validation.clean_line(bad, max_length=50)
    assert "control character" in caught.value.errors["_"][0]


def test_texts_keep_line_breaks_and_tabs_but_not_other_controls():
    assert validation.clean_text("a\r\n\tb  \n\n\n\nc", max_length=50) == "a\n\tb\n\nc"
    assert validation.clean_text("e\u0301", max_length=5) == "é"
    assert validation.clean_text("ﬁ", max_length=5) == "ﬁ"  # NFC only: text keeps what people typed
    assert validation.clean_text(
        "right\u202eto-left", max_length=50
    )  # allowed in prose (Arabic, Hebrew quotes)
    with pytest.raises(ValidationFailed):
        validation.clean_text("bell\x07", max_length=50)


def test_lengths_are_counted_after_cleaning_and_said_plainly():
    assert validation.clean_line("  " + "x" * 10 + "  ", max_length=10) == "x" * 10
    with pytest.raises(ValidationFailed) as caught:
        validation.clean_text("x" * 1001, max_length=1000)
    assert caught.value.errors == {"_": ["Keep it to 1,000 characters or fewer; this is 1,001."]}


def test_required_values_and_field_names():
    with pytest.raises(ValidationFailed) as caught:
        validation.line("  ", "display_name", max_length=10, blank="Enter a name.")
    assert caught.value.errors == {"display_name": ["Enter a name."]}
    with pytest.raises(ValidationFailed) as caught:
        validation.text("x" * 11, "note", max_length=10)
    assert list(caught.value.errors) == ["note"]
