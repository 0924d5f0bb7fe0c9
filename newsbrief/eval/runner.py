"""Run newsbrief and the baselines over gold articles: predictions, scores, errors, timings."""

from __future__ import annotations

import functools
import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Protocol

from newsbrief.errors import InputError, NewsbriefError
from newsbrief.eval.baselines import lead_k, majority_stance
from newsbrief.eval.brief_metrics import issue_equivalent, issue_f1, match_speakers, same_person
from newsbrief.eval.gold import GoldRecord, GoldSet
from newsbrief.eval.polnear import POLNEAR_SOURCE
from newsbrief.eval.quote_marks import quote_mark_baseline
from newsbrief.eval.quote_metrics import (
    AttributedSpan,
    annotated_kinds_only,
    count_quote_matches,
    match_by_overlap,
    same_speaker,
)
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
from newsbrief.eval.stance_baselines import lexical_label, prior_labels
from newsbrief.eval.stance_metrics import MISSED
from newsbrief.eval.task_metrics import BRIEF_TASKS, STEP_TASKS, TASKS, aggregate
from newsbrief.models import ABSTAINED, Brief, Quote, Stance, SummarySentence
from newsbrief.options import BriefOptions, BriefRecord, RecordError
from newsbrief.text.document import Document
from newsbrief.text.lexicon import SAYING_CUES

if TYPE_CHECKING:
    from newsbrief.briefer import ArticleItem

logger = logging.getLogger(__name__)

LEAD_SYSTEMS = {"lead-1": 1, "lead-3": 3}
#: The summary pipeline with the model removed: the rule-selected sentences kept whole.
RULES_SUMMARY = "rules-no-model"
QUOTE_BASELINE = "quote-marks+nearest-name"
STANCE_BASELINE = "majority"
#: The model's label prior: the stance step's calibration prompts, without evidence.
PRIOR_BASELINE = "label-prior"
#: Cue words of each label counted in the speaker's quotes (``stance_baselines.LEXICON``).
LEXICAL_BASELINE = "lexicon"
#: The issue baseline: the article's headline (its first line when it has no title).
HEADLINE_BASELINE = "headline"
_EXCERPT_CHARS = 300


class BrieferLike(Protocol):
    """What the runner needs of a :class:`newsbrief.Briefer`."""

    def quotes(self, text: str) -> list[Quote]: ...

    def summarize(self, text: str, title: str | None = None) -> str: ...

    def stance(
        self, text: str, target: str, *, speaker: str | None = ..., labels: Sequence[str] = ...
    ) -> Stance: ...

    def brief_many(
        self, items: Iterable[ArticleItem], options: BriefOptions | None = ...
    ) -> Iterator[BriefRecord]: ...


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


def opening(text: str, limit: int = _EXCERPT_CHARS) -> str:
    """The article's first ``limit`` characters or fewer, cut at a space (never mid-word),
    with an ellipsis when something was cut."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if not text[limit].isspace() and re.search(r"\s", cut):
        cut = re.sub(r"\S+\Z", "", cut)  # the word the limit falls in
    return cut.rstrip() + " …"


def evidence_words(text: str, stance: Stance) -> list[str]:
    """The words of a stance's evidence quotes, read from ``text`` by their ids
    (``q{start}-{end}``), so they hold whatever list the quotes came in."""
    words = []
    for quote_id in stance.evidence_ids:
        found = re.fullmatch(r"q(\d+)-(\d+)", quote_id)
        if found:
            words.append(text[int(found.group(1)) : int(found.group(2))])
    return words


def select_records(
    gold: GoldSet,
    *,
    ids: Sequence[str] | None = None,
    limit: int | None = None,
    tasks: Iterable[Task] | None = None,
) -> list[GoldRecord]:
    """The records to evaluate: those in ``ids`` (gold order), then ``limit`` of them.

    With ``tasks`` and a ``limit``, the ``limit`` records are those with gold for the most
    of the tasks asked (gold order among equals, kept in gold order): ``--tasks brief
    --limit 10`` takes articles with stances before articles with summaries only, so each
    task is scored on as many articles as the limit allows. Records with gold for none of
    the tasks are not taken.

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
    if limit is None:
        return records
    if tasks is not None:
        chosen = tuple(tasks)
        covered = [sum(has_gold(task, r) for task in chosen) for r in records]
        ranked = sorted((i for i, n in enumerate(covered) if n), key=lambda i: (-covered[i], i))[
            :limit
        ]
        return [records[i] for i in sorted(ranked)]
    return records[:limit]


def has_gold(task: Task, record: GoldRecord) -> bool:
    """Whether ``record`` has gold for ``task`` (the task is scored on it)."""
    if task in ("summary", "brief-summary"):
        return bool(record.summaries)
    if task == "quotes":
        return bool(record.quotes)
    return bool(record.stances)


def run_eval(
    gold: GoldSet,
    briefer: BrieferLike,
    *,
    tasks: Iterable[Task] = STEP_TASKS,
    ids: Sequence[str] | None = None,
    limit: int | None = None,
    on_article: Callable[[str], None] | None = None,
) -> EvalRun:
    """Run newsbrief and the baselines on gold records and score every article.

    A task runs on the records that have gold for it: summaries on records with reference
    summaries, quotes on records with annotated quotes (GUM records have none), stances
    on records with gold stances. A ``NewsbriefError`` on an article (or one stance item)
    is recorded as a failure and the run goes on; failures are kept out of the scores.

    The ``brief-*`` tasks brief each article once through ``briefer.brief_many`` (as a
    user's batch does; with stances only where the gold has stances; an article that fails
    is a failure of each brief task), and score its issue, the speakers
    whose stances it gives, those stances (a gold speaker it misses counts as a wrong
    answer) and its summary.

    Baselines: the summary pipeline without the model (rule-selected sentences kept
    whole), lead-1 and lead-3 summaries, each reference system's summary; quotes found
    between quotation marks with the nearest preceding name as speaker; the majority
    stance label of the *other* records of the whole gold set (leave one article out, so
    an article's own labels never predict themselves), the model's label prior without
    evidence, and a cue-word lexicon over the speaker's quotes; the headline as the
    issue.

    Args:
        gold: the gold set.
        briefer: the system under test.
        tasks: which of ``TASKS`` to run: by default the step tasks (``summary``,
            ``quotes``, ``stance``); the ``brief-*`` tasks need ``briefer.brief_many``.
        ids: evaluate only these record ids.
        limit: evaluate only the first ``limit`` selected records.
        on_article: called with each record id when the record is done (progress bars).

    Returns:
        Per-article outputs of every system, failures and timings.
    """
    chosen = _check_tasks(tasks)
    records = select_records(gold, ids=ids, limit=limit, tasks=chosen)
    articles: list[ArticleTask] = []
    timings: dict[str, float] = dict.fromkeys(chosen, 0.0)
    brief_tasks = [t for t in chosen if t in BRIEF_TASKS]
    if brief_tasks:
        timings["brief"] = 0.0
    started = time.perf_counter()
    for record in records:
        for task in chosen:
            if task in BRIEF_TASKS:
                continue
            row = _run_task(task, record, gold, briefer)
            if row is not None:
                articles.append(row)
                timings[task] += row.seconds
        if brief_tasks:
            rows, seconds = _brief_rows(brief_tasks, record, gold, briefer)
            articles.extend(rows)
            timings["brief"] += seconds
            for row in rows:
                timings[row.task] += row.seconds
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
        excerpt=opening(record.text),
        gold=gold,
        systems=systems,
        failures=failures,
        seconds=seconds,
    )


def _failure(
    record: GoldRecord, task: Task, exc: NewsbriefError | RecordError, item: int | None = None
) -> Failure:
    """The failure of ``task`` on ``record``: an exception, or a brief record's error."""
    if isinstance(exc, RecordError):
        error_type, message = exc.type, exc.message
    else:
        error_type, message = type(exc).__name__, str(exc)
    logger.warning("%s (%s): %s: %s", record.id, task, error_type, message)
    return Failure(
        article_id=record.id,
        task=task,
        item=item,
        error_type=error_type,
        message=message,
    )


# -- summaries ----------------------------------------------------------------------------


def _summary_output(
    summary: str,
    references: Sequence[str],
    sentences: Sequence[SummarySentence] | None = None,
    article: str = "",
) -> SystemOutput:
    scores = score_rouge(summary, references)
    metrics: dict[str, float | None] = {
        "rouge1_f1": scores.rouge1.f1,
        "rouge2_f1": scores.rouge2.f1,
        "rougeL_f1": scores.rouge_l.f1,
    }
    if sentences is not None:
        metrics.update(sentence_counts(sentences, article))
    return SystemOutput(prediction=summary, metrics=metrics)


def sentence_counts(sentences: Sequence[SummarySentence], article: str) -> dict[str, float | None]:
    """How a summary's sentences were made, as counts that sum over articles: sentences
    per method, and the sum and count of compressions (sentence words over the words of
    its source spans in ``article``, for sentences with sources)."""
    counts: dict[str, float | None] = {
        "n_kept": 0.0,
        "n_shortened": 0.0,
        "n_generated": 0.0,
        "compression_sum": 0.0,
        "n_compressed": 0.0,
    }
    for sentence in sentences:
        key = f"n_{sentence.method}"
        counts[key] = (counts[key] or 0.0) + 1
        source_words = sum(len(article[s.start : s.end].split()) for s in sentence.sources)
        if source_words:
            ratio = len(sentence.text.split()) / source_words
            counts["compression_sum"] = (counts["compression_sum"] or 0.0) + ratio
            counts["n_compressed"] = (counts["n_compressed"] or 0.0) + 1
    return counts


@functools.lru_cache(maxsize=4)
def _document(text: str) -> Document:
    """The article parsed once for every baseline of its record."""
    return Document.parse(text)


def _rules_summary(record: GoldRecord, quotes: Sequence[Quote]) -> list[SummarySentence]:
    from newsbrief.steps.summarize import model_free_summary

    return model_free_summary(_document(record.text), quotes, title=record.title)


def _summary_baselines(
    record: GoldRecord, quotes: Sequence[Quote] | None, references: Sequence[str]
) -> dict[str, SystemOutput]:
    systems: dict[str, SystemOutput] = {}
    if quotes is not None:
        rules = _rules_summary(record, quotes)
        systems[RULES_SUMMARY] = _summary_output(
            " ".join(s.text for s in rules), references, rules, record.text
        )
    for name, k in LEAD_SYSTEMS.items():
        lead = lead_k(_document(record.text), k, title=record.title)
        systems[name] = _summary_output(lead, references)
    return systems


def _summary_task(record: GoldRecord, briefer: BrieferLike) -> ArticleTask:
    references = list(record.summaries)
    systems: dict[str, SystemOutput] = {}
    failures: list[Failure] = []
    started = time.perf_counter()
    try:
        systems[MODEL_SYSTEM] = _summary_output(
            briefer.summarize(record.text, title=record.title), references
        )
    except NewsbriefError as exc:
        failures.append(_failure(record, "summary", exc))
    seconds = time.perf_counter() - started
    systems.update(_summary_baselines(record, _rule_quotes(record), references))
    for name, summary in sorted(record.reference_systems.items()):
        systems[REFERENCE_PREFIX + name] = _summary_output(summary, references)
    return _row(record, "summary", references, systems, failures, seconds)


def _rule_quotes(record: GoldRecord) -> list[Quote] | None:
    """The article's quotes by newsbrief's rules (no model call; the same quotes
    ``Briefer.quotes`` gives), for the baselines; ``None`` when the text is refused."""
    from newsbrief.quotes import find_quotes
    from newsbrief.text.inputs import check_article

    try:
        check_article(record.text)
        return find_quotes(_document(record.text))
    except NewsbriefError as exc:
        logger.warning("%s: no quotes for the baselines: %s", record.id, exc)
        return None


# -- quotes -------------------------------------------------------------------------------


def _quotes_output(
    gold: Sequence[AttributedSpan], predicted: Sequence[Any], *, variants: bool = False
) -> SystemOutput:
    # The project's gold does not annotate reported statements (a verb's object); PolNeAR
    # (``variants``) does: see ``annotated_kinds_only``.
    scored = list(predicted) if variants else annotated_kinds_only(gold, predicted)
    counts = count_quote_matches(gold, scored)
    if variants:
        # PolNeAR names a source as the text does ("Clinton", "the Post"): a variant of
        # the predicted full name is the same speaker.
        pairs = match_by_overlap(gold, predicted)
        counts = replace(
            counts,
            speaker_correct=sum(
                _variant_speaker(gold[i].speaker, predicted[j].speaker) for i, j in pairs
            ),
        )
    saying = [q for q in gold if _is_saying(getattr(q, "cue", None))]
    found = len(match_by_overlap(saying, predicted)) if saying else 0
    record = QuoteCountsRecord.from_counts(counts).model_copy(
        update={"saying_gold": len(saying), "saying_found": found}
    )
    output = SystemOutput(
        prediction=[
            {"text": q.text, "start": q.start, "end": q.end, "speaker": q.speaker, "kind": q.kind}
            for q in predicted
        ],
        metrics={},
        counts=record,
    )
    return output.model_copy(update={"metrics": aggregate("quotes", [output])})


def _variant_speaker(gold: str | None, predicted: str | None) -> bool:
    if gold is None or predicted is None:
        return same_speaker(gold, predicted)
    return same_person(gold, predicted)


def _is_saying(cue: str | None) -> bool:
    """The cue holds a verb of saying (``SAYING_CUES``)."""
    if not cue:
        return False
    return any(word.strip(".,;:\"'“”’") in SAYING_CUES for word in cue.lower().split())


def _quotes_task(record: GoldRecord, briefer: BrieferLike) -> ArticleTask:
    systems: dict[str, SystemOutput] = {}
    failures: list[Failure] = []
    variants = record.source == POLNEAR_SOURCE
    started = time.perf_counter()
    try:
        systems[MODEL_SYSTEM] = _quotes_output(
            record.quotes, briefer.quotes(record.text), variants=variants
        )
    except NewsbriefError as exc:
        failures.append(_failure(record, "quotes", exc))
    seconds = time.perf_counter() - started
    systems[QUOTE_BASELINE] = _quotes_output(
        record.quotes, quote_mark_baseline(record.text), variants=variants
    )
    for name, finder in _peer_quote_systems().items():
        systems[name] = _quotes_output(record.quotes, finder(record.text), variants=variants)
    gold = [q.model_dump(mode="json") for q in record.quotes]
    return _row(record, "quotes", gold, systems, failures, seconds)


def _peer_quote_systems() -> dict[str, Callable[[str], list[Any]]]:
    """Quote extractors of other libraries, where installed (``textacy``)."""
    from newsbrief.eval.peers import peer_quote_finders

    return peer_quote_finders()


# -- stances ------------------------------------------------------------------------------


def _stance_output(pairs: list[tuple[str, str]], prediction: list[dict[str, Any]]) -> SystemOutput:
    output = SystemOutput(prediction=prediction, metrics={}, labels=pairs)
    return output.model_copy(update={"metrics": aggregate("stance", [output])})


def _labelled(
    gold_labels: Sequence[str], speakers: Sequence[str | None], labels: Sequence[str]
) -> SystemOutput:
    """A baseline's answers as a stance output (one label per gold item)."""
    return _stance_output(
        list(zip(gold_labels, labels, strict=True)),
        [
            {"item": i, "speaker": speaker, "label": label}
            for i, (speaker, label) in enumerate(zip(speakers, labels, strict=True))
        ],
    )


def _majority_of_others(record: GoldRecord, gold: GoldSet) -> str | None:
    others = [s.label for r in gold if r.id != record.id for s in r.stances]
    return majority_stance(others) if others else None


def _evidence(record: GoldRecord, quotes: Sequence[Quote], speaker: str | None) -> list[str]:
    """What the stance step reads for a speaker, without a model: their quotes, else the
    sentences that name them; the author's first paragraphs."""
    from newsbrief.steps.lead import sentences_naming
    from newsbrief.text.article import prose_paragraphs

    if speaker is None:
        return prose_paragraphs(_document(record.text))[:6]
    own = [q.text for q in quotes if q.speaker and same_person(speaker, q.speaker)]
    return own or sentences_naming(_document(record.text), speaker, 6)


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
        # An abstention counts as a wrong answer (and lowers coverage).
        pairs.append((item.label, stance.label or ABSTAINED))
        predictions.append(
            {
                "item": index,
                "speaker": item.speaker,
                "label": stance.label,
                "confidence": stance.confidence,
                "evidence": evidence_words(record.text, stance),
            }
        )
    seconds = time.perf_counter() - started
    if pairs:
        systems[MODEL_SYSTEM] = _stance_output(pairs, predictions)
    gold_labels = [s.label for s in record.stances]
    speakers = [s.speaker for s in record.stances]
    majority = _majority_of_others(record, gold)
    if majority is not None:
        systems[STANCE_BASELINE] = _labelled(gold_labels, speakers, [majority] * len(speakers))
        quotes = _rule_quotes(record) or []
        lexical = [
            lexical_label(_evidence(record, quotes, s), gold.labels, majority) for s in speakers
        ]
        systems[LEXICAL_BASELINE] = _labelled(gold_labels, speakers, lexical)
    prior = _prior(record, briefer, record.stances[0].target, speakers, gold.labels)
    if prior is not None:
        systems[PRIOR_BASELINE] = _labelled(gold_labels, speakers, prior)
    gold_items = [s.model_dump(mode="json") for s in record.stances]
    return _row(record, "stance", gold_items, systems, failures, seconds)


def _prior(
    record: GoldRecord,
    briefer: BrieferLike,
    target: str,
    speakers: Sequence[str | None],
    labels: Sequence[str],
) -> list[str] | None:
    """The label-prior baseline, when the briefer has a backend that scores."""
    backend = getattr(briefer, "backend", None)
    style = getattr(briefer, "style", None)
    if not callable(getattr(backend, "score", None)) or not isinstance(style, str):
        return None
    try:
        return prior_labels(
            backend,  # type: ignore[arg-type]
            style,  # type: ignore[arg-type]
            target=target,
            speakers=speakers,
            labels=labels,
        )
    except NewsbriefError as exc:
        logger.warning("%s: no label-prior baseline: %s", record.id, exc)
        return None


# -- the brief, end to end ----------------------------------------------------------------

#: The brief step each brief task scores (``Brief.failures`` names steps).
_STEP_OF: dict[Task, str] = {
    "brief-issue": "issue",
    "brief-speakers": "stance",
    "brief-stance": "stance",
    "brief-summary": "summary",
}


def _brief_rows(
    tasks: Sequence[Task], record: GoldRecord, gold: GoldSet, briefer: BrieferLike
) -> tuple[list[ArticleTask], float]:
    """Brief the article once (``brief_many``) and score each brief task it has gold for.

    Returns:
        The rows and the seconds the brief took.
    """
    wanted = [t for t in tasks if has_gold(t, record)]
    if not wanted:
        return [], 0.0
    started = time.perf_counter()
    options = BriefOptions(stances=bool(record.stances))
    (result,) = briefer.brief_many([(record.id, record.text, record.title)], options)
    brief, error = result.brief, result.error
    seconds = time.perf_counter() - started
    quotes = brief.quotes if brief is not None else _rule_quotes(record)
    rows = []
    for task in wanted:
        failures: list[Failure] = []
        if error is not None:
            failures.append(_failure(record, task, error))
        elif brief is not None:
            failures += [
                Failure(
                    article_id=record.id,
                    task=task,
                    error_type=f.error,
                    message=f.message,
                )
                for f in brief.failures
                if f.step == _STEP_OF[task]
            ]
        ok = brief if not failures else None
        if task == "brief-issue":
            rows.append(_issue_row(record, ok, failures, seconds))
        elif task == "brief-speakers":
            rows.append(_speakers_row(record, ok, failures, seconds))
        elif task == "brief-stance":
            rows.append(_brief_stance_row(record, gold, ok, quotes or [], failures, seconds))
        else:
            rows.append(_brief_summary_row(record, ok, quotes, failures, seconds))
    return rows, seconds


def headline_baseline(record: GoldRecord) -> str:
    """The headline baseline's issue: the record's title, else the first non-blank line of
    the text, whatever it is (a naive reader's headline; the pipeline's own rule,
    :func:`newsbrief.text.article.headline_of`, refuses a first line that is prose)."""
    if record.title and record.title.strip():
        return record.title.strip()
    return next((line.strip() for line in record.text.split("\n") if line.strip()), "")


def _issue_output(issue: str, target: str) -> SystemOutput:
    return SystemOutput(
        prediction=issue,
        metrics={
            "issue_f1": issue_f1(issue, target),
            "equivalent": float(issue_equivalent(issue, target)),
        },
    )


def _issue_row(
    record: GoldRecord, brief: Brief | None, failures: list[Failure], seconds: float
) -> ArticleTask:
    target = record.stances[0].target
    systems: dict[str, SystemOutput] = {}
    if brief is not None and brief.issue.strip():
        systems[MODEL_SYSTEM] = _issue_output(brief.issue, target)
    systems[HEADLINE_BASELINE] = _issue_output(headline_baseline(record), target)
    return _row(record, "brief-issue", target, systems, failures, seconds)


def _gold_speakers(record: GoldRecord) -> list[str]:
    return list(dict.fromkeys(s.speaker for s in record.stances if s.speaker))


def _speakers_output(gold_speakers: Sequence[str], found: Sequence[str]) -> SystemOutput:
    match = match_speakers(gold_speakers, found)
    return SystemOutput(
        prediction=list(found),
        metrics={
            "matched": float(len(match.pairs)),
            "n_found": float(match.n_found),
            "n_gold": float(match.n_gold),
            "precision": match.scores.precision,
            "recall": match.scores.recall,
            "f1": match.scores.f1,
        },
    )


def _found_speakers(brief: Brief) -> list[str]:
    return list(dict.fromkeys(s.speaker for s in brief.stances if s.speaker))


def _speakers_row(
    record: GoldRecord, brief: Brief | None, failures: list[Failure], seconds: float
) -> ArticleTask:
    gold_speakers = _gold_speakers(record)
    systems: dict[str, SystemOutput] = {}
    if brief is not None:
        systems[MODEL_SYSTEM] = _speakers_output(gold_speakers, _found_speakers(brief))
    marked = quote_mark_baseline(record.text)
    systems[QUOTE_BASELINE] = _speakers_output(
        gold_speakers, list(dict.fromkeys(q.speaker for q in marked if q.speaker))
    )
    return _row(record, "brief-speakers", gold_speakers, systems, failures, seconds)


def _brief_stance_row(
    record: GoldRecord,
    gold: GoldSet,
    brief: Brief | None,
    quotes: Sequence[Quote],
    failures: list[Failure],
    seconds: float,
) -> ArticleTask:
    """Stances over the gold items: each gold speaker is looked up among the speakers the
    brief gives a stance for (name variants match); one not found counts as ``missed``."""
    gold_labels = [s.label for s in record.stances]
    systems: dict[str, SystemOutput] = {}
    if brief is not None:
        found = [s for s in brief.stances if s.speaker]
        names = [s.speaker or "" for s in found]
        item_speakers = [s.speaker or "" for s in record.stances]
        match = dict(match_speakers(item_speakers, names).pairs)
        # A speaker named in several gold items (never in this gold) would be matched once.
        matched: list[Stance | None] = [
            found[match[i]] if i in match else None for i in range(len(item_speakers))
        ]
        labels = [
            MISSED if m is None else (m.label if m.label is not None else ABSTAINED)
            for m in matched
        ]
        speakers: list[str | None] = [m.speaker if m else None for m in matched]
        systems[MODEL_SYSTEM] = _stance_output(
            list(zip(gold_labels, labels, strict=True)),
            [
                {
                    "item": i,
                    "speaker": sp,
                    "label": label,
                    "evidence": evidence_words(record.text, m) if m else [],
                }
                for i, (sp, label, m) in enumerate(zip(speakers, labels, matched, strict=True))
            ],
        )
        majority = _majority_of_others(record, gold)
        if majority is not None:
            # The same speakers, labelled without a model.
            by_majority = [MISSED if m is None else majority for m in matched]
            by_lexicon = [
                MISSED
                if m is None
                else lexical_label(_evidence(record, quotes, m.speaker), gold.labels, majority)
                for m in matched
            ]
            systems[STANCE_BASELINE] = _labelled(gold_labels, speakers, by_majority)
            systems[LEXICAL_BASELINE] = _labelled(gold_labels, speakers, by_lexicon)
    gold_items = [s.model_dump(mode="json") for s in record.stances]
    return _row(record, "brief-stance", gold_items, systems, failures, seconds)


def _brief_summary_row(
    record: GoldRecord,
    brief: Brief | None,
    quotes: Sequence[Quote] | None,
    failures: list[Failure],
    seconds: float,
) -> ArticleTask:
    references = list(record.summaries)
    systems: dict[str, SystemOutput] = {}
    if brief is not None and brief.summary.strip():
        systems[MODEL_SYSTEM] = _summary_output(
            brief.summary, references, brief.summary_sentences or None, record.text
        )
    systems.update(_summary_baselines(record, quotes, references))
    return _row(record, "brief-summary", references, systems, failures, seconds)
