"""Check and clean people's text in one place: control characters, Unicode forms, whitespace, lengths.

Two kinds of text:

- a *line* (names, job titles, organisations, token names, reasons): NFKC-normalised, so look-alike
  compatibility characters (full-width letters, ligatures, non-breaking spaces) become their plain
  forms; every run of whitespace becomes one space; no control characters and no invisible format
  characters (Unicode category Cf: bidirectional marks, overrides and isolates, zero-width spaces
  and joiners, soft hyphens, the Arabic letter mark): in a name they hide or reorder what is read.
- a *text* (bios, notes, comments): NFC-normalised (composed accents, nothing else changed), line
  breaks kept as ``\\n``, tabs kept; no other control characters.

Neither may hold a Unicode noncharacter (U+FDD0-U+FDEF, U+FFFE, U+FFFF and the last two of every
plane): they are not text, and XML (the Atom feeds) forbids U+FFFE and U+FFFF.

The schemas (``forum/platform/fields.py``) and the services that take raw form values call these
functions, and ``forum/platform/http/security.py`` refuses control characters in any submitted field
before a view runs, so the same rules hold for every form and every API call.
"""

from __future__ import annotations

import re
import unicodedata

from forum.platform.errors import ValidationFailed

# C0 controls except tab, line feed and carriage return; DEL; C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Lone surrogates cannot be stored as UTF-8 (PostgreSQL refuses them) and are never real text.
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Bidirectional embeddings, overrides and isolates: they can make a name read backwards ("Trojan Source").
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
# Noncharacters: permanently reserved, never text; U+FFFE and U+FFFF are forbidden in XML.
_NONCHARACTER = re.compile(
    "[\ufdd0-\ufdef\ufffe\uffff" + "".join(f"\\U{p:04x}fffe\\U{p:04x}ffff" for p in range(1, 17)) + "]"
)
_WHITESPACE = re.compile(r"\s+")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")
_MANY_BLANK_LINES = re.compile(r"\n{3,}")

# For the OpenAPI document: the characters a text may not contain (JSON Schema / ECMA-262 syntax).
TEXT_PATTERN = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufdd0-\ufdef\ufffe\uffff]*$"
LINE_PATTERN = (
    r"^[^\u0000-\u001f\u007f-\u009f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    r"\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\ufdd0-\ufdef\ufffe\uffff]*$"
)


def forbidden_character(value: str, *, multi_line: bool = True) -> str | None:
    """Return a description of the first character ``value`` may not contain, or None."""
    for pattern in (_CONTROL, _SURROGATE, _NONCHARACTER) if multi_line else (_CONTROL, _SURROGATE, _BIDI):
        match = pattern.search(value)
        if match:
            return f"U+{ord(match.group()):04X}"
    if not multi_line:
        noncharacter = _NONCHARACTER.search(value)
        if noncharacter:
            return f"U+{ord(noncharacter.group()):04X}"
        for char in value:
            if unicodedata.category(char) == "Cf":
                return f"U+{ord(char):04X}"
    return None


def control_character_message(code: str) -> str:
    """Say plainly why a value was refused."""
    char = chr(int(code[2:], 16))
    if _NONCHARACTER.match(char):
        return f"Remove the character {code}: it is not a character anyone can read, so it cannot be stored."
    if unicodedata.category(char) == "Cf":
        return (
            f"Remove the invisible control character ({code}): in a name or title it can hide or "
            "reorder what people read."
        )
    return f"Remove the invisible control character ({code}); it cannot be stored."


def clean_line(value: str | None, *, max_length: int, blank: str | None = None) -> str | None:
    """Normalise a one-line value; return None when it is empty and optional.

    :raises ValidationFailed: (under the key ``_``) for a forbidden character, an empty required
        value (``blank`` is then the message) or more than ``max_length`` characters.
    """
    text = value or ""
    bad = forbidden_character(text, multi_line=False)  # tabs and line breaks are folded into spaces below
    if bad:
        raise ValidationFailed(errors={"_": [control_character_message(bad)]})
    text = _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()
    if not text:
        if blank:
            raise ValidationFailed(errors={"_": [blank]})
        return None
    if len(text) > max_length:
        raise ValidationFailed(errors={"_": [too_long(max_length, len(text))]})
    return text


def clean_text(value: str | None, *, max_length: int, blank: str | None = None) -> str | None:
    """Normalise a multi-line value (NFC, ``\\n`` line breaks, no trailing spaces, at most one blank line).

    :raises ValidationFailed: as :func:`clean_line`.
    """
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    bad = forbidden_character(text)
    if bad:
        raise ValidationFailed(errors={"_": [control_character_message(bad)]})
    text = _MANY_BLANK_LINES.sub("\n\n", _TRAILING_SPACE.sub("\n", unicodedata.normalize("NFC", text)))
    text = text.strip()
    if not text:
        if blank:
            raise ValidationFailed(errors={"_": [blank]})
        return None
    if len(text) > max_length:
        raise ValidationFailed(errors={"_": [too_long(max_length, len(text))]})
    return text


def too_long(limit: int, length: int) -> str:
    """Say how long a value may be and how long it is."""
    return f"Keep it to {limit:,} characters or fewer; this is {length:,}."


def line(value: str | None, name: str, *, max_length: int, blank: str | None = None) -> str | None:
    """:func:`clean_line` for a service taking a raw form value: errors are keyed by ``name``.

    :raises ValidationFailed: with ``{name: [message]}``.
    """
    try:
        return clean_line(value, max_length=max_length, blank=blank)
    except ValidationFailed as exc:
        raise ValidationFailed(errors={name: exc.errors["_"]}) from exc


def text(value: str | None, name: str, *, max_length: int, blank: str | None = None) -> str | None:
    """:func:`clean_text` for a service taking a raw form value: errors are keyed by ``name``.

    :raises ValidationFailed: with ``{name: [message]}``.
    """
    try:
        return clean_text(value, max_length=max_length, blank=blank)
    except ValidationFailed as exc:
        raise ValidationFailed(errors={name: exc.errors["_"]}) from exc
