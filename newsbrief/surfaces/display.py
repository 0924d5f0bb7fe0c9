"""Views of a Brief: HTML for Jupyter (article with quotes, speakers, stances, legend), Markdown.

HTML: every piece of article and model text goes through :func:`html.escape`, so an
article that contains ``<script>`` shows it as text. Styles are inline (no ``<style>``
block, no script), so the view renders the same in a notebook, on GitHub and in a saved
page; every element that sets a background also sets its text colour, so the view reads
on light and dark notebook themes alike.

Markdown: model and article text is escaped for CommonMark (backslash escapes), so a
``<script>`` in an issue or a quote is shown as text by any Markdown renderer.
"""

from __future__ import annotations

import hashlib
import importlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import escape

from newsbrief.models import ABSTAINED, Brief, Quote, Stance, SummarySentence
from newsbrief.text.article import headline_of
from newsbrief.text.safe_text import terminal_text

#: Speaker colours: (background tint read with :data:`INK`, darker accent for outlines and
#: underlines), assigned in speaker order. Their hues (185-325 degrees, and 95) keep clear
#: of the stance badges' green, red and amber.
PALETTE: tuple[tuple[str, str], ...] = (
    ("#c1e0f6", "#215a83"),  # blue, 205 degrees
    ("#f6c1f2", "#83217a"),  # magenta, 305
    ("#d7f6c1", "#498321"),  # lime, 95
    ("#e0c1f6", "#5a2183"),  # violet, 275
    ("#c1f2f6", "#217a83"),  # cyan, 185
    ("#f6c1e0", "#83215a"),  # pink, 325
    ("#c1c9f6", "#213183"),  # indigo, 230
    ("#cec1f6", "#392183"),  # purple, 255
)
#: Quotes without a speaker: grey hatching (no hue), read with :data:`INK`.
UNATTRIBUTED_COLOUR = ("#e9ecef", "#6c757d")
#: Text colour on every coloured background (set explicitly: dark themes inherit light text).
INK = "#111111"
#: Stance badges: white text on these (each at least 4.5:1 contrast).
LABEL_COLOURS = {
    "supportive": "#198754",
    "opposed": "#c82333",
    "cautious": "#8a6500",
    "neutral": "#6c757d",
}
OTHER_LABEL_COLOUR = "#495057"
METHOD_NOTES = {
    "kept": "an article sentence kept whole",
    "shortened": "an article sentence shortened by leaving words out",
    "generated": "written by the model",
}

_BOX = (
    "font-family: system-ui, sans-serif; line-height: 1.6; max-width: 60em; "
    "border: 1px solid #adb5bd; border-radius: 6px; padding: 0.8em 1em"
)
_TAG = (
    "font-size: 0.7em; font-weight: 600; text-transform: uppercase; letter-spacing: 0.03em; "
    "padding: 0 0.3em; margin: 0 0.2em; border-radius: 3px; vertical-align: 0.1em"
)
_FAILURE = (
    "background: #fff3cd; color: #111111; border-left: 4px solid #8a6500; padding: 0.3em 0.6em; "
    "margin: 0.4em 0"
)


# -- Markdown -----------------------------------------------------------------------------

# ASCII punctuation that can start markup inside a CommonMark paragraph: HTML and
# autolinks (<), entities (&), emphasis, code, links, images, tables, strikethrough.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>&|~])")
# What a line may not start with without becoming a heading, list, quote or rule.
_MD_LINE_START = re.compile(r"^(\s*(?:\d+)?)([#+\-=>.)])")


def markdown_escape(text: str) -> str:
    """Text as one CommonMark paragraph line that renders literally.

    Whitespace (newlines included) collapses to single spaces, so the text cannot open a
    block; markup characters get backslash escapes, so ``<script>`` shows as text.
    """
    flat = " ".join(text.split())
    flat = _MD_INLINE.sub(r"\\\1", flat)
    # A digit cannot be escaped: an ordered list's "1." is broken by escaping its mark.
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), flat, count=1)


_OPENING = "“\"'‘«"
_CLOSING = "”\"'’»"


def quoted(text: str) -> str:
    """A quote in curly double quotes; marks inside it become single quotes.

    ``… is “our goal”`` gives ``“… is ‘our goal’”`` rather than ``“… is “our goal””``.
    A text that already opens and closes with quote marks is returned as it is.
    """
    if len(text) >= 2 and text[0] in _OPENING and text[-1] in _CLOSING:
        return text
    inner = text.replace("“", "‘").replace("”", "’")
    parts = inner.split('"')
    if len(parts) % 2 == 1:  # straight double quotes in pairs: open, close, open, ...
        inner = "".join(p + ("‘" if i % 2 == 0 else "’") for i, p in enumerate(parts[:-1]))
        inner += parts[-1]
    return f"“{inner}”"


def chance(stance: Stance) -> float | None:
    """What a guess would score: 1 / the number of labels scored (``None``: no scores)."""
    return 1.0 / len(stance.scores) if stance.scores else None


def confidence_text(stance: Stance) -> str:
    """``confidence 0.35 (chance 0.25 with 4 labels)``: confidence read against a guess."""
    base = chance(stance)
    if base is None:
        return f"confidence {stance.confidence:.2f}"
    return (
        f"confidence {stance.confidence:.2f} (chance {base:.2f} with {len(stance.scores)} labels)"
    )


def span_text(sentence: SummarySentence) -> str:
    """``shortened from 120-245``: how a summary sentence was made and where from (the
    offsets are for hover texts and JSON; the Markdown view shows :attr:`method` only)."""
    spans = ", ".join(f"{s.start}-{s.end}" for s in sentence.sources)
    if sentence.method == "generated":
        return "generated" + (f", drawing on {spans}" if spans else "")
    return f"{sentence.method} from {spans}" if spans else sentence.method


def scores_text(stance: Stance) -> str:
    """``supportive 0.48 · opposed 0.10 · ...``: what the model gave each label."""
    return " · ".join(f"{label} {p:.2f}" for label, p in stance.scores.items())


def evidence_quotes(stance: Stance, brief: Brief) -> list[int]:
    """Indices into ``brief.quotes`` of a stance's evidence (by quote id when both have one)."""
    if stance.evidence_ids:
        by_id = {q.id: i for i, q in enumerate(brief.quotes)}
        return [by_id[i] for i in stance.evidence_ids if i in by_id]
    return [i for i in stance.evidence if 0 <= i < len(brief.quotes)]


def page_title(brief: Brief, text: str | None = None) -> str:
    """A page's title: the brief's title, else the article's headline, else its issue."""
    if brief.title:
        return brief.title
    headline = headline_of(text) if text and text.strip() else None
    if headline:
        return headline
    return f"Brief: {brief.issue}" if brief.issue else "newsbrief"


def brief_markdown(brief: Brief) -> str:
    """A brief as CommonMark for a terminal or a document.

    Article and model text is escaped (see :func:`markdown_escape`), control characters
    made visible (:func:`~newsbrief.text.safe_text.terminal_text`); each summary
    sentence says how it was made (kept, shortened, generated) and its article span;
    failed steps and abstentions are shown, not hidden.
    """
    lines: list[str] = []
    if brief.title:
        lines += [f"# {markdown_escape(brief.title)}", ""]
    if brief.failures:
        lines += ["## Failed steps", ""]
        for failure in brief.failures:
            lines.append(
                f"- **{failure.step}**: {markdown_escape(failure.error)}: "
                f"{markdown_escape(failure.message)}"
            )
        lines.append("")
    if brief.summary_sentences:
        lines += ["## Summary", ""]
        for sentence in brief.summary_sentences:
            lines.append(f"- {markdown_escape(sentence.text)} *({sentence.method})*")
        lines.append("")
    elif brief.summary:
        lines += ["## Summary", "", markdown_escape(brief.summary), ""]
    if brief.issue:
        lines += [f"**Issue:** {markdown_escape(brief.issue)}", ""]
    if brief.stances:
        lines += ["## Stances", ""]
        for stance in brief.stances:
            who = markdown_escape(stance.speaker) if stance.speaker else "the author"
            scores = f"; {markdown_escape(scores_text(stance))}" if stance.scores else ""
            lines.append(
                f"- **{who}**: {markdown_escape(stance.verdict)}, {confidence_text(stance)}{scores}"
            )
            for i in evidence_quotes(stance, brief):
                words = markdown_escape(quoted(brief.quotes[i].text))
                lines.append(f"  - quote {i + 1}: {words}")
        lines.append("")
    lines += ["## Quotes", ""]
    for number, quote in enumerate(brief.quotes, start=1):
        who = markdown_escape(quote.speaker) if quote.speaker else "unattributed"
        cue = f", {markdown_escape(quote.cue)}" if quote.cue else ""
        text = markdown_escape(quoted(quote.text))
        lines.append(f"{number}. \\[{quote.kind}\\] **{who}**{cue}: {text}")
    if not brief.quotes:
        lines.append("No quotes found.")
    return terminal_text("\n".join(lines) + "\n")  # no control sequences from the article


# -- colours ------------------------------------------------------------------------------


def speaker_colours(brief: Brief) -> dict[str, tuple[str, str]]:
    """A (background, accent) pair per speaker: stance speakers first, then other speakers."""
    names: list[str] = [s.speaker for s in brief.stances if s.speaker]
    names += [q.speaker for q in brief.quotes if q.speaker]
    unique = list(dict.fromkeys(names))
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(unique)}


def _colour(colours: dict[str, tuple[str, str]], speaker: str | None) -> tuple[str, str]:
    return colours.get(speaker or "", UNATTRIBUTED_COLOUR) if speaker else UNATTRIBUTED_COLOUR


def _background(colour: tuple[str, str]) -> str:
    if colour == UNATTRIBUTED_COLOUR:
        # Hatching, so an unattributed quote never looks like a speaker's or a badge's colour.
        return (
            f"background-color: {colour[0]}; background-image: repeating-linear-gradient("
            f"135deg, transparent 0 5px, rgba(0,0,0,0.08) 5px 7px)"
        )
    return f"background-color: {colour[0]}"


# -- HTML ---------------------------------------------------------------------------------


def brief_html(brief: Brief, text: str | None = None) -> str:
    """The brief as one self-contained HTML fragment.

    Args:
        brief: the brief.
        text: the article it was made from; when given, the article is shown with each
            quote highlighted in its speaker's colour (overlapping quotes underlined in the
            colours of the outer ones), each speaker mention marked and linked to its first
            quote, the summary sentences linked to their source spans, and a legend.
            Otherwise the quotes are listed.

    Raises:
        ValueError: ``text`` is not the article the brief's quote offsets index into.
    """
    if text is not None:
        _check_offsets(text, brief.quotes)
    colours = speaker_colours(brief)
    prefix = _id_prefix(brief, text)
    parts = [f'<div class="newsbrief-brief" style="{_BOX}">']
    if brief.title:
        parts.append(f'<h3 style="margin: 0 0 0.4em 0">{escape(brief.title)}</h3>')
    parts.append(_failures_html(brief))
    summary = _summary_html(brief, prefix, linked=text is not None)
    if summary:
        parts += [_heading("Summary"), summary]
    if brief.issue or brief.stances:
        parts.append(_heading("Stances"))
    if brief.issue:
        parts.append(
            f'<p style="margin: 0.4em 0"><strong>Issue:</strong> {escape(brief.issue)}</p>'
        )
    parts.append(_stances_html(brief, colours, prefix, linked=text is not None))
    parts.append(_heading("Quotes" if text is None else "Quotes in the article"))
    parts.append(_legend_html(brief, colours, with_article=text is not None))
    if text is None:
        parts.append(_quote_list_html(brief.quotes, colours))
    else:
        parts.append(_article_html(text, brief, colours, prefix))
    parts.append(_provenance_html(brief))
    parts.append("</div>")
    return "\n".join(p for p in parts if p)


#: The standalone page follows the reader's colour scheme (the view's coloured pieces set
#: their own text colour, so only the page itself changes).
_PAGE_STYLE = (
    ":root { color-scheme: light dark; } "
    "body { background-color: #ffffff; color: #111111; margin: 1.5em; } "
    "@media (prefers-color-scheme: dark) { "
    "body { background-color: #161a1d; color: #e3e6e8; } a { color: inherit; } }"
)


def brief_page(brief: Brief, text: str | None = None) -> str:
    """A standalone HTML page of :func:`brief_html` (for ``newsbrief brief --format html``):
    titled with the brief's title, else the article's headline; light or dark as the
    reader's system is (``prefers-color-scheme``)."""
    title = escape(page_title(brief, text))
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        '<meta name="color-scheme" content="light dark">'
        f"<title>{title}</title><style>{_PAGE_STYLE}</style></head>\n"
        f"<body>\n{brief_html(brief, text)}\n</body></html>\n"
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

    def _repr_markdown_(self) -> str:
        return brief_markdown(self.brief)

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


def _id_prefix(brief: Brief, text: str | None) -> str:
    """Element ids unique to this brief and article (two views in one notebook do not clash)."""
    digest = hashlib.sha1(brief.model_dump_json().encode("utf-8", "surrogatepass"))
    digest.update((text or "").encode("utf-8", "surrogatepass"))
    return "nb" + digest.hexdigest()[:8]


def _heading(name: str) -> str:
    return (
        f'<h4 class="nb-heading" style="margin: 0.8em 0 0.3em 0; font-size: 1em; '
        f'text-transform: uppercase; letter-spacing: 0.04em">{escape(name)}</h4>'
    )


def _failures_html(brief: Brief) -> str:
    if not brief.failures:
        return ""
    items = "".join(
        f'<div class="nb-failure" style="{_FAILURE}"><strong>{escape(f.step)} step failed</strong>'
        f" ({escape(f.error)}): {escape(f.message)}</div>"
        for f in brief.failures
    )
    return items


def _method_tag(sentence: SummarySentence) -> str:
    note = escape(METHOD_NOTES.get(sentence.method, sentence.method), quote=True)
    return (
        f'<span class="nb-method" title="{note}" style="{_TAG}; border: 1px solid; '
        f'font-weight: 600">{escape(sentence.method)}</span>'
    )


def _summary_html(brief: Brief, prefix: str, *, linked: bool) -> str:
    if not brief.summary_sentences:
        if not brief.summary:
            return ""
        summary = escape(brief.summary)
        return f'<p style="font-size: 1.05em; margin: 0 0 0.6em 0">{summary}</p>'
    pieces = []
    for j, sentence in enumerate(brief.summary_sentences):
        links = []
        for k, span in enumerate(sentence.sources):
            where = f"article characters {span.start}-{span.end}"
            if linked:
                links.append(
                    f'<a class="nb-source-link" href="#{prefix}-s{j}-{k}" '
                    f'title="show the source span in the article ({where})" '
                    f'style="color: inherit; font-size: 0.8em">[S{j + 1}]</a>'
                )
            else:
                links.append(f'<small class="nb-source-link" title="{where}">[S{j + 1}]</small>')
        pieces.append(
            f'<span class="nb-sentence">{escape(sentence.text)}</span>'
            f"{_method_tag(sentence)}{' '.join(links)}"
        )
    return '<p style="font-size: 1.05em; margin: 0 0 0.6em 0">' + " ".join(pieces) + "</p>"


def _stances_html(
    brief: Brief, colours: dict[str, tuple[str, str]], prefix: str, *, linked: bool
) -> str:
    if not brief.stances:
        return ""
    items = [_stance_item(stance, colours, prefix, brief, linked) for stance in brief.stances]
    return (
        '<ul style="list-style: none; padding-left: 0; margin: 0.4em 0">' + "".join(items) + "</ul>"
    )


def _badge(stance: Stance) -> str:
    if stance.label is None:
        return (
            '<span class="nb-badge nb-abstained" title="newsbrief abstained: no label reached '
            'its threshold" style="border: 1px dashed; padding: 0 0.45em; border-radius: 0.8em; '
            f'font-size: 0.85em">{ABSTAINED}</span>'
        )
    colour = LABEL_COLOURS.get(stance.label, OTHER_LABEL_COLOUR)
    return (
        f'<span class="nb-badge" style="background-color: {colour}; color: #ffffff; '
        f'padding: 0 0.45em; border-radius: 0.8em; font-size: 0.85em">{escape(stance.label)}</span>'
    )


def _confidence_meter(stance: Stance) -> str:
    """A bar of the confidence with a line at chance (1 / number of labels)."""
    base = chance(stance)
    title = escape(", ".join(f"{label} {p:.2f}" for label, p in stance.scores.items()), quote=True)
    chance_line = (
        f'<span class="nb-chance" style="position: absolute; left: {base * 100:.1f}%; top: -2px; '
        'bottom: -2px; border-left: 2px solid currentColor"></span>'
        if base is not None
        else ""
    )
    bar = (
        '<span class="nb-meter" style="display: inline-block; position: relative; width: 5em; '
        "height: 0.6em; border: 1px solid currentColor; border-radius: 2px; margin: 0 0.3em; "
        'vertical-align: middle">'
        f'<span style="position: absolute; left: 0; top: 0; bottom: 0; '
        f'width: {stance.confidence * 100:.1f}%; background-color: #7d8fb3"></span>'
        f"{chance_line}</span>"
    )
    scores = (
        f' <small class="nb-scores">{escape(scores_text(stance))}</small>' if stance.scores else ""
    )
    return (
        f'<span class="nb-confidence" title="{title}">{bar}{escape(confidence_text(stance))}'
        f"</span>{scores}"
    )


def _stance_item(
    stance: Stance, colours: dict[str, tuple[str, str]], prefix: str, brief: Brief, linked: bool
) -> str:
    who = stance.speaker or "the author"
    background, accent = _colour(colours, stance.speaker)
    name = (
        f'<span class="nb-speaker" style="{_background((background, accent))}; color: {INK}; '
        f'padding: 0 0.3em; border-radius: 3px">{escape(who)}</span>'
    )
    evidence = ""
    items = []
    for i in evidence_quotes(stance, brief):
        quote = brief.quotes[i]
        number = (
            f'<a href="#{prefix}-q{i}" title="go to quote {i + 1} in the article" '
            f'style="color: inherit">quote {i + 1}</a>'
            if linked
            else f"quote {i + 1}"
        )
        items.append(
            f'<li title="article characters {quote.start}-{quote.end}">'
            f"{number}: {escape(quoted(quote.text))}</li>"
        )
    if items:
        evidence = (
            '<ul class="nb-evidence" style="margin: 0.1em 0 0.4em 1.2em; padding-left: 0.6em; '
            'font-size: 0.9em; border-left: 3px solid currentColor; list-style: none">'
            + "".join(items)
            + "</ul>"
        )
    return (
        f'<li style="margin: 0.3em 0">{name} {_badge(stance)} {_confidence_meter(stance)}'
        f"{evidence}</li>"
    )


def _legend_html(brief: Brief, colours: dict[str, tuple[str, str]], *, with_article: bool) -> str:
    if not brief.quotes and not colours:
        return ""
    counts: dict[str | None, int] = {}
    for quote in brief.quotes:
        counts[quote.speaker] = counts.get(quote.speaker, 0) + 1
    entries = []
    for name, (background, accent) in colours.items():
        entries.append(
            f'<span class="nb-legend-speaker" style="background-color: {background}; color: {INK}; '
            f"outline: 1px solid {accent}; padding: 0 0.35em; border-radius: 3px; margin-right: "
            f'0.4em">{escape(name)} ({counts.get(name, 0)})</span>'
        )
    if None in counts:
        entries.append(
            f'<span class="nb-legend-speaker" style="{_background(UNATTRIBUTED_COLOUR)}; '
            f'color: {INK}; padding: 0 0.35em; border-radius: 3px; margin-right: 0.4em">'
            f"unattributed ({counts[None]})</span>"
        )
    notes = []
    if with_article:
        notes.append(
            f'<b style="outline: 2px solid {PALETTE[0][1]}; background-color: {PALETTE[0][0]}; '
            f'color: {INK}; padding: 0 0.15em">Name</b> speaker mention (links to its quotes)'
        )
        notes.append(
            f'<span style="{_TAG}; border: 1px solid">direct</span>/<span style="{_TAG}; '
            'border: 1px solid">indirect</span>/<span style="'
            f'{_TAG}; border: 1px solid">mixed</span> quote number and kind, after each quote'
        )
        notes.append(
            f'<span style="background-color: {PALETTE[0][0]}; color: {INK}; box-shadow: 0 3px 0 0 '
            f'{PALETTE[1][1]}">nested</span> a quote inside another, underlined in the outer '
            "one's colour"
        )
        if brief.summary_sentences:
            notes.append(
                '<span style="text-decoration: underline dotted; text-underline-offset: 3px">'
                "dotted</span> source of a summary sentence (S1, S2, ...)"
            )
    legend = (
        '<div class="nb-legend" style="font-size: 0.85em; margin: 0.6em 0; padding: 0.3em 0; '
        'border-top: 1px solid #adb5bd; border-bottom: 1px solid #adb5bd">'
        f"<strong>Speakers</strong> (quotes): {''.join(entries)}"
    )
    if notes:
        legend += "<br>" + " · ".join(notes)
    return legend + "</div>"


def _quote_list_html(quotes: Sequence[Quote], colours: dict[str, tuple[str, str]]) -> str:
    if not quotes:
        return "<p><em>No quotes found.</em></p>"
    items = []
    for quote in quotes:
        who = quote.speaker or "unattributed"
        cue = f" ({escape(quote.cue)})" if quote.cue else ""
        background, accent = _colour(colours, quote.speaker)
        hover = escape(f"{who} ({quote.kind})", quote=True)
        mark = (
            f'<mark title="{hover}" style="{_background((background, accent))}; color: {INK}; '
            f'padding: 0 0.1em">{escape(quote.text)}</mark>'
        )
        items.append(
            f'<li title="article characters {quote.start}-{quote.end}">{mark} '
            f"<small>— {escape(who)}{cue}, {_kind_tag(quote)}</small></li>"
        )
    return "<ol>" + "".join(items) + "</ol>"


def _kind_tag(quote: Quote, number: int | None = None, href: str | None = None) -> str:
    """The quote's kind as a visible label, after its number in the article view."""
    style = f"{_TAG}; border: 1px solid"
    label = escape(quote.kind) if number is None else f"{number} {escape(quote.kind)}"
    if href is None:
        return f'<span class="nb-kind" style="{style}">{label}</span>'
    return (
        f'<a class="nb-kind" href="{href}" title="go to the speaker mention" '
        f'style="{style}; color: inherit; text-decoration: none">{label}</a>'
    )


@dataclass
class _Span:
    start: int
    end: int
    quote: int | None = None
    mention: int | None = None
    source: tuple[int, int] | None = None


@dataclass
class _Mention:
    start: int
    end: int
    speaker: str
    quotes: list[int] = field(default_factory=list)


def _mentions(brief: Brief, text: str) -> list[_Mention]:
    """Speaker mentions in the article, each with the quotes it is the speaker of."""
    found: dict[tuple[int, int], _Mention] = {}
    for i, quote in enumerate(brief.quotes):
        start, end = quote.speaker_start, quote.speaker_end
        if start is None or end is None or quote.speaker is None or end > len(text):
            continue
        mention = found.setdefault((start, end), _Mention(start, end, quote.speaker))
        mention.quotes.append(i)
    return sorted(found.values(), key=lambda m: (m.start, m.end))


def _article_html(text: str, brief: Brief, colours: dict[str, tuple[str, str]], prefix: str) -> str:
    """The article cut at every span boundary; each piece styled by the spans covering it.

    Cutting into flat pieces keeps the HTML well nested whatever the spans do: nested and
    crossing quotes are both shown (the innermost quote's colour as background, each outer
    one as an underline in its colour).
    """
    mentions = _mentions(brief, text)
    spans: list[_Span] = [_Span(q.start, q.end, quote=i) for i, q in enumerate(brief.quotes)]
    spans += [_Span(m.start, m.end, mention=k) for k, m in enumerate(mentions)]
    for j, sentence in enumerate(brief.summary_sentences):
        for k, source in enumerate(sentence.sources):
            if source.end <= len(text) and source.start < source.end:
                spans.append(_Span(source.start, source.end, source=(j, k)))
    mention_of = {i: k for k, m in enumerate(mentions) for i in m.quotes}
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    starts: dict[int, list[_Span]] = {}
    ends: dict[int, list[_Span]] = {}
    for span in spans:
        starts.setdefault(span.start, []).append(span)
        ends.setdefault(span.end, []).append(span)
    pieces: list[str] = []
    for a, b in zip(cuts, [*cuts[1:], len(text)], strict=True):
        for span in ends.get(a, []):
            if span.quote is not None:
                mention = mention_of.get(span.quote)
                href = f"#{prefix}-m{mention}" if mention is not None else None
                pieces.append(_kind_tag(brief.quotes[span.quote], span.quote + 1, href))
        for span in starts.get(a, []):
            pieces.append(_anchor(span, prefix))
        if b <= a:
            continue
        covering = [s for s in spans if s.start <= a and b <= s.end]
        pieces.append(_piece(text[a:b], covering, brief, mentions, colours, prefix))
    return (
        '<div class="nb-article" '
        'style="white-space: pre-wrap; margin-top: 0.8em; line-height: 1.9">'
        + "".join(pieces)
        + "</div>"
    )


def _anchor(span: _Span, prefix: str) -> str:
    """An empty target for links at a span's start (and a visible S-label for sources)."""
    if span.quote is not None:
        return f'<span id="{prefix}-q{span.quote}"></span>'
    if span.mention is not None:
        return f'<span id="{prefix}-m{span.mention}"></span>'
    assert span.source is not None
    j, k = span.source
    return (
        f'<span id="{prefix}-s{j}-{k}" class="nb-source-tag" title="source of summary sentence '
        f'{j + 1}" style="{_TAG}; border: 1px dotted">S{j + 1}</span>'
    )


def _piece(
    chunk: str,
    covering: Iterable[_Span],
    brief: Brief,
    mentions: Sequence[_Mention],
    colours: dict[str, tuple[str, str]],
    prefix: str,
) -> str:
    spans = list(covering)
    quotes = sorted(
        (s for s in spans if s.quote is not None), key=lambda s: (s.end - s.start, s.start)
    )
    mention = next((s for s in spans if s.mention is not None), None)
    sourced = any(s.source is not None for s in spans)
    if not quotes and mention is None and not sourced:
        return escape(chunk)
    styles: list[str] = []
    if sourced:
        styles.append("text-decoration: underline dotted; text-underline-offset: 3px")
    attrs = ""
    if quotes:
        inner = quotes[0].quote
        assert inner is not None
        colour = _colour(colours, brief.quotes[inner].speaker)
        styles += [_background(colour), f"color: {INK}"]
        shadows = [
            f"0 {2 * (n + 1)}px 0 0 {_colour(colours, brief.quotes[s.quote].speaker)[1]}"
            for n, s in enumerate(quotes[1:])
            if s.quote is not None
        ]
        if shadows:
            styles.append("box-shadow: " + ", ".join(shadows))
        indices = [s.quote for s in quotes if s.quote is not None]
        titles = []
        for i in indices:
            quote = brief.quotes[i]
            titles.append(f"quote {i + 1}: {quote.speaker or 'unattributed'} ({quote.kind})")
        attrs = (
            f' title="{escape("; ".join(titles), quote=True)}" '
            f'data-quotes="{" ".join(str(i) for i in indices)}"'
        )
    if mention is not None:
        assert mention.mention is not None
        found = mentions[mention.mention]
        background, accent = _colour(colours, found.speaker)
        styles += [
            f"background-color: {background}",
            f"color: {INK}",
            "font-weight: 700",
            f"outline: 2px solid {accent}",
            "border-radius: 2px",
            "text-decoration: none",
        ]
        quote_list = ", ".join(str(i + 1) for i in found.quotes)
        title = escape(f"{found.speaker}: speaker of quote {quote_list}", quote=True)
        return (
            f'<a class="nb-mention" href="#{prefix}-q{found.quotes[0]}" title="{title}" '
            f'data-speaker="{escape(found.speaker, quote=True)}" style="{"; ".join(styles)}">'
            f"{escape(chunk)}</a>"
        )
    tag = "mark" if quotes else "span"
    return f'<{tag}{attrs} style="{"; ".join(styles)}">{escape(chunk)}</{tag}>'


def _provenance_html(brief: Brief) -> str:
    provenance = brief.provenance
    return (
        '<p style="font-size: 0.8em; margin-bottom: 0">'
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
