"""Views of a Brief: HTML for Jupyter (summary, speakers with stance badges, quotes), Markdown.

Every piece of article and model text goes through :func:`html.escape`: an article that
contains ``<script>`` shows it as text. Styles are inline (no ``<style>`` block, no
script), so the HTML renders the same in a notebook, on GitHub and in a saved page.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from html import escape

from newsbrief.models import Brief, Quote, Stance

#: Speaker colours (light backgrounds, readable with black text), assigned in speaker order.
PALETTE: tuple[str, ...] = (
    "#cfe2ff",
    "#ffe5b4",
    "#d1f2d9",
    "#f8d7da",
    "#e2d9f3",
    "#d2f4ea",
    "#fff3cd",
    "#f7d6e6",
)
UNATTRIBUTED_COLOUR = "#e9ecef"
LABEL_COLOURS = {
    "supportive": "#198754",
    "opposed": "#dc3545",
    "cautious": "#b8860b",
    "neutral": "#6c757d",
}
OTHER_LABEL_COLOUR = "#495057"

_BOX = (
    "font-family: system-ui, sans-serif; line-height: 1.5; max-width: 60em; "
    "border: 1px solid #dee2e6; border-radius: 6px; padding: 0.8em 1em"
)


def brief_markdown(brief: Brief) -> str:
    """A brief as Markdown for a terminal or a document."""
    lines = [f"# {brief.title}" if brief.title else "# Brief", ""]
    if brief.summary:
        lines += [brief.summary, ""]
    if brief.issue:
        lines += [f"**Issue:** {brief.issue}", ""]
    if brief.stances:
        lines += ["## Stances", ""]
        for stance in brief.stances:
            who = stance.speaker or "author"
            label = stance.label or "unclear (abstained)"
            lines.append(f"- **{who}**: {label} (confidence {stance.confidence:.2f})")
        lines.append("")
    lines += ["## Quotes", ""]
    for quote in brief.quotes:
        who = quote.speaker or "unattributed"
        cue = f", {quote.cue}" if quote.cue else ""
        lines.append(f"- [{quote.kind}] **{who}**{cue}: “{quote.text}” ({quote.start}-{quote.end})")
    if not brief.quotes:
        lines.append("No quotes found.")
    return "\n".join(lines) + "\n"


def speaker_colours(brief: Brief) -> dict[str, str]:
    """A colour per speaker: stance speakers first, then other quoted speakers, in order."""
    names: list[str] = [s.speaker for s in brief.stances if s.speaker]
    names += [q.speaker for q in brief.quotes if q.speaker]
    unique = list(dict.fromkeys(names))
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(unique)}


def brief_html(brief: Brief, text: str | None = None) -> str:
    """The brief as one self-contained HTML fragment.

    Args:
        brief: the brief.
        text: the article it was made from; when given, the article is shown with each
            quote highlighted in its speaker's colour, otherwise the quotes are listed.

    Raises:
        ValueError: ``text`` is not the article the brief's quote offsets index into.
    """
    colours = speaker_colours(brief)
    parts = [f'<div class="newsbrief-brief" style="{_BOX}">']
    if brief.title:
        parts.append(f'<h3 style="margin: 0 0 0.4em 0">{escape(brief.title)}</h3>')
    if brief.summary:
        summary = escape(brief.summary)
        parts.append(f'<p style="font-size: 1.05em; margin: 0 0 0.6em 0">{summary}</p>')
    if brief.issue:
        parts.append(f"<p><strong>Issue:</strong> {escape(brief.issue)}</p>")
    parts.append(_speakers_html(brief, colours))
    if text is None:
        parts.append(_quote_list_html(brief.quotes, colours))
    else:
        parts.append(_article_html(text, brief.quotes, colours))
    parts.append(_provenance_html(brief))
    parts.append("</div>")
    return "\n".join(parts)


def brief_page(brief: Brief, text: str | None = None) -> str:
    """A standalone HTML page of :func:`brief_html` (for ``newsbrief brief --format html``)."""
    title = escape(brief.title or "newsbrief")
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f"<title>{title}</title></head>\n<body>\n{brief_html(brief, text)}\n</body></html>\n"
    )


class BriefView:
    """A brief together with its article; Jupyter renders it with the quotes highlighted.

    Args:
        brief: the brief.
        text: the article the brief was made from (its quote offsets index into it).

    Raises:
        ValueError: the quote offsets do not match ``text``.
    """

    def __init__(self, brief: Brief, text: str) -> None:
        _check_offsets(text, brief.quotes)
        self.brief = brief
        self.text = text

    def _repr_html_(self) -> str:
        return brief_html(self.brief, self.text)

    def __repr__(self) -> str:
        return f"BriefView(quotes={len(self.brief.quotes)}, stances={len(self.brief.stances)})"


def show(brief: Brief, text: str) -> None:
    """Display the brief with its article highlighted in the running notebook.

    Raises:
        RuntimeError: IPython is not installed (outside Jupyter use :func:`brief_html`).
    """
    try:
        display = importlib.import_module("IPython.display").display
    except ImportError as exc:
        raise RuntimeError(
            "show() needs IPython (run it in Jupyter); elsewhere use brief_html(brief, text)"
        ) from exc
    display(BriefView(brief, text))


def _speakers_html(brief: Brief, colours: dict[str, str]) -> str:
    if not brief.stances:
        return ""
    items = [_stance_item(stance, colours) for stance in brief.stances]
    return '<ul style="list-style: none; padding-left: 0">' + "".join(items) + "</ul>"


def _stance_item(stance: Stance, colours: dict[str, str]) -> str:
    who = stance.speaker or "the author"
    colour = colours.get(stance.speaker or "", UNATTRIBUTED_COLOUR)
    label = stance.label or "unclear"
    badge_colour = LABEL_COLOURS.get(label, OTHER_LABEL_COLOUR)
    name = (
        f'<span style="background: {colour}; padding: 0 0.3em; border-radius: 3px">'
        f"{escape(who)}</span>"
    )
    badge = (
        f'<span style="background: {badge_colour}; color: white; padding: 0 0.45em; '
        f'border-radius: 0.8em; font-size: 0.85em">{escape(label)}</span>'
    )
    title = escape(", ".join(f"{label} {p:.2f}" for label, p in stance.scores.items()), quote=True)
    confidence = f'<span title="{title}">confidence {stance.confidence:.2f}</span>'
    return f'<li style="margin: 0.2em 0">{name} {badge} {confidence}</li>'


def _quote_list_html(quotes: Sequence[Quote], colours: dict[str, str]) -> str:
    if not quotes:
        return "<p><em>No quotes found.</em></p>"
    items = []
    for quote in quotes:
        who = quote.speaker or "unattributed"
        cue = f" ({escape(quote.cue)})" if quote.cue else ""
        items.append(
            f"<li>{_mark(quote, colours)} <small>— {escape(who)}{cue}, {quote.kind}, "
            f"{quote.start}-{quote.end}</small></li>"
        )
    return "<ol>" + "".join(items) + "</ol>"


def _article_html(text: str, quotes: Sequence[Quote], colours: dict[str, str]) -> str:
    _check_offsets(text, quotes)
    pieces: list[str] = []
    position = 0
    # Quote spans do not overlap in practice; a span starting inside the previous one is
    # shown unhighlighted rather than breaking the nesting.
    for quote in sorted(quotes, key=lambda q: (q.start, -q.end)):
        if quote.start < position:
            continue
        pieces.append(escape(text[position : quote.start]))
        pieces.append(_mark(quote, colours))
        position = quote.end
    pieces.append(escape(text[position:]))
    return '<div style="white-space: pre-wrap; margin-top: 0.8em">' + "".join(pieces) + "</div>"


def _mark(quote: Quote, colours: dict[str, str]) -> str:
    colour = colours.get(quote.speaker or "", UNATTRIBUTED_COLOUR)
    who = quote.speaker or "unattributed"
    hover = escape(f"{who} ({quote.kind})", quote=True)
    return (
        f'<mark title="{hover}" style="background: {colour}; padding: 0 0.1em">'
        f"{escape(quote.text)}</mark>"
    )


def _provenance_html(brief: Brief) -> str:
    provenance = brief.provenance
    return (
        '<p style="color: #6c757d; font-size: 0.8em; margin-bottom: 0">'
        f"model {escape(provenance.model_id)} · newsbrief {escape(provenance.package_version)}"
        "</p>"
    )


def _check_offsets(text: str, quotes: Sequence[Quote]) -> None:
    for quote in quotes:
        if text[quote.start : quote.end] != quote.text:
            raise ValueError(
                f"quote at {quote.start}-{quote.end} does not match the text: "
                "pass the article exactly as it was briefed"
            )
