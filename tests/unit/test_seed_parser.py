"""The seed importer's parser against all five documents, field by field, and broken documents."""

from __future__ import annotations

import tomllib

import pytest

from forum.seeding.services.loader import _parse_entry
from forum.seeding.services.parser import SeedFormatError, first_name, parse_document
from forum.seeding.services.roles import infer_role, read_role
from tests.conftest import SEEDS_DIR
from tests.seed_expectations import ARTICLES, FURNITURE, ROLE_SOURCES

MANIFEST = tomllib.loads((SEEDS_DIR / "manifest.toml").read_text())
ENTRIES = {entry["slug"]: entry for entry in MANIFEST["document"]}
PUBLISHER = [MANIFEST["publisher"]["name"], *MANIFEST["publisher"]["aliases"]]


def parse(slug: str):
    return _parse_entry(SEEDS_DIR, ENTRIES[slug])


def test_manifest_lists_all_five_documents_once():
    assert sorted(e["file"] for e in MANIFEST["document"]) == sorted(p.name for p in SEEDS_DIR.glob("*.txt"))
    assert set(ENTRIES) == set(ARTICLES)


@pytest.mark.parametrize("slug", sorted(ARTICLES))
def test_article_fields(slug):
    file, title, subtitle, byline, _kind, first, last, bullets, comments = ARTICLES[slug]
    parsed = parse(slug)
    assert ENTRIES[slug]["file"] == file
    assert parsed.title == title
    assert parsed.subtitle == subtitle
    if byline is None:
        assert parsed.byline is None
    else:
        assert parsed.byline.startswith(byline)
    assert parsed.body.startswith(first)
    assert parsed.body.endswith(last)
    assert sum(line.startswith("- ") for line in parsed.body.splitlines()) == bullets
    for furniture in FURNITURE:
        assert furniture not in parsed.body
    assert title not in parsed.body.split("\n\n")[0] or slug == "collaborative-leadership-reading-list"
    assert len(parsed.comments) == len(comments)


@pytest.mark.parametrize("slug", sorted(ARTICLES))
def test_comment_fields(slug):
    expected = ARTICLES[slug][-1]
    parsed = parse(slug)
    assert [c.number for c in parsed.comments] == list(expected)
    for comment in parsed.comments:
        name, job, org, role, reply_to, paragraphs, first, last = expected[comment.number]
        assert comment.name == name
        assert comment.job_title == job
        assert comment.organisation == org
        assert comment.reply_to == reply_to
        assert infer_role(comment.job_title, comment.organisation, PUBLISHER).value == role
        assert (
            read_role(comment.job_title, comment.organisation, PUBLISHER)[1].value
            == ROLE_SOURCES[comment.number]
        )
        assert comment.body.startswith(first)
        assert comment.body.endswith(last)
        assert len(comment.body.split("\n\n")) == paragraphs
        assert comment.body == comment.body.strip()


def test_comment_text_is_kept_whole_with_its_line_breaks():
    parsed = parse("shared-decision-making")
    marcus = next(c for c in parsed.comments if c.number == 547780)
    assert marcus.body == (
        "Mark - many thanks for your comment.\n\n"
        "I'd be happy to meet up and have a conversation. Would you like to drop me an email "
        "m.powell@kingsfund.org.uk and we can arrange something.\n\n"
        "Best regards\n\nMarcus"
    )
    kevin = next(c for c in parsed.comments if c.number == 547792)
    assert (
        "Robert Francis QC three years ago in his report as to the root cause of\nthe “preventable”"
        in kevin.body
    )
    assert "safety.by saving money by reducing the number of nurses and doctors. .#" in kevin.body


def test_the_numbered_page_furniture_does_not_leak_into_comments():
    parsed = parse("patient-centred-leadership")
    assert all("Add new comment" not in c.body for c in parsed.comments)
    assert "\n- No. of pages: 52" in parsed.body  # in the publication details, not the text
    assert "| Buy" not in parsed.body
    assert "Patient-centred leadership: Rediscovering our purpose" not in parsed.body


def test_bullets_are_normalised_including_non_breaking_spaces():
    parsed = parse("collaborative-leadership-reading-list")
    bullets = [line for line in parsed.body.splitlines() if line.startswith("- ")]
    assert len(bullets) == 13
    assert all(not line[2].isspace() and "\u00a0" not in line[:3] for line in bullets)
    assert "•" not in parsed.body


GOOD = "Title\n\nBody text.\n\nComments\n\n#10 Ann Smith\nNurse\nNone\n\nHello.\n\n#11 Bob Jones\nCEO\nAcme\n\nAnn - thanks.\n"


def test_minimal_document_and_reply_by_first_name():
    parsed = parse_document(GOOD, filename="x.txt")
    assert [(c.number, c.name, c.organisation, c.reply_to) for c in parsed.comments] == [
        (10, "Ann Smith", None, None),
        (11, "Bob Jones", "Acme", 10),
    ]


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        (GOOD.replace("#10 Ann Smith\n", ""), 7, "expected a '#NUMBER Name' line"),
        (GOOD.replace("#11 Bob Jones", "#10 Bob Jones"), 13, "repeats the number first used on line 7"),
        (GOOD.replace("#11 Bob Jones", "#11"), 13, "has no name"),
        (GOOD.replace("Hello.\n\n", ""), 7, "has no text"),
        (GOOD.replace("Nurse\nNone\n", "Nurse\nNone\nExtra\nMore\n"), 10, "more than two lines"),
        ("Title\nComments: 3\n\nBody\n" + GOOD[GOOD.index("Comments") :], 2, "says 3 comments but 2"),
    ],
)
def test_malformed_documents_name_file_and_line(text, line, fragment):
    with pytest.raises(SeedFormatError) as caught:
        parse_document(text, filename="broken.txt")
    assert caught.value.filename == "broken.txt"
    assert caught.value.line == line
    assert fragment in str(caught.value)
    assert str(caught.value).startswith(f"broken.txt:{line}: ")


def test_a_page_without_title_needs_one_from_the_manifest():
    with pytest.raises(SeedFormatError):
        parse_document("", filename="empty.txt")
    assert parse_document("Just a paragraph.", filename="p.txt", title="Given").body == "Just a paragraph."


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Dr DJ Brown", "DJ"),
        ("kevin riley", "kevin"),
        ("Prof. Jane Roe", "Jane"),
        ("ALF COLLINS", "ALF"),
        ("", None),
    ],
)
def test_first_name_skips_honorifics(name, expected):
    assert first_name(name) == expected


def test_addressing_someone_who_has_not_commented_yet_is_not_a_reply():
    parsed = parse("shared-decision-making")
    mark = next(c for c in parsed.comments if c.number == 547779)
    assert mark.body.startswith("Marcus\n")  # Marcus answers later, so Mark's comment is top level
    assert mark.reply_to is None


@pytest.mark.parametrize(
    ("job", "org", "role"),
    [
        ("Patient Leader", "CPFT", "patient_leader"),
        ("NED", "PiF", "ned"),
        ("Non-executive director", None, "ned"),
        ("Consultant Surgeon", None, "clinician"),
        ("Staff Nurse", "Trust", "clinician"),
        ("GP partner", None, "clinician"),
        ("Supporter of Doctors and Nurses", None, "other"),
        ("Cultural Change Consultant", None, "other"),
        ("Director of Leadership", "The King’s Fund", "staff"),
        ("Researcher", "the kings fund", "staff"),
        ("CEO", "Acme", "manager"),
        ("Chief Executive", "Patient Access Ltd", "manager"),
        ("Chief Executive", "The King's Fund", "staff"),
        (None, None, "other"),
    ],
)
def test_role_rule_table(job, org, role):
    assert infer_role(job, org, PUBLISHER).value == role
