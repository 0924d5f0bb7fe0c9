"""The ``report.json`` schema: pydantic models for a run's articles, scores and provenance."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, Field, ValidationError

from newsbrief.errors import InputError
from newsbrief.eval.gold import PathLike, describe_validation_error
from newsbrief.eval.quote_metrics import QuoteCounts
from newsbrief.models import FrozenModel, PromptRecord

Task = Literal[
    "summary", "quotes", "stance", "brief-issue", "brief-speakers", "brief-stance", "brief-summary"
]
SystemKind = Literal["model", "baseline", "reference"]
#: The system under test; every other system is a baseline or a reference system.
MODEL_SYSTEM = "newsbrief"
#: Prefix of reference systems' names (summaries by other systems shipped with the gold).
REFERENCE_PREFIX = "ref:"


class QuoteCountsRecord(FrozenModel):
    """``QuoteCounts`` of one article as stored in a report."""

    n_gold: int = Field(ge=0)
    n_predicted: int = Field(ge=0)
    exact: int = Field(ge=0)
    overlap: int = Field(ge=0)
    speaker_correct: int = Field(ge=0)
    saying_gold: int = Field(default=0, ge=0)
    """Gold quotes whose cue is a verb of saying (PolNeAR records carry cues)."""
    saying_found: int = Field(default=0, ge=0)
    """Of those, how many a predicted quote overlaps (one-to-one)."""
    fragments: int = Field(default=0, ge=0)
    """Unmatched predicted quotes inside a matched gold quote (``QuoteCounts.fragments``)."""

    @classmethod
    def from_counts(cls, counts: QuoteCounts) -> QuoteCountsRecord:
        """Store counts."""
        return cls(
            n_gold=counts.n_gold,
            n_predicted=counts.n_predicted,
            exact=counts.exact,
            overlap=counts.overlap,
            speaker_correct=counts.speaker_correct,
            fragments=counts.fragments,
        )

    def to_counts(self) -> QuoteCounts:
        """The counts, ready to be summed."""
        return QuoteCounts(
            self.n_gold,
            self.n_predicted,
            self.exact,
            self.overlap,
            self.speaker_correct,
            self.fragments,
        )


class SystemOutput(FrozenModel):
    """One system's output on one article for one task, and what it is scored from.

    The scoring unit depends on the task: summaries keep their ROUGE F1 values in
    ``metrics``, quotes their match ``counts``, stances their ``(gold, predicted)``
    ``labels``. Keeping the units lets a report be re-aggregated over any subset of
    articles (``newsbrief eval --compare``).
    """

    prediction: Any = None
    """What the system produced: a summary, quote dicts or stance dicts."""
    metrics: dict[str, float | None]
    """The task's metrics on this article alone."""
    counts: QuoteCountsRecord | None = None
    labels: list[tuple[str, str]] | None = None


class Failure(FrozenModel):
    """A newsbrief error on one article (and, for stances, one gold item)."""

    article_id: str
    task: Task
    item: int | None = None
    """Index of the gold stance that failed; ``None`` for the whole article."""
    error_type: str
    message: str


class ArticleTask(FrozenModel):
    """Every system's output on one article for one task."""

    article_id: str
    task: Task
    title: str | None = None
    excerpt: str
    """The opening of the article, for people reading the report."""
    gold: Any = None
    """The gold the systems are scored against (summaries, quotes or stances)."""
    systems: dict[str, SystemOutput]
    failures: list[Failure] = Field(default_factory=list)
    seconds: float = 0.0
    """Time newsbrief spent on this article for this task."""

    @property
    def failed(self) -> bool:
        """Whether newsbrief raised on this article (on any item)."""
        return bool(self.failures)


class MetricSummary(FrozenModel):
    """A metric over articles and its bootstrap confidence interval."""

    value: float | None
    low: float | None = None
    high: float | None = None


class Margin(FrozenModel):
    """newsbrief's lead over the best model-free system on one metric of a task.

    Measured on the articles both have output for; the interval is a paired bootstrap
    over those articles (each resample scores both systems on the same articles).
    """

    metric: str
    over: str
    """The best baseline on this metric (the highest value on the shared articles)."""
    value: float
    newsbrief: float
    baseline: float
    low: float | None = None
    high: float | None = None
    n_articles: int
    deterministic: bool = False
    """The task uses no model (rules only): the margin is exact, run to run."""


class SystemSummary(FrozenModel):
    """One system's scores on one task."""

    system: str
    kind: SystemKind
    n_articles: int
    """Articles the system produced output for (failed ones are not counted)."""
    metrics: dict[str, MetricSummary]


class SplitSummary(FrozenModel):
    """A task's scores on one half of the gold."""

    n_articles: int
    systems: list[SystemSummary]
    margins: list[Margin] = Field(default_factory=list)


class TaskSummary(FrozenModel):
    """Scores of every system on one task."""

    task: Task
    main_metric: str
    n_articles: int
    """Articles with gold for this task."""
    n_failed_articles: int
    n_failures: int
    seconds: float
    systems: list[SystemSummary]
    margins: list[Margin] = Field(default_factory=list)
    """newsbrief's margin over the best baseline, per gated metric (``GATED_METRICS``)."""
    splits: dict[str, SplitSummary] = Field(default_factory=dict)
    """The same scores on each half of the gold (``dev``, ``held-out``)."""

    def system(self, name: str) -> SystemSummary | None:
        """The named system's scores, if it ran on this task."""
        return next((s for s in self.systems if s.system == name), None)


class RunProvenance(FrozenModel):
    """What made the run: code, model, prompts, seed, command, times."""

    package_version: str
    git_commit: str | None
    git_dirty: bool | None
    model_id: str
    style: str | None
    prompts: list[PromptRecord]
    seed: int
    """Seed of the bootstrap intervals."""
    briefer_seed: int | None
    n_bootstrap: int
    command: list[str]
    date: str
    python: str
    timings: dict[str, float]
    """Seconds: per task, ``model_load`` and ``total``."""
    trained_on: list[str] = Field(default_factory=list)
    """Ids of the articles the system's trained parts (the stance head) learnt from: the
    reports mark them in the tasks those parts serve (``TRAINED_TASKS``)."""


class GoldInfo(FrozenModel):
    """Which gold the run used."""

    paths: list[str]
    n_records: int
    """Records loaded (before ``--ids-file`` and ``--limit``)."""
    ids: list[str]
    """Records evaluated, in order."""
    splits_file: str | None = None
    splits: dict[str, list[str]] = Field(default_factory=dict)
    """Evaluated ids per half of the gold (from ``evals/splits.json``)."""


class EvalReport(FrozenModel):
    """A whole evaluation run: the content of ``report.json``."""

    schema_version: Literal[1] = 1
    provenance: RunProvenance
    gold: GoldInfo
    tasks: list[TaskSummary]
    articles: list[ArticleTask]
    failures: list[Failure]

    def task(self, task: str) -> TaskSummary | None:
        """The summary of ``task``, if the run had it."""
        return next((t for t in self.tasks if t.task == task), None)

    def articles_of(self, task: str) -> list[ArticleTask]:
        """The article rows of ``task``, in gold order."""
        return [a for a in self.articles if a.task == task]


def system_kind(name: str) -> SystemKind:
    """Whether a system name is the model, a reference system or a baseline."""
    if name == MODEL_SYSTEM:
        return "model"
    if name.startswith(REFERENCE_PREFIX):
        return "reference"
    return "baseline"


def load_report(path: PathLike) -> EvalReport:
    """Read a ``report.json`` (or a directory holding one).

    Raises:
        InputError: the file is missing, not JSON, or not a report of this schema.
    """
    file = Path(path)
    if file.is_dir():
        file = file / "report.json"
    return read_json_model(
        file, EvalReport, what="a newsbrief report", missing=f"{file}: no such report"
    )


M = TypeVar("M", bound=BaseModel)


def read_json_model(file: Path, model: type[M], *, what: str, missing: str) -> M:
    """Read a JSON file into ``model``; every failure is an ``InputError`` naming the file.

    Args:
        file: the JSON file.
        model: the pydantic model to validate it with.
        what: how the message names the expected content ("a baseline").
        missing: the message when the file does not exist (may say how to make one).
    """
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(missing) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{file}: cannot read {what}: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"{file}: broken JSON at line {exc.lineno}: {exc.msg}") from exc
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError(f"{file}: not {what}: {describe_validation_error(exc)}") from None
