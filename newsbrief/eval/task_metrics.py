"""Each task's metrics over articles: aggregation of per-article units and bootstrap CIs."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from newsbrief.eval.bootstrap import bootstrap_ci
from newsbrief.eval.quote_metrics import QuoteCounts, QuoteScores
from newsbrief.eval.schema import MetricSummary, SystemOutput, Task
from newsbrief.eval.stance_metrics import score_stances

TASKS: tuple[Task, ...] = ("summary", "quotes", "stance")
SUMMARY_METRICS = ("rouge1_f1", "rouge2_f1", "rougeL_f1")
QUOTE_METRICS = (
    "exact_precision",
    "exact_recall",
    "exact_f1",
    "overlap_precision",
    "overlap_recall",
    "overlap_f1",
    "speaker_accuracy",
)
STANCE_METRICS = ("accuracy", "macro_f1", "semeval_f1")
METRICS: dict[Task, tuple[str, ...]] = {
    "summary": SUMMARY_METRICS,
    "quotes": QUOTE_METRICS,
    "stance": STANCE_METRICS,
}
#: The metric a task is judged by: headline tables and plots show it.
MAIN_METRIC: dict[Task, str] = {
    "summary": "rougeL_f1",
    "quotes": "overlap_f1",
    "stance": "macro_f1",
}
#: The metric per-article rows are sorted by (macro-F1 of two or three labels says little).
ROW_METRIC: dict[Task, str] = {"summary": "rougeL_f1", "quotes": "overlap_f1", "stance": "accuracy"}
#: Metrics of the per-task headline columns.
HEADLINE_METRICS: dict[Task, tuple[str, ...]] = {
    "summary": SUMMARY_METRICS,
    "quotes": ("exact_f1", "overlap_f1", "speaker_accuracy"),
    "stance": STANCE_METRICS,
}


def aggregate(task: Task, outputs: Sequence[SystemOutput]) -> dict[str, float | None]:
    """A task's metrics over articles.

    Summaries: the mean of each article's ROUGE F1 (macro over articles). Quotes: ratios
    of the summed match counts (micro over quotes). Stances: accuracy, macro-F1 and
    SemEval F over all (gold, predicted) labels of all articles (micro over items).

    Args:
        task: the task.
        outputs: one system's outputs, one per article.

    Returns:
        Each metric of the task; ``None`` where undefined (no article, no stance item, no
        matched quote for speaker accuracy).
    """
    if task == "summary":
        return {
            name: _mean([o.metrics[name] for o in outputs if o.metrics.get(name) is not None])
            for name in SUMMARY_METRICS
        }
    if task == "quotes":
        if not outputs:
            return dict.fromkeys(QUOTE_METRICS)
        total = QuoteCounts()
        for output in outputs:
            if output.counts is None:
                raise ValueError("a quotes output has no counts")
            total += output.counts.to_counts()
        scores = QuoteScores.from_counts(total)
        return {
            "exact_precision": scores.exact.precision,
            "exact_recall": scores.exact.recall,
            "exact_f1": scores.exact.f1,
            "overlap_precision": scores.overlap.precision,
            "overlap_recall": scores.overlap.recall,
            "overlap_f1": scores.overlap.f1,
            "speaker_accuracy": scores.speaker_accuracy,
        }
    pairs = [pair for o in outputs for pair in (o.labels or [])]
    if not pairs:
        return dict.fromkeys(STANCE_METRICS)
    stance = score_stances([g for g, _ in pairs], [p for _, p in pairs])
    return {
        "accuracy": stance.accuracy,
        "macro_f1": stance.macro_f1,
        "semeval_f1": stance.semeval_f1,
    }


def summarize_metrics(
    task: Task, outputs: Sequence[SystemOutput], *, seed: int = 0, n_bootstrap: int = 1000
) -> dict[str, MetricSummary]:
    """Each metric with a 95% percentile bootstrap interval that resamples articles.

    Args:
        task: the task.
        outputs: one system's outputs, one per article.
        seed: seed of the bootstrap (the same for every metric, so intervals agree).
        n_bootstrap: resamples; 0 skips the intervals.

    Returns:
        Metric name to value and interval (``None`` where undefined).
    """
    values = aggregate(task, outputs)
    # Every metric draws the same resamples (same seed, same items): aggregate each once.
    memo: dict[tuple[int, ...], dict[str, float | None]] = {}
    summaries: dict[str, MetricSummary] = {}
    for name, value in values.items():
        if value is None or n_bootstrap < 1:
            summaries[name] = MetricSummary(value=value)
            continue
        interval = bootstrap_ci(
            list(outputs), _metric_of(task, name, memo), n=n_bootstrap, seed=seed
        )
        summaries[name] = MetricSummary(value=value, low=interval.low, high=interval.high)
    return summaries


def _metric_of(
    task: Task, name: str, memo: dict[tuple[int, ...], dict[str, float | None]]
) -> Callable[[Sequence[SystemOutput]], float]:
    def metric(sample: Sequence[SystemOutput]) -> float:
        key = tuple(id(output) for output in sample)
        if key not in memo:
            memo[key] = aggregate(task, sample)
        return as_float(memo[key][name])

    return metric


def as_float(value: float | None) -> float:
    """``None`` (undefined) as NaN, which the bootstrap leaves out."""
    return math.nan if value is None else value


def _mean(values: Sequence[float | None]) -> float | None:
    numbers = [v for v in values if v is not None]
    return sum(numbers) / len(numbers) if numbers else None
