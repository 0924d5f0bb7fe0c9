"""The ``newsbrief eval`` subcommand: run, report, compare runs, check against a baseline."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from newsbrief.errors import InputError, ModelLoadError
from newsbrief.eval.runner import BrieferLike
from newsbrief.eval.schema import EvalReport, Task
from newsbrief.eval.task_metrics import TASK_CHOICES
from newsbrief.text.safe_text import TerminalFormatter, terminal_text

if TYPE_CHECKING:
    from newsbrief.eval.gold import GoldSet

EXIT_OK, EXIT_REGRESSION, EXIT_USAGE, EXIT_INPUT, EXIT_MODEL = 0, 1, 2, 3, 4

_USAGE = """examples:
  newsbrief eval evals/gold --out reports/run1
  newsbrief eval evals/gold --tasks summary,stance --limit 5 --model path/to/model
  newsbrief eval evals/gold --ids-file evals/ci_subset.txt --check-baseline evals/baseline.json
  newsbrief eval evals/gold --ids-file evals/ci_subset.txt --update-baseline evals/baseline.json
  newsbrief eval /work/shared/data/polnear/polnear_dev.jsonl --tasks quotes
  newsbrief eval --compare reports/run1 reports/run2

tasks: summary, quotes, stance score each step alone (gold target, gold speaker); brief
runs Briefer.brief() as a user does and scores its issue, speakers, stances and summary.
Reports show newsbrief's margin over the best model-free baseline per task, on the whole
gold and on each half of evals/splits.json (dev, held-out).

exit status: 0 ok, 1 regression against the baseline (or a refused lower baseline),
2 usage, 3 bad gold/report/baseline, 4 model cannot be loaded. Articles where newsbrief
fails are counted in the report, not in the exit status (the baseline check counts them).
"""


def add_eval_parser(subparsers: Any) -> None:
    """Register ``newsbrief eval`` on the main parser's subparsers."""
    parser = subparsers.add_parser(
        "eval",
        help="evaluate against hand-written gold",
        description="Score newsbrief and baselines against gold; write JSON/Markdown/HTML reports.",
        epilog=_USAGE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("gold", nargs="*", help="gold JSONL files or directories")
    parser.add_argument(
        "--model", default=None, help="hub id, directory or .gguf (default: embedded)"
    )
    parser.add_argument("--device", default=None, help="cpu (default), cuda, cuda:N or auto")
    parser.add_argument(
        "--tasks",
        default=",".join(TASK_CHOICES),
        help=f"comma-separated tasks among {','.join(TASK_CHOICES)} (default: all)",
    )
    parser.add_argument(
        "--splits",
        default=None,
        help="JSON file of id lists per half of the gold (default: splits.json beside the "
        "gold directory, when there is one)",
    )
    parser.add_argument("--limit", type=int, default=None, help="evaluate the first N articles")
    parser.add_argument(
        "--ids-file", default=None, help="evaluate only the ids listed (one a line)"
    )
    parser.add_argument("--out", default=None, help="directory for report.json/.md/.html")
    parser.add_argument("--seed", type=int, default=0, help="bootstrap seed (default 0)")
    parser.add_argument(
        "--bootstrap", type=int, default=1000, help="bootstrap resamples (default 1000; 0: no CIs)"
    )
    baseline = parser.add_mutually_exclusive_group()
    baseline.add_argument(
        "--check-baseline", metavar="FILE", default=None, help="exit 1 if a metric regressed"
    )
    baseline.add_argument(
        "--update-baseline", metavar="FILE", default=None, help="write this run as the new baseline"
    )
    parser.add_argument(
        "--allow-lower",
        metavar="REASON",
        default=None,
        help="with --update-baseline: allow lower margins (the reason is stored in the file)",
    )
    parser.add_argument(
        "--compare",
        nargs=2,
        metavar=("A", "B"),
        default=None,
        help="compare two runs (report.json files or their directories) instead of running",
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")


def load_briefer(model: str | None, device: str | None = None) -> BrieferLike:
    """The Briefer to evaluate (tests replace this to run without a model)."""
    from newsbrief.briefer import Briefer

    return Briefer(model=model, device=device)


def run_eval_command(args: argparse.Namespace) -> int:
    """Run ``newsbrief eval``; returns the exit status."""
    handler = logging.StreamHandler()  # stderr; control characters made visible
    handler.setFormatter(TerminalFormatter("newsbrief: %(message)s"))
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, handlers=[handler])
    try:
        if args.compare is not None:
            return _compare(args)
        return _evaluate(args)
    except _UsageError as exc:
        _say(f"newsbrief eval: {exc}", sys.stderr)
        return EXIT_USAGE
    except InputError as exc:
        _say(f"newsbrief eval: {exc}", sys.stderr)
        return EXIT_INPUT
    except ModelLoadError as exc:
        _say(f"newsbrief eval: {exc}", sys.stderr)
        return EXIT_MODEL


logger = logging.getLogger(__name__)


class _UsageError(Exception):
    """Arguments that do not fit together."""


def _evaluate(args: argparse.Namespace) -> int:
    # Imports here and in the helpers below: `newsbrief --help` and `newsbrief brief`
    # register this subcommand without loading the evaluation harness.
    from newsbrief.eval.gold import load_gold
    from newsbrief.eval.regression import check_baseline, load_baseline
    from newsbrief.eval.report import write_reports
    from newsbrief.eval.runner import select_records

    tasks = _checked_settings(args)
    gold = load_gold(args.gold)
    ids = _read_ids(Path(args.ids_file)) if args.ids_file else None
    records = select_records(gold, ids=ids, limit=args.limit, tasks=tasks)
    splits, splits_file = _load_splits(args.splits, args.gold)
    baseline = load_baseline(args.check_baseline) if args.check_baseline else None
    update = Path(args.update_baseline) if args.update_baseline else None
    previous = _previous_baseline(update) if update is not None else None

    report = _run_and_report(args, gold, tasks, ids, len(records), splits, splits_file)
    _print_summary(report)
    if args.out:
        for path in write_reports(report, args.out):
            _say(f"wrote {path}", sys.stdout)
    if update is not None and not _update_baseline(report, update, previous, args.allow_lower):
        return EXIT_REGRESSION
    if baseline is not None:
        result = check_baseline(report, baseline)
        _say(result.render(), sys.stdout, end="")
        if not result.ok:
            return EXIT_REGRESSION
    return EXIT_OK


def _checked_settings(args: argparse.Namespace) -> tuple[Task, ...]:
    """The tasks to run, after refusing (before any gold or model loads) arguments that do
    not fit together and outputs the run could not write at its end."""
    from newsbrief.backends.devices import device_problem

    if not args.gold:
        raise _UsageError("give gold files or directories (or --compare A B)")
    if args.allow_lower is not None and not args.update_baseline:
        raise _UsageError("--allow-lower goes with --update-baseline")
    if args.allow_lower is not None and not args.allow_lower.strip():
        raise _UsageError("--allow-lower needs a reason")
    tasks = _parse_tasks(args.tasks)
    if problem := device_problem(args.device):
        raise _UsageError(problem)
    if args.limit is not None and args.limit < 1:
        raise _UsageError(f"--limit must be at least 1, got {args.limit}")
    if args.bootstrap < 0:
        raise _UsageError(f"--bootstrap must be 0 or more, got {args.bootstrap}")
    _check_writable("--out", args.out, directory=True)  # before the evaluation, not after
    _check_writable("--update-baseline", args.update_baseline, directory=False)
    return tasks


def _run_and_report(
    args: argparse.Namespace,
    gold: GoldSet,
    tasks: tuple[Task, ...],
    ids: list[str] | None,
    n_records: int,
    splits: dict[str, list[str]] | None,
    splits_file: str | None,
) -> EvalReport:
    """Load the model, run the evaluation with a progress bar (``n_records`` articles) and
    build its report, with the model's load time among the timings."""
    from tqdm import tqdm  # no stubs installed

    from newsbrief.eval.provenance import collect_provenance
    from newsbrief.eval.report import build_report
    from newsbrief.eval.runner import run_eval

    started = time.perf_counter()
    briefer = load_briefer(args.model, args.device)
    load_seconds = time.perf_counter() - started
    with tqdm(
        total=n_records,
        desc="newsbrief eval",
        unit="article",
        disable=True if args.no_progress else None,  # None: off when stderr is no terminal
    ) as bar:

        def advance(record_id: str) -> None:
            bar.set_postfix_str(record_id)
            bar.update(1)

        run = run_eval(gold, briefer, tasks=tasks, ids=ids, limit=args.limit, on_article=advance)
    provenance = collect_provenance(
        briefer,
        tasks=tasks,
        seed=args.seed,
        n_bootstrap=args.bootstrap,
        timings={"model_load": load_seconds, **run.timings},
        command=_command_line(args, tasks),
    )
    return build_report(
        run, provenance, gold_paths=args.gold, splits=splits, splits_file=splits_file
    )


def _print_summary(report: EvalReport) -> None:
    """Counts, small-sample warnings, the margins and the headline table on the terminal."""
    from newsbrief.eval.report_tables import headline_rows, margin_rows, small_sample_warnings

    _say(f"{len(report.gold.ids)} articles, {len(report.failures)} failures", sys.stdout)
    for warning in small_sample_warnings(report):
        _say(f"newsbrief eval: warning: {warning}", sys.stderr)
    _say("margins over the best model-free baseline:", sys.stdout)
    for headers, rows in (margin_rows(report), headline_rows(report)):
        for row in [headers, *rows]:
            _say("  " + " | ".join(row), sys.stdout)


def _update_baseline(
    report: EvalReport, path: Path, previous: Any, allow_lower: str | None
) -> bool:
    """Write the run as the new baseline; ``False`` (said on stderr) when it is lower than
    ``previous`` and no reason allows it."""
    from newsbrief.eval.regression import LowerBaselineError, make_baseline, write_baseline

    try:
        new = make_baseline(report, previous=previous, allow_lower=allow_lower)
    except LowerBaselineError as exc:
        _say(f"newsbrief eval: {exc}", sys.stderr)
        return False
    write_baseline(new, path)
    _say(f"wrote baseline {path}: review the change and commit it", sys.stdout)
    return True


def _compare(args: argparse.Namespace) -> int:
    from newsbrief.eval.compare import compare_reports, render_comparison
    from newsbrief.eval.schema import load_report

    if args.gold:
        raise _UsageError("--compare takes two reports and no gold")
    if args.bootstrap < 0:
        raise _UsageError(f"--bootstrap must be 0 or more, got {args.bootstrap}")
    _check_writable("--out", args.out, directory=True)
    path_a, path_b = args.compare
    comparison = compare_reports(
        load_report(path_a), load_report(path_b), seed=args.seed, n_bootstrap=args.bootstrap
    )
    text = render_comparison(comparison, a_name=str(path_a), b_name=str(path_b))
    _say(text, sys.stdout, end="")
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        (out / "compare.md").write_text(text, encoding="utf-8")
        _say(f"wrote {out / 'compare.md'}", sys.stdout)
    return EXIT_OK


def _command_line(args: argparse.Namespace, tasks: Sequence[Task]) -> list[str]:
    """The run's settings as an equivalent command line, for the report's provenance."""
    command = ["newsbrief", "eval", *args.gold, "--tasks", ",".join(tasks)]
    for flag, value in (
        ("--model", args.model),
        ("--ids-file", args.ids_file),
        ("--splits", args.splits),
        ("--limit", args.limit),
        ("--seed", args.seed),
        ("--bootstrap", args.bootstrap),
    ):
        if value is not None:
            command += [flag, str(value)]
    return command


def _parse_tasks(value: str) -> tuple[Task, ...]:
    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in TASK_CHOICES]
    if unknown or not names:
        raise _UsageError(
            f"--tasks: unknown task(s) {', '.join(unknown) or '(none)'}; "
            f"choose among {', '.join(TASK_CHOICES)}"
        )
    return tuple(dict.fromkeys(task for name in names for task in TASK_CHOICES[name]))


def _load_splits(
    given: str | None, gold: Sequence[str]
) -> tuple[dict[str, list[str]] | None, str | None]:
    """The halves of the gold: ``--splits``, else ``splits.json`` in or beside the first
    gold directory (or beside a gold file's directory), else none."""
    if given is not None:
        path = Path(given)
    else:
        first = Path(gold[0])
        base = first if first.is_dir() else first.parent
        candidates = [base / "splits.json", base.parent / "splits.json"]
        path = next((c for c in candidates if c.is_file()), Path())
        if path == Path():
            return None, None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such splits file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: cannot read splits: {exc}") from exc
    if not isinstance(data, dict):
        raise InputError(f"{path}: splits must be a JSON object of id lists")
    splits = {
        name: [str(i) for i in ids]
        for name, ids in data.items()
        if not name.startswith("_") and isinstance(ids, list)
    }
    if not splits:
        raise InputError(f"{path}: no id lists in the splits file")
    return splits, str(path)


def _previous_baseline(path: Path) -> Any:
    """The committed baseline a re-baseline is compared with; ``None`` when there is none
    or it is of the old schema (per-metric values, not margins: nothing to compare)."""
    from newsbrief.eval.regression import load_baseline

    if not path.exists():
        return None
    try:
        version = json.loads(path.read_text(encoding="utf-8")).get("schema_version")
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, AttributeError):
        version = None
    if version == 1:
        logger.warning("%s: schema 1 baseline (metric floors) replaced by margins", path)
        return None
    return load_baseline(path)


def _check_writable(flag: str, value: str | None, *, directory: bool) -> None:
    """Refuse, before anything runs, an output the run could not write at its end: a file
    where a directory goes (or the reverse), a path through a file, no write permission."""
    if value is None:
        return
    path = Path(value)
    if path.exists() and path.is_dir() != directory:
        what = "a file" if directory else "a directory"
        wanted = "a directory for report.json/.md/.html" if directory else "a file"
        raise _UsageError(f"{flag} {value} is {what}; give {wanted}")
    existing = path if directory and path.exists() else path.parent
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise _UsageError(f"{flag} {value}: {existing} is a file, not a directory")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise InputError(f"{flag} {value}: {existing} is not writable")


def _read_ids(path: Path) -> list[str]:
    """Ids one a line; blank lines and ``#`` comments are skipped."""
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except OSError as exc:
        raise InputError(f"{path}: cannot read ids file: {exc}") from exc
    ids = [line.split("#", 1)[0].strip() for line in lines]
    ids = [i for i in ids if i]
    if not ids:
        raise InputError(f"{path}: the ids file lists no ids")
    return ids


def _say(text: str, stream: TextIO, *, end: str = "\n") -> None:
    """The command's output (the one place the eval harness prints), control characters
    of article text made visible."""
    print(terminal_text(text), file=stream, end=end)
