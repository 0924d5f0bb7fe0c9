"""The ``newsbrief eval`` subcommand (to be built: runner, reports, compare)."""

from __future__ import annotations

import argparse
from typing import Any


def add_eval_parser(subparsers: Any) -> None:
    """Register ``newsbrief eval`` on the main parser's subparsers."""
    parser = subparsers.add_parser("eval", help="evaluate against hand-written gold")
    parser.add_argument("gold", nargs="*", help="gold JSONL files or directories")


def run_eval_command(args: argparse.Namespace) -> int:
    """Run ``newsbrief eval``; returns the exit status."""
    raise NotImplementedError("issue 5: evaluation runner and reports")
