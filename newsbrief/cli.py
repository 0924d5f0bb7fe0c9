"""The ``newsbrief`` command: brief an article from a file or standard input."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from newsbrief.errors import NewsbriefError
from newsbrief.models import Brief

EXIT_OK, EXIT_USAGE, EXIT_INPUT, EXIT_MODEL = 0, 2, 3, 4


def render_markdown(brief: Brief) -> str:
    """A brief as Markdown for a terminal or a document."""
    lines = [f"# {brief.title}" if brief.title else "# Brief", "", brief.summary, ""]
    lines += [f"**Issue:** {brief.issue}", "", "## Stances", ""]
    for stance in brief.stances:
        who = stance.speaker or "author"
        lines.append(f"- **{who}**: {stance.label} (confidence {stance.confidence:.2f})")
    lines += ["", "## Quotes", ""]
    for quote in brief.quotes:
        who = quote.speaker or "unattributed"
        cue = f", {quote.cue}" if quote.cue else ""
        lines.append(f"- [{quote.kind}] **{who}**{cue}: “{quote.text}” ({quote.start}-{quote.end})")
    return "\n".join(lines) + "\n"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsbrief", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    brief = sub.add_parser("brief", help="brief one article (a text file, or - for stdin)")
    brief.add_argument("file", help="path to a UTF-8 text file, or - for standard input")
    brief.add_argument(
        "--model", default=None, help="hub id, directory or .gguf (default: embedded)"
    )
    brief.add_argument("--target", default=None, help="the issue to take stances on")
    brief.add_argument("--title", default=None)
    brief.add_argument("--format", choices=("markdown", "json"), default=None)
    brief.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    # `newsbrief eval ...` lives with the harness (newsbrief/eval/cli.py).
    from newsbrief.eval.cli import add_eval_parser

    add_eval_parser(sub)
    return parser


def _read(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    path = Path(source)
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {source}")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{source} is not UTF-8 text ({exc.reason} at byte {exc.start})") from exc


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    if args.command == "eval":
        from newsbrief.eval.cli import run_eval_command

        return run_eval_command(args)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="newsbrief: %(message)s",
    )
    try:
        text = _read(args.file)
    except (OSError, ValueError) as exc:
        print(f"newsbrief: {exc}", file=sys.stderr)
        return EXIT_INPUT
    from newsbrief.briefer import Briefer
    from newsbrief.errors import InputError, ModelLoadError

    try:
        briefer = Briefer(model=args.model)
        brief = briefer.brief(text, title=args.title, target=args.target)
    except InputError as exc:
        print(f"newsbrief: {args.file}: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except ModelLoadError as exc:
        print(f"newsbrief: {exc}", file=sys.stderr)
        return EXIT_MODEL
    except NewsbriefError as exc:
        print(f"newsbrief: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    fmt = args.format or ("markdown" if sys.stdout.isatty() else "json")
    if fmt == "json":
        print(json.dumps(brief.model_dump(mode="json"), indent=2, ensure_ascii=False))
    else:
        print(render_markdown(brief), end="")
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
