"""The rules that hold a comment: personal data, links, banned words, and the words authors are shown."""

from __future__ import annotations

import pytest

from forum.discussion.models import text_fingerprint
from forum.moderation.services import rules


def found(text: str) -> set[tuple[str, str]]:
    return {(h.rule, h.matched) for h in rules.personal_data(text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mail me at jo.bloggs+nhs@example.co.uk please", {("email", "jo.bloggs+nhs@example.co.uk")}),
        ("ring 07824 605 352 today", {("uk_phone", "07824 605 352")}),
        ("or +44 20 7946 0958", {("uk_phone", "+44 20 7946 0958")}),
        ("or (020) 7946 0958", {("uk_phone", "(020) 7946 0958")}),
        ("my NHS number is 943 476 5919", {("nhs_number", "943 476 5919")}),
        ("number 9434765919 again", {("nhs_number", "9434765919")}),
        ("I live near SW1A 1AA", {("uk_postcode", "SW1A 1AA")}),
        ("postcode m1 1ae", {("uk_postcode", "m1 1ae")}),
        ("DOB: 12/03/1956", {("date_of_birth", "DOB: 12/03/1956")}),
        ("I was born on 4th July 1950", {("date_of_birth", "born on 4th July 1950")}),
        ("date of birth March 3, 1961", {("date_of_birth", "date of birth March 3, 1961")}),
    ],
)
def test_personal_data_is_found(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "In 2013 the NHS reported 1200 deaths; by 2016 it was worse.",
        "The report has 52 pages and costs £8.50.",
        "ISBN: 978 1 909029 08 8",
        "943 476 5918 fails the check digit",  # modulus 11 says no
        "The meeting on 12/03/2024 went well",  # a date, but not a date of birth
        "Call the NHS 111 service",
    ],
)
def test_ordinary_text_is_not_personal_data(text):
    assert found(text) == set()


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("9434765919", True),
        ("9434765918", False),
        ("4010232137", True),
        ("1111111111", False),
        ("123", False),
    ],
)
def test_nhs_number_check_digit(number, valid):
    assert rules.nhs_number_is_valid(number) is valid


def test_links_but_not_emails():
    hits = rules.links("See www.example.com/page and https://nhs.uk, or write to a@b.org")
    assert [h.matched for h in hits] == ["www.example.com/page", "https://nhs.uk"]


def test_banned_words_are_whole_words_in_any_case():
    hits = rules.banned_words("Total RUBBISH, not rubbishy", ["rubbish", " "])
    assert [(h.matched, h.start) for h in hits] == [("RUBBISH", 6)]
    assert rules.banned_words("anything", []) == []


def test_explanations_are_plain_words():
    text = rules.explain(["uk_phone", "link", "uk_phone"])
    assert text.count("phone number") == 1 and "link" in text and "protect your privacy" in text
    assert "moderator" in rules.explain(["new_member"])
    assert (
        text_fingerprint("  Hello\n WORLD ") == text_fingerprint("hello world") != text_fingerprint("hello")
    )
