"""The corpus as tables: pandas DataFrames, Parquet and CSV files, DuckDB views.

Tables (one row per ...):

- ``speakers``: merged speaker: ``speaker_id``, ``name``, ``kind`` (``name`` or
  ``description``), ``quotes``, ``articles``, ``first_seen``, ``last_seen`` (dates),
  ``outlets``, ``variants`` (every form it was named by), ``descriptions`` (titles used).
- ``quotes``: quote: ``quote_id`` (``Quote.id``, unique within its article), ``article_id``,
  ``speaker_id`` (null when unattributed), ``speaker``, ``name_in_article``, ``text``,
  ``kind``, ``cue``, ``start``, ``end``, ``date``, ``outlet``, ``issue_group``.
- ``stances``: stance: ``article_id``, ``speaker_id``, ``speaker``, ``issue_group``,
  ``issue_label``, ``target``, ``label`` (null: abstained), ``abstained``, ``confidence``,
  ``evidence_ids`` (quote ids), ``date``, ``outlet``.
- ``articles``: ``article_id``, ``title``, ``date``, ``outlet``, ``url``, ``issue``,
  ``issue_group``, ``quotes``, ``stances``.
- ``issue_groups``: ``issue_group``, ``label``, ``articles``, ``issues``.
- ``merges``: every speaker merge decision: ``rule``, ``merged``, ``into``, ``detail``.

``write_tables`` writes each as ``NAME.parquet`` and ``NAME.csv`` (formula-safe cells, lists
joined with ``"; "``); :func:`connect` opens an in-process DuckDB database with one view per
Parquet file (``pip install 'newsbrief[corpus]'``).
"""

from __future__ import annotations

import importlib
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsbrief.corpus.base import CorpusData as Corpus

TABLES = ("speakers", "quotes", "stances", "articles", "issue_groups", "merges")

#: Example queries over the views (docs/CORPUS.md explains each).
EXAMPLE_QUERIES = {
    "most quoted speakers per outlet": """
        SELECT q.outlet, s.name, count(*) AS quotes
        FROM quotes q JOIN speakers s USING (speaker_id)
        WHERE s.kind = 'name'
        GROUP BY q.outlet, s.name
        QUALIFY row_number() OVER (PARTITION BY q.outlet ORDER BY count(*) DESC, s.name) <= 5
        ORDER BY q.outlet, quotes DESC, s.name""",
    "stance mix per issue group": """
        SELECT issue_label, coalesce(label, 'abstained') AS stance, count(*) AS n
        FROM stances
        GROUP BY issue_label, stance
        ORDER BY issue_label, n DESC, stance""",
    "a speaker's stances over time": """
        SELECT st.date, st.issue_label, st.label, round(st.confidence, 2) AS confidence
        FROM stances st JOIN speakers s USING (speaker_id)
        WHERE s.name = 'Donald Trump' AND st.label IS NOT NULL
        ORDER BY st.date NULLS LAST, st.issue_label""",
}


def _pandas() -> Any:
    try:
        return importlib.import_module("pandas")
    except ImportError:
        raise ImportError(
            "newsbrief.corpus tables need pandas: pip install 'newsbrief[corpus]'"
        ) from None


def _dates(pandas: Any, values: list[Any]) -> Any:
    return pandas.to_datetime(pandas.Series(values, dtype="object"), errors="raise")


def _frame(
    pandas: Any,
    rows: list[dict[str, Any]],
    columns: list[str],
    types: dict[str, str],
    dates: tuple[str, ...] = ("date",),
) -> Any:
    """The rows as a DataFrame of ``columns`` (in that order, even with no rows), the
    ``dates`` columns as datetimes and the others of ``types`` as those dtypes."""
    frame = pandas.DataFrame(rows, columns=columns)
    for column in dates:
        frame[column] = _dates(pandas, list(frame[column]))
    return frame.astype(types)


def speakers_frame(corpus: Corpus) -> Any:
    """One row per merged speaker (see the module docstring for the columns)."""
    pandas = _pandas()
    quotes_of: dict[str, int] = defaultdict(int)
    for mention_id, speaker_id in corpus.index.of_mention.items():
        if "/stance" not in mention_id:
            quotes_of[speaker_id] += 1
    rows = []
    for speaker in sorted(corpus.index.speakers.values(), key=lambda s: s.id):
        infos = [corpus.articles[a] for a in speaker.articles if a in corpus.articles]
        dates = sorted(i.date for i in infos if i.date is not None)
        rows.append(
            {
                "speaker_id": speaker.id,
                "name": speaker.name,
                "kind": speaker.kind,
                "quotes": quotes_of[speaker.id],
                "articles": len(speaker.articles),
                "first_seen": dates[0] if dates else None,
                "last_seen": dates[-1] if dates else None,
                "outlets": sorted({i.outlet for i in infos if i.outlet}),
                "variants": list(speaker.variants),
                "descriptions": list(speaker.descriptions),
            }
        )
    return _frame(
        pandas,
        rows,
        _SPEAKER_COLUMNS,
        {"quotes": "int64", "articles": "int64"},
        dates=("first_seen", "last_seen"),
    )


_SPEAKER_COLUMNS = [
    "speaker_id", "name", "kind", "quotes", "articles", "first_seen", "last_seen",
    "outlets", "variants", "descriptions",
]  # fmt: skip


def quotes_frame(corpus: Corpus) -> Any:
    """One row per quote of every brief, with its merged speaker (see the module docstring)."""
    pandas = _pandas()
    group_of = corpus.group_of()
    rows = []
    for key, info, quote, speaker_id, speaker in corpus.quotes():
        rows.append(
            {
                "quote_id": quote.id,
                "article_id": key,
                "speaker_id": speaker_id,
                "speaker": speaker,
                "name_in_article": quote.speaker,
                "text": quote.text,
                "kind": quote.kind,
                "cue": quote.cue,
                "start": quote.start,
                "end": quote.end,
                "date": info.date,
                "outlet": info.outlet,
                "issue_group": group_of[key].id if key in group_of else None,
            }
        )
    columns = [
        "quote_id", "article_id", "speaker_id", "speaker", "name_in_article", "text", "kind",
        "cue", "start", "end", "date", "outlet", "issue_group",
    ]  # fmt: skip
    return _frame(pandas, rows, columns, {"start": "int64", "end": "int64"})


def stances_frame(corpus: Corpus) -> Any:
    """One row per stance of every brief, with its speaker id and issue group."""
    pandas = _pandas()
    group_of = corpus.group_of()
    rows = []
    for key, brief in corpus.briefs.items():
        info = corpus.articles[key]
        group = group_of.get(key)
        for stance in brief.stances:
            speaker_id = corpus.speaker_of(key, stance.speaker)
            rows.append(
                {
                    "article_id": key,
                    "speaker_id": speaker_id,
                    "speaker": corpus.index.speakers[speaker_id].name if speaker_id else None,
                    "issue_group": group.id if group else None,
                    "issue_label": group.label if group else None,
                    "target": stance.target,
                    "label": stance.label,
                    "abstained": stance.abstained,
                    "confidence": stance.confidence,
                    "evidence_ids": list(stance.evidence_ids),
                    "date": info.date,
                    "outlet": info.outlet,
                }
            )
    columns = [
        "article_id", "speaker_id", "speaker", "issue_group", "issue_label", "target", "label",
        "abstained", "confidence", "evidence_ids", "date", "outlet",
    ]  # fmt: skip
    return _frame(pandas, rows, columns, {"abstained": "bool", "confidence": "float64"})


def articles_frame(corpus: Corpus) -> Any:
    """One row per article: metadata, issue and issue group, counts."""
    pandas = _pandas()
    group_of = corpus.group_of()
    rows = [
        {
            "article_id": key,
            "title": corpus.articles[key].title,
            "date": corpus.articles[key].date,
            "outlet": corpus.articles[key].outlet,
            "url": corpus.articles[key].url,
            "issue": brief.issue,
            "issue_group": group_of[key].id if key in group_of else None,
            "quotes": len(brief.quotes),
            "stances": len(brief.stances),
        }
        for key, brief in corpus.briefs.items()
    ]
    columns = [
        "article_id", "title", "date", "outlet", "url", "issue", "issue_group", "quotes",
        "stances",
    ]  # fmt: skip
    return _frame(pandas, rows, columns, {"quotes": "int64", "stances": "int64"})


def issue_groups_frame(corpus: Corpus) -> Any:
    """One row per issue group: id, label, its articles and their issues."""
    rows = [
        {"issue_group": g.id, "label": g.label, "articles": list(g.article_ids),
         "issues": list(g.issues)}
        for g in corpus.issue_groups
    ]  # fmt: skip
    return _pandas().DataFrame(rows, columns=["issue_group", "label", "articles", "issues"])


def merges_frame(corpus: Corpus) -> Any:
    """Every merge decision of the speaker index, in order."""
    rows = [vars(m) for m in corpus.index.merges]
    return _pandas().DataFrame(rows, columns=["rule", "merged", "into", "detail"])


def frames(corpus: Corpus) -> dict[str, Any]:
    """Every table, by name (:data:`TABLES`)."""
    makers = {
        "speakers": speakers_frame,
        "quotes": quotes_frame,
        "stances": stances_frame,
        "articles": articles_frame,
        "issue_groups": issue_groups_frame,
        "merges": merges_frame,
    }
    return {name: makers[name](corpus) for name in TABLES}


def csv_frame(frame: Any) -> Any:
    """A copy of ``frame`` for CSV: lists joined with ``"; "``, text cells made safe from
    spreadsheet formulas by :func:`newsbrief.surfaces.tables.csv_safe` (the one owner of
    that rule; it reads object columns, so text columns are made object first)."""
    from newsbrief.surfaces.tables import csv_safe

    types = _pandas().api.types
    out = frame.copy()
    for column in out.columns:
        kind = out[column].dtype
        if not (types.is_numeric_dtype(kind) or types.is_datetime64_any_dtype(kind)):
            joined = out[column].map(lambda v: "; ".join(map(str, v)) if isinstance(v, list) else v)
            out[column] = joined.astype(object)  # pandas 3 infers "str", which csv_safe skips
    return csv_safe(out)


def write_tables(corpus: Corpus, out: str | Path) -> dict[str, Path]:
    """Write every table as ``NAME.parquet`` and ``NAME.csv`` under ``out``; the Parquet
    paths by table name."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, frame in frames(corpus).items():
        frame.to_parquet(out / f"{name}.parquet", index=False)
        csv_frame(frame).to_csv(out / f"{name}.csv", index=False)
        written[name] = out / f"{name}.parquet"
    return written


def connect(directory: str | Path, database: str = ":memory:") -> Any:
    """An in-process DuckDB connection with a view per table written by :func:`write_tables`.

    Raises:
        FileNotFoundError: a table's Parquet file is missing.
    """
    try:
        duckdb = importlib.import_module("duckdb")
    except ImportError:
        raise ImportError(
            "SQL over a corpus needs duckdb: pip install 'newsbrief[corpus]'"
        ) from None
    directory = Path(directory)
    connection = duckdb.connect(database)
    for name in TABLES:
        path = directory / f"{name}.parquet"
        if not path.is_file():
            raise FileNotFoundError(f"{path}: no such table (write it with write_tables)")
        literal = str(path.resolve()).replace("'", "''")
        connection.execute(
            f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM read_parquet('{literal}')"
        )
    return connection
