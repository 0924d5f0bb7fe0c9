"""Each task's metrics over articles: aggregation of per-article units and bootstrap CIs."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from newsbrief.eval.bootstrap import bootstrap_ci
from newsbrief.eval.quote_metrics import QuoteCounts, QuoteScores
from newsbrief.eval.schema import MetricSummary, SystemOutput, Task
from newsbrief.eval.scoring import PRF
from newsbrief.eval.stance_metrics import score_stance_labels

#: Tasks of the per-task mode (gold target, gold speaker): each step on its own.
STEP_TASKS: tuple[Task, ...] = ("summary", "quotes", "stance")
#: Tasks of the end-to-end mode: what ``Briefer.brief()`` gives a user, scored per output.
BRIEF_TASKS: tuple[Task, ...] = ("brief-issue", "brief-speakers", "brief-stance", "brief-summary")
TASKS: tuple[Task, ...] = STEP_TASKS + BRIEF_TASKS
#: What ``--tasks`` accepts: the step tasks and ``brief`` (all of ``BRIEF_TASKS``).
TASK_CHOICES: dict[str, tuple[Task, ...]] = {
    "summary": ("summary",),
    "quotes": ("quotes",),
    "stance": ("stance",),
    "brief": BRIEF_TASKS,
}
SUMMARY_METRICS = ("rouge1_f1", "rouge2_f1", "rougeL_f1")
#: Per summary sentence: how it was made (``SummarySentence.method``) and the mean
#: compression (sentence words / source-span words) of those with sources.
SENTENCE_METRICS = ("kept_share", "shortened_share", "generated_share", "mean_compression")
#: Per-article counts behind ``SENTENCE_METRICS`` (kept in the article rows).
SENTENCE_COUNTS = ("n_kept", "n_shortened", "n_generated", "compression_sum", "n_compressed")
QUOTE_METRICS = (
    "exact_precision",
    "exact_recall",
    "exact_f1",
    "overlap_precision",
    "overlap_recall",
    "overlap_f1",
    "speaker_accuracy",
    "saying_recall",
)
STANCE_METRICS = ("accuracy", "macro_f1", "semeval_f1", "coverage", "answered_accuracy")
ISSUE_METRICS = ("issue_f1", "equivalent")
SPEAKER_METRICS = ("precision", "recall", "f1")
#: Per-article counts behind ``SPEAKER_METRICS``.
SPEAKER_COUNTS = ("matched", "n_found", "n_gold")
METRICS: dict[Task, tuple[str, ...]] = {
    "summary": SUMMARY_METRICS,
    "quotes": QUOTE_METRICS,
    "stance": STANCE_METRICS,
    "brief-issue": ISSUE_METRICS,
    "brief-speakers": SPEAKER_METRICS,
    "brief-stance": STANCE_METRICS,
    "brief-summary": SUMMARY_METRICS + SENTENCE_METRICS,
}
#: The metric a task is judged by: headline tables and plots show it.
MAIN_METRIC: dict[Task, str] = {
    "summary": "rougeL_f1",
    "quotes": "overlap_f1",
    "stance": "macro_f1",
    "brief-issue": "issue_f1",
    "brief-speakers": "f1",
    "brief-stance": "macro_f1",
    "brief-summary": "rougeL_f1",
}
#: Metrics on which newsbrief's margin over the best baseline is reported and gated.
GATED_METRICS: dict[Task, tuple[str, ...]] = {
    "summary": ("rougeL_f1",),
    "quotes": ("overlap_f1",),
    "stance": ("accuracy", "macro_f1"),
    "brief-issue": ("issue_f1",),
    "brief-speakers": ("f1",),
    "brief-stance": ("accuracy", "macro_f1"),
    "brief-summary": ("rougeL_f1",),
}
#: Tasks newsbrief does with rules alone (no model call): their scores are exact run to
#: run, so their margins are gated without tolerance.
RULE_TASKS: frozenset[Task] = frozenset({"quotes", "brief-speakers"})
#: The metric per-article rows are sorted by (macro-F1 of two or three labels says little).
ROW_METRIC: dict[Task, str] = {
    "summary": "rougeL_f1",
    "quotes": "overlap_f1",
    "stance": "accuracy",
    "brief-issue": "issue_f1",
    "brief-speakers": "f1",
    "brief-stance": "accuracy",
    "brief-summary": "rougeL_f1",
}
#: Metrics of the per-task headline columns.
HEADLINE_METRICS: dict[Task, tuple[str, ...]] = {
    "summary": SUMMARY_METRICS,
    "quotes": ("exact_f1", "overlap_f1", "speaker_accuracy", "saying_recall"),
    "stance": STANCE_METRICS,
    "brief-issue": ISSUE_METRICS,
    "brief-speakers": SPEAKER_METRICS,
    "brief-stance": STANCE_METRICS,
    "brief-summary": ("rouge1_f1", "rougeL_f1", *SENTENCE_METRICS),
}


def aggregate(task: Task, outputs: Sequence[SystemOutput]) -> dict[str, float | None]:
    """A task's metrics over articles.

    Summaries: the mean of each article's ROUGE F1 (macro over articles); the brief's
    summary adds the shares of its sentences by method (micro over sentences). Quotes:
    ratios of the summed match counts (micro over quotes). Stances: accuracy, macro-F1,
    SemEval F, coverage and answered-only accuracy over all (gold, predicted) labels of
    all articles (micro over items). Issue: the mean per article. Speakers: ratios of
    the summed counts (micro over speakers).

    Args:
        task: the task.
        outputs: one system's outputs, one per article.

    Returns:
        Each metric of the task; ``None`` where undefined (no article, no stance item, no
        matched quote for speaker accuracy).
    """
    if task in ("summary", "brief-summary"):
        values: dict[str, float | None] = {
            name: _mean([o.metrics[name] for o in outputs if o.metrics.get(name) is not None])
            for name in SUMMARY_METRICS
        }
        if task == "brief-summary":
            values.update(_sentence_shares(outputs))
        return values
    if task == "quotes":
        return _quote_metrics(outputs)
    if task == "brief-issue":
        return {
            "issue_f1": _mean([o.metrics.get("issue_f1") for o in outputs]),
            "equivalent": _mean([o.metrics.get("equivalent") for o in outputs]),
        }
    if task == "brief-speakers":
        if not outputs:
            return dict.fromkeys(SPEAKER_METRICS)
        matched, found, gold = (
            int(sum(o.metrics.get(key) or 0.0 for o in outputs)) for key in SPEAKER_COUNTS
        )
        scores = PRF.from_counts(matched, found, gold)
        return {"precision": scores.precision, "recall": scores.recall, "f1": scores.f1}
    pairs = [pair for o in outputs for pair in (o.labels or [])]
    if not pairs:
        return dict.fromkeys(STANCE_METRICS)
    stance = score_stance_labels([g for g, _ in pairs], [p for _, p in pairs])
    return {
        "accuracy": stance.accuracy,
        "macro_f1": stance.macro_f1,
        "semeval_f1": stance.semeval_f1,
        "coverage": stance.coverage,
        "answered_accuracy": stance.answered_accuracy,
    }


def _quote_metrics(outputs: Sequence[SystemOutput]) -> dict[str, float | None]:
    if not outputs:
        return dict.fromkeys(QUOTE_METRICS)
    total = QuoteCounts()
    saying_gold = saying_found = 0
    for output in outputs:
        if output.counts is None:
            raise ValueError("a quotes output has no counts")
        total += output.counts.to_counts()
        saying_gold += output.counts.saying_gold
        saying_found += output.counts.saying_found
    scores = QuoteScores.from_counts(total)
    return {
        "exact_precision": scores.exact.precision,
        "exact_recall": scores.exact.recall,
        "exact_f1": scores.exact.f1,
        "overlap_precision": scores.overlap.precision,
        "overlap_recall": scores.overlap.recall,
        "overlap_f1": scores.overlap.f1,
        "speaker_accuracy": scores.speaker_accuracy,
        "saying_recall": saying_found / saying_gold if saying_gold else None,
    }


def _sentence_shares(outputs: Sequence[SystemOutput]) -> dict[str, float | None]:
    """Shares of summary sentences by method and the mean compression (micro over
    sentences); ``None`` for a system that does not say how its sentences were made."""
    sums = {key: sum(o.metrics.get(key) or 0.0 for o in outputs) for key in SENTENCE_COUNTS}
    n = sums["n_kept"] + sums["n_shortened"] + sums["n_generated"]
    return {
        "kept_share": sums["n_kept"] / n if n else None,
        "shortened_share": sums["n_shortened"] / n if n else None,
        "generated_share": sums["n_generated"] / n if n else None,
        "mean_compression": (
            sums["compression_sum"] / sums["n_compressed"] if sums["n_compressed"] else None
        ),
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
