"""The static HTML corpus report and the notebook view of a corpus.

Jinja2 templates with autoescaping (``templates/``): every name, quote, title and issue is
escaped, so one carrying HTML, Markdown or formula characters is shown as its characters.
The pictures are matplotlib SVG (:mod:`.plots`, which escapes its text). The speakers and
quotes tables are sortable (click a heading) and searchable (the box above each), with a
few lines of inline script and no network access.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from newsbrief.corpus import plots

if TYPE_CHECKING:
    from newsbrief.corpus.base import CorpusData as Corpus

#: Rows of the quotes table in the report (the CSV and Parquet tables hold every quote).
MAX_QUOTE_ROWS = 5000


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("newsbrief.corpus", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _speaker_rows(corpus: Corpus) -> list[dict[str, Any]]:
    from newsbrief.corpus.frames import speakers_frame

    frame = speakers_frame(corpus).sort_values(["quotes", "name"], ascending=[False, True])
    rows = []
    for row in frame.itertuples(index=False):
        rows.append(
            {
                "id": row.speaker_id,
                "name": row.name,
                "kind": row.kind,
                "quotes": int(row.quotes),
                "articles": int(row.articles),
                "first": ""
                if row.first_seen is None or str(row.first_seen) == "NaT"
                else str(row.first_seen.date()),
                "last": ""
                if row.last_seen is None or str(row.last_seen) == "NaT"
                else str(row.last_seen.date()),
                "outlets": "; ".join(row.outlets),
                "variants": "; ".join(row.variants),
                "descriptions": "; ".join(row.descriptions),
            }
        )
    return rows


def _quote_rows(corpus: Corpus) -> list[dict[str, Any]]:
    rows = []
    for key, info, quote, speaker_id, speaker in corpus.quotes():
        rows.append(
            {
                "date": "" if info.date is None else info.date.isoformat(),
                "article": info.title or key,
                "speaker": speaker or "",
                "speaker_id": speaker_id or "",
                "text": quote.text,
                "kind": quote.kind,
            }
        )
        if len(rows) >= MAX_QUOTE_ROWS:
            return rows
    return rows


def render_report(corpus: Corpus, *, title: str = "newsbrief corpus report") -> str:
    """The whole report as one HTML page (pictures inline, no external resources)."""
    quotes = _quote_rows(corpus)
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            title=title,
            load=corpus.report.lines(),
            n_articles=len(corpus.briefs),
            n_speakers=len(corpus.index.speakers),
            n_quotes=sum(len(b.quotes) for b in corpus.briefs.values()),
            n_groups=len(corpus.issue_groups),
            pictures=[
                ("A speaker's stances over time", plots.svg_stances_over_time(corpus)),
                ("Most quoted speakers per outlet", plots.svg_quoted_per_outlet(corpus)),
                ("Stance mix per issue group", plots.svg_stance_mix(corpus)),
            ],
            speakers=_speaker_rows(corpus),
            quotes=quotes,
            quotes_cut=len(quotes) >= MAX_QUOTE_ROWS,
            merges=corpus.index.merges,
            groups=[g for g in corpus.issue_groups if len(g.article_ids) > 1],
        )
    )


def write_report(corpus: Corpus, path: str | Path) -> Path:
    """Write :func:`render_report` to ``path`` (UTF-8)."""
    path = Path(path)
    path.write_text(render_report(corpus), encoding="utf-8")
    return path


def corpus_summary_html(corpus: Corpus, top: int = 10) -> str:
    """The notebook view: counts, the most quoted speakers, what the load skipped."""
    return (
        _environment()
        .get_template("summary.html.j2")
        .render(
            load=corpus.report.lines(),
            n_articles=len(corpus.briefs),
            n_speakers=len(corpus.index.speakers),
            n_groups=len(corpus.issue_groups),
            speakers=sorted(_speaker_rows(corpus), key=lambda r: (-r["quotes"], r["name"]))[:top],
        )
    )
