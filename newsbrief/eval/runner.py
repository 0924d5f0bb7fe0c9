"""Run newsbrief and the baselines over gold articles: predictions, scores, errors, timings."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from newsbrief.errors import InputError, NewsbriefError
from newsbrief.eval.baselines import lead_k, majority_stance
from newsbrief.eval.gold import GoldRecord, GoldSet
from newsbrief.eval.quote_marks import quote_mark_baseline
from newsbrief.eval.quote_metrics import AttributedSpan, count_quote_matches
from newsbrief.eval.rouge import score_rouge
from newsbrief.eval.schema import (
    MODEL_SYSTEM,
    REFERENCE_PREFIX,
    ArticleTask,
    Failure,
    QuoteCountsRecord,
    SystemOutput,
    Task,
)
from newsbrief.eval.task_metrics import TASKS, aggregate
from newsbrief.models import Quote, Stance

logger = logging.getLogger(__name__)

LEAD_SYSTEMS = {"lead-1": 1, "lead-3": 3}
QUOTE_BASELINE = "quote-marks+nearest-name"
STANCE_BASELINE = "majority"
#: The predicted label recorded for an abstention (never a gold label).
ABSTAINED = "abstained"
_EXCERPT_CHARS = 300


class BrieferLike(Protocol):
    """What the runner needs of a :class:`newsbrief.Briefer`."""

    def quotes(self, text: str) -> list[Quote]: ...

    def summarize(self, text: str) -> str: ...

    def stance(
        self, text: str, target: str, *, speaker: str | None = ..., labels: Sequence[str] = ...
    ) -> Stance: ...


@dataclass
class EvalRun:
    """Everything a run produced, before aggregation into a report."""

    tasks: tuple[Task, ...]
    articles: list[ArticleTask]
    ids: list[str]
    """The records evaluated, in order."""
    n_gold: int
    """Records in the gold set (before selection)."""
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds newsbrief spent per task, and ``total`` for the whole run."""

    @property
    def failures(self) -> list[Failure]:
        """Every recorded failure, in run order."""
        return [f for a in self.articles for f in a.failures]


def select_records(
    gold: GoldSet, *, ids: Sequence[str] | None = None, limit: int | None = None
) -> list[GoldRecord]:
    """The records to evaluate: those in ``ids`` (gold order), then the first ``limit``.

    Raises:
        InputError: an id is not in the gold set.
        ValueError: ``limit`` is below 1.
    """
    if limit is not None and limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    records = list(gold)
    if ids is not None:
        unknown = [i for i in ids if i not in gold]
        if unknown:
            raise InputError(f"ids not in the gold set: {', '.join(unknown)}")
        wanted = set(ids)
        records = [r for r in records if r.id in wanted]
    return records[:limit] if limit is not None else records


def run_eval(
    gold: GoldSet,
    briefer: BrieferLike,
    *,
    tasks: Iterable[Task] = TASKS,
    ids: Sequence[str] | None = None,
    limit: int | None = None,
    on_article: Callable[[str], None] | None = None,
) -> EvalRun:
    """Run newsbrief and the baselines on gold records and score every article.

    A task runs on the records that have gold for it: summaries on records with reference
    summaries, quotes on records with annotated quotes (GUM records have none), stances
    on records with gold stances. A ``NewsbriefError`` on an article (or one stance item)
    is recorded as a failure and the run goes on; failures are kept out of the scores.

    Baselines: lead-1 and lead-3 summaries, each reference system's summary, quotes found
    between quotation marks with the nearest preceding name as speaker, and the majority
    stance label of the *other* records of the whole gold set (leave one article out, so
    an article's own labels never predict themselves).

    Args:
        gold: the gold set.
        briefer: the system under test.
        tasks: which of ``summary``, ``quotes``, ``stance`` to run.
        ids: evaluate only these record ids.
        limit: evaluate only the first ``limit`` selected records.
        on_article: called with each record id when the record is done (progress bars).

    Returns:
        Per-article outputs of every system, failures and timings.
    """
    chosen = _check_tasks(tasks)
    records = select_records(gold, ids=ids, limit=limit)
    articles: list[ArticleTask] = []
    timings: dict[str, float] = dict.fromkeys(chosen, 0.0)
    started = time.perf_counter()
    for record in records:
        for task in chosen:
            row = _run_task(task, record, gold, briefer)
            if row is not None:
                articles.append(row)
                timings[task] += row.seconds
        if on_article is not None:
            on_article(record.id)
    timings["total"] = time.perf_counter() - started
    return EvalRun(
        tasks=chosen,
        articles=articles,
        ids=[r.id for r in records],
        n_gold=len(gold),
        timings=timings,
    )


def _check_tasks(tasks: Iterable[Task]) -> tuple[Task, ...]:
    chosen = tuple(dict.fromkeys(tasks))
    unknown = [t for t in chosen if t not in TASKS]
    if unknown or not chosen:
        raise ValueError(f"tasks must be among {', '.join(TASKS)}; got {list(chosen)}")
    return chosen


def _run_task(
    task: Task, record: GoldRecord, gold: GoldSet, briefer: BrieferLike
) -> ArticleTask | None:
    if task == "summary":
        return _summary_task(record, briefer) if record.summaries else None
    if task == "quotes":
        return _quotes_task(record, briefer) if record.quotes else None
    return _stance_task(record, gold, briefer) if record.stances else None


def _row(
    record: GoldRecord,
    task: Task,
    gold: Any,
    systems: dict[str, SystemOutput],
    failures: list[Failure],
    seconds: float,
) -> ArticleTask:
    return ArticleTask(
        article_id=record.id,
        task=task,
        title=record.title,
        excerpt=record.text[:_EXCERPT_CHARS],
        gold=gold,
        systems=systems,
        failures=failures,
        seconds=seconds,
    )


def _failure(
    record: GoldRecord, task: Task, exc: NewsbriefError, item: int | None = None
) -> Failure:
    logger.warning("%s (%s): %s: %s", record.id, task, type(exc).__name__, exc)
    return Failure(
        article_id=record.id,
        task=task,
        item=item,
        error_type=type(exc).__name__,
        message=str(exc),
    )


# -- summaries ----------------------------------------------------------------------------


def _summary_output(summary: str, references: Sequence[str]) -> SystemOutput:
    scores = score_rouge(summary, references)
    return SystemOutput(
        prediction=summary,
        metrics={
            "rouge1_f1": scores.rouge1.f1,
            "rouge2_f1": scores.rouge2.f1,
            "rougeL_f1": scores.rouge_l.f1,
        },
    )


def _summary_task(record: GoldRecord, briefer: BrieferLike) -> ArticleTask:
    references = list(record.summaries)
    systems: dict[str, SystemOutput] = {}
    failures: list[Failure] = []
    started = time.perf_counter()
    try:
        systems[MODEL_SYSTEM] = _summary_output(briefer.summarize(record.text), references)
    except NewsbriefError as exc:
        failures.append(_failure(record, "summary", exc))
    seconds = time.perf_counter() - started
    for name, k in LEAD_SYSTEMS.items():
        systems[name] = _summary_output(lead_k(record.text, k, title=record.title), references)
    for name, summary in sorted(record.reference_systems.items()):
        systems[REFERENCE_PREFIX + name] = _summary_output(summary, references)
    return _row(record, "summary", references, systems, failures, seconds)


# -- quotes -------------------------------------------------------------------------------


def _quotes_output(gold: Sequence[AttributedSpan], predicted: Sequence[Any]) -> SystemOutput:
    counts = QuoteCountsRecord.from_counts(count_quote_matches(gold, predicted))
    output = SystemOutput(
        prediction=[
            {"text": q.text, "start": q.start, "end": q.end, "speaker": q.speaker, "kind": q.kind}
            for q in predicted
        ],
        metrics={},
        counts=counts,
    )
    return output.model_copy(update={"metrics": aggregate("quotes", [output])})


def _quotes_task(record: GoldRecord, briefer: BrieferLike) -> ArticleTask:
    systems: dict[str, SystemOutput] = {}
    failures: list[Failure] = []
    started = time.perf_counter()
    try:
        systems[MODEL_SYSTEM] = _quotes_output(record.quotes, briefer.quotes(record.text))
    except NewsbriefError as exc:
        failures.append(_failure(record, "quotes", exc))
    seconds = time.perf_counter() - started
    systems[QUOTE_BASELINE] = _quotes_output(record.quotes, quote_mark_baseline(record.text))
    gold = [q.model_dump(mode="json") for q in record.quotes]
    return _row(record, "quotes", gold, systems, failures, seconds)


# -- stances ------------------------------------------------------------------------------


def _stance_output(pairs: list[tuple[str, str]], prediction: list[dict[str, Any]]) -> SystemOutput:
    output = SystemOutput(prediction=prediction, metrics={}, labels=pairs)
    return output.model_copy(update={"metrics": aggregate("stance", [output])})


def _stance_task(record: GoldRecord, gold: GoldSet, briefer: BrieferLike) -> ArticleTask:
    systems: dict[str, SystemOutput] = {}
    failures: list[Failure] = []
    pairs: list[tuple[str, str]] = []
    predictions: list[dict[str, Any]] = []
    started = time.perf_counter()
    for index, item in enumerate(record.stances):
        try:
            stance = briefer.stance(
                record.text, item.target, speaker=item.speaker, labels=gold.labels
            )
        except NewsbriefError as exc:
            failures.append(_failure(record, "stance", exc, item=index))
            continue
        # An abstention counts as a wrong answer here.
        pairs.append((item.label, stance.label or ABSTAINED))
        predictions.append(
            {
                "item": index,
                "speaker": item.speaker,
                "label": stance.label,
                "confidence": stance.confidence,
            }
        )
    seconds = time.perf_counter() - started
    if pairs:
        systems[MODEL_SYSTEM] = _stance_output(pairs, predictions)
    others = [s.label for r in gold if r.id != record.id for s in r.stances]
    if others:
        majority = majority_stance(others)
        systems[STANCE_BASELINE] = _stance_output(
            [(s.label, majority) for s in record.stances],
            [
                {"item": i, "speaker": s.speaker, "label": majority}
                for i, s in enumerate(record.stances)
            ],
        )
    gold_items = [s.model_dump(mode="json") for s in record.stances]
    return _row(record, "stance", gold_items, systems, failures, seconds)
