"""Evaluation: gold data, metrics, baselines, the runner, reports, run comparisons, CI checks."""

from newsbrief.eval.baselines import lead_k, majority_stance, nearest_name_speaker
from newsbrief.eval.bootstrap import ConfidenceInterval, bootstrap_ci
from newsbrief.eval.compare import Comparison, MetricDiff, compare_reports, render_comparison
from newsbrief.eval.gold import (
    GoldQuote,
    GoldRecord,
    GoldSet,
    GoldStance,
    gold_from_dataset,
    load_gold,
    write_gold,
)
from newsbrief.eval.gum import gum_to_gold
from newsbrief.eval.html import render_html
from newsbrief.eval.markdown import render_markdown
from newsbrief.eval.quote_metrics import QuoteCounts, QuoteScores, count_quote_matches, score_quotes
from newsbrief.eval.regression import (
    Baseline,
    RegressionResult,
    check_baseline,
    load_baseline,
    make_baseline,
    write_baseline,
)
from newsbrief.eval.report import build_report, write_reports
from newsbrief.eval.rouge import RougeScores, score_rouge
from newsbrief.eval.runner import EvalRun, run_eval
from newsbrief.eval.schema import EvalReport, load_report
from newsbrief.eval.scoring import PRF
from newsbrief.eval.stance_metrics import StanceScores, score_stance_labels
from newsbrief.eval.tokenize import Tokenizer, tokenize

__all__ = [
    "PRF",
    "Baseline",
    "Comparison",
    "ConfidenceInterval",
    "EvalReport",
    "EvalRun",
    "GoldQuote",
    "GoldRecord",
    "GoldSet",
    "GoldStance",
    "MetricDiff",
    "QuoteCounts",
    "QuoteScores",
    "RegressionResult",
    "RougeScores",
    "StanceScores",
    "Tokenizer",
    "bootstrap_ci",
    "build_report",
    "check_baseline",
    "compare_reports",
    "count_quote_matches",
    "gold_from_dataset",
    "gum_to_gold",
    "lead_k",
    "load_baseline",
    "load_gold",
    "load_report",
    "majority_stance",
    "make_baseline",
    "nearest_name_speaker",
    "render_comparison",
    "render_html",
    "render_markdown",
    "run_eval",
    "score_quotes",
    "score_rouge",
    "score_stance_labels",
    "tokenize",
    "write_baseline",
    "write_gold",
    "write_reports",
]
