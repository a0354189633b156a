"""The notices: front matter read, Markdown rendered with raw HTML shown as text."""

from __future__ import annotations

import pytest

from forum.platform import notices


def test_a_notice_has_its_title_version_and_html():
    found = notices.parse("x", "---\ntitle: House rules\nversion: 3\n---\n## Be kind\n\n<b>bold</b> | a\n")
    assert (found.title, found.version) == ("House rules", "3")
    assert "<h2>Be kind</h2>" in found.html and "<b>" not in found.html and "&lt;b&gt;" in found.html


def test_a_notice_without_a_version_is_refused():
    with pytest.raises(ValueError, match="needs a title and a version"):
        notices.parse("x", "---\ntitle: No version\n---\nText")


def test_the_shipped_privacy_notice_reads():
    found = notices.notice("privacy")
    assert found.title == "Privacy notice" and found.version
    assert (
        "You don&#39;t have to use your real name" in found.html
        or "You don't have to use your real name" in found.html
    )
    assert "<table>" in found.html
