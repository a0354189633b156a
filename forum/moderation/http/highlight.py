"""Mark, in a held comment's text, what each rule matched, for the moderator's eye."""

from __future__ import annotations

from markupsafe import Markup, escape

from forum.moderation.models import RuleHit


def highlight(text: str, hits: list[RuleHit]) -> Markup:
    """Escape the text and mark what each rule matched, for the moderator's eye."""
    out: list[str] = []
    position = 0
    for hit in sorted(hits, key=lambda h: h.start):
        if (
            hit.start < position
            or hit.end > len(text)
            or text[hit.start : hit.end].strip() != hit.matched.strip()
        ):
            continue  # overlapping, or the text changed since: show it plainly
        out.append(str(escape(text[position : hit.start])))
        out.append(f'<mark title="{escape(hit.rule)}">{escape(text[hit.start : hit.end])}</mark>')
        position = hit.end
    out.append(str(escape(text[position:])))
    return Markup("".join(out).replace("\n", "<br>\n"))  # noqa: S704 - every piece was escaped above  # nosec B704
