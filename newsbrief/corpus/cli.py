"""The ``newsbrief corpus`` subcommand: batch outputs in, tables and an HTML report out.

Exit status (as the other commands): 0 ok; 2 usage; 3 unusable input (no such batch
output, a bad alias file, an output path that is not a directory). Records the load skips
(error records, cut-off lines...) are counted on stderr and in the report, not errors.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from newsbrief.errors import InputError

EXIT_OK, EXIT_USAGE, EXIT_INPUT = 0, 2, 3

_EPILOG = """examples:
  newsbrief corpus briefs.jsonl --out corpus/
  newsbrief corpus briefs.jsonl --articles articles.jsonl --out corpus/   # dates, outlets, urls
  newsbrief corpus run1.jsonl run2.parquet --aliases aliases.tsv --out corpus/

writes corpus/{speakers,quotes,stances,articles,issue_groups,merges}.{parquet,csv} and
corpus/report.html; query the Parquet files with DuckDB (newsbrief.corpus.frames.connect).
"""


def add_corpus_parser(subparsers: Any) -> None:
    """Register ``newsbrief corpus`` on the main parser's subparsers."""
    parser = subparsers.add_parser(
        "corpus",
        help="merge speakers across briefs; write tables and an HTML report",
        description="Build a corpus from batch outputs: speakers merged across articles, "
        "issues grouped, tables (Parquet, CSV) and a static HTML report.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("briefs", nargs="+", help="batch outputs (JSONL files or .parquet dirs)")
    parser.add_argument("--out", required=True, help="directory for the tables and report")
    parser.add_argument("--articles", default=None, help="the batch input (JSONL) for metadata")
    parser.add_argument("--aliases", default=None, help="alias file: NAME<TAB>TARGET or NAME<TAB>-")
    parser.add_argument("--no-report", action="store_true", help="write the tables only")
    parser.add_argument("-q", "--quiet", action="store_true", help="print errors only")


def run_corpus_command(args: argparse.Namespace) -> int:
    """Run ``newsbrief corpus``; returns the exit status."""
    try:
        return _corpus(args)
    except InputError as exc:
        print(f"newsbrief: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except ImportError as exc:  # pandas / duckdb / pyarrow missing: a usage problem
        print(f"newsbrief: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("newsbrief: interrupted", file=sys.stderr)
        return 130


def _corpus(args: argparse.Namespace) -> int:
    from newsbrief.corpus.core import Corpus
    from newsbrief.corpus.frames import write_tables
    from newsbrief.corpus.report import write_report

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: --out must be a directory")
    started = time.perf_counter()

    def say(message: str) -> None:
        if not args.quiet:
            print(f"newsbrief: {message} ({time.perf_counter() - started:.1f} s)", file=sys.stderr)

    say(f"reading {len(args.briefs)} batch output(s)")
    corpus = Corpus.from_batch(args.briefs, articles=args.articles, aliases=args.aliases)
    for line in corpus.report.lines():
        say(line)
    say(f"{len(corpus.index.speakers)} speakers, {len(corpus.issue_groups)} issue groups")
    written = write_tables(corpus, out)
    say(f"wrote {len(written)} tables to {out}/ (Parquet and CSV)")
    if not args.no_report:
        say(f"wrote {write_report(corpus, out / 'report.html')}")
    return EXIT_OK
