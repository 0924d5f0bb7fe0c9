"""Briefer: composes quotes, summary, issue and stances into a Brief."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

from newsbrief._version import __version__
from newsbrief.backends.options import LoadKeywords, LoadOptions, show_loading_keywords
from newsbrief.errors import InputError, NewsbriefError, RetryExhaustedError
from newsbrief.models import (
    DEFAULT_LABELS,
    Brief,
    BriefStep,
    PromptRecord,
    Provenance,
    Quote,
    Stance,
    StepFailure,
    sha256_of_text,
)
from newsbrief.options import BriefOptions, BriefRecord, check_labels, check_target
from newsbrief.quotes import find_quotes
from newsbrief.steps.asking import RETRY_TEMPERATURE, check_max_attempts
from newsbrief.steps.prompts import PromptStyle, style_for
from newsbrief.steps.stance import stance_speakers
from newsbrief.text.document import Document
from newsbrief.text.inputs import check_article, check_no_surrogates, cut_title
from newsbrief.text.language import check_language

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from newsbrief.backends.base import Backend
    from newsbrief.steps.stance import StanceResult
    from newsbrief.steps.summarize import SummaryResult

logger = logging.getLogger(__name__)
_T = TypeVar("_T")
# _LAZY_STEPS: the model steps and model loading are imported at first use, not with the
# package (`python -X importtime -c "import newsbrief"`, best of 3-6 runs, of ~290 ms in
# all): steps.summarize and steps.issue add ~14 ms, steps.stance with the stance head
# ~53 ms, backends.loading ~78 ms.

#: An article for :meth:`Briefer.brief_many`: its text, ``(id, text)``, ``(id, text,
#: title)``, or a mapping with ``"text"`` and optional ``"id"`` and ``"title"``.
ArticleItem = str | tuple[str, str] | tuple[str, str, str | None] | Mapping[str, Any]


@dataclass(frozen=True)
class BriefRun:
    """One article on its way through :meth:`Briefer.brief`: what every step reads (the
    article checked and parsed once, its rule-based quotes, and the call's arguments)."""

    document: Document
    quotes: list[Quote]
    title: str | None
    target: str | None
    labels: tuple[str, ...]
    summary: bool = True
    stances: bool = True
    headline: str | None = None  # the title as the steps read it (cut_title), kept whole in
    # the brief


@dataclass(frozen=True)
class StepOutcome(Generic[_T]):
    """What one step of :meth:`Briefer.brief` gives back.

    Attributes:
        value: the step's part of the brief; ``None`` when it failed or did not run.
        prompts: the prompt templates it rendered (the provenance lists each once).
        attempts: model answers it asked for (``None``: none to count).
        notes: what it left out and why (provenance notes).
        failure: why it has no value, when it failed or an earlier failure stopped it.
    """

    value: _T | None = None
    prompts: tuple[PromptRecord, ...] = ()
    attempts: int | None = None
    notes: tuple[str, ...] = ()
    failure: StepFailure | None = None


#: A step of :meth:`Briefer.brief`: the Briefer, the article, and the outcomes of the steps
#: before it, by name; it returns its own outcome (see ``docs/HOW_IT_WORKS.md``, "Adding a
#: pipeline step").
Step = Callable[["Briefer", BriefRun, Mapping[str, StepOutcome[Any]]], StepOutcome[Any]]


def issue_step(
    briefer: Briefer, run: BriefRun, done: Mapping[str, StepOutcome[Any]]
) -> StepOutcome[str]:
    """The issue to take stances on: the caller's target, else (only when stances are
    asked for) the article's central issue in its own words."""
    if run.target is not None:
        check_target(run.target)
        return StepOutcome(value=run.target.strip())
    if not run.stances:
        return StepOutcome(value="")

    def infer() -> StepOutcome[str]:
        from newsbrief.steps.issue import infer_issue  # start-up time: see _LAZY_STEPS

        answer = infer_issue(
            briefer.backend,
            briefer.style,
            run.document,
            max_attempts=briefer.max_attempts,
            seed=briefer.seed,
            headline=run.headline,
        )
        return StepOutcome(answer.value, (answer.prompt.record,), len(answer.attempts))

    return _attempt("issue", infer)


def stance_step(
    briefer: Briefer, run: BriefRun, done: Mapping[str, StepOutcome[Any]]
) -> StepOutcome[list[Stance]]:
    """The stance of every quoted speaker and of everyone reported taking a position
    (``stance_speakers``) on the issue, in one scoring batch; not run (a failure
    that names the cause) when the issue step failed."""
    issue: str = done["issue"].value or ""
    if run.stances and not issue:
        cause = done["issue"].failure
        assert cause is not None  # an issue step without a value has failed
        return StepOutcome(failure=_not_run("stance", cause, "no issue to take stances on"))
    speakers = stance_speakers(run.document, run.quotes) if run.stances else []

    def score() -> StepOutcome[list[Stance]]:
        results = briefer._stances(run.document, run.quotes, issue, speakers, run.labels)
        found = [_with_evidence_ids(r.stance, run.quotes) for r in results]
        return StepOutcome(found, tuple(r.prompt for r in results))

    return _attempt("stance", score)


def summary_step(
    briefer: Briefer, run: BriefRun, done: Mapping[str, StepOutcome[Any]]
) -> StepOutcome[SummaryResult]:
    """The summary (one sentence per main voice after the lead), when asked for."""
    if not run.summary:
        return StepOutcome()

    def write() -> StepOutcome[SummaryResult]:
        from newsbrief.steps.summarize import voices_of  # start-up time: see _LAZY_STEPS

        voices = voices_of(run.document, run.quotes)
        written = briefer._summarizer.summarize(run.document, voices, title=run.headline)
        return StepOutcome(written, tuple(written.prompts), written.attempts, tuple(written.notes))

    return _attempt("summary", write)


class Briefer:
    """Turns news articles into briefs with one loaded model.

    Args:
        model: hub id, local directory, ``.gguf`` file, or ``None`` for the embedded
            default (Gemma 3 270M, offline, CPU).
        backend: any object implementing :class:`newsbrief.backends.Backend`; excludes
            ``model``.
        load_options: how the model loads, as one
            :class:`~newsbrief.backends.options.LoadOptions`; excludes ``backend``. Kept
            as :attr:`load_options` (``None`` with ``backend``).
        style: prompt template style; ``None`` picks from the backend (few-shot ``base``
            for base models, ``instruct`` for chat models, ``t5`` for encoder-decoders).
        summary_sentences: 1-3 sentences per summary (with a base model, the length target
            shrinks with it: one sentence is about 60 % of the 3-sentence length).
        max_attempts: attempts per generated answer before ``RetryExhaustedError``.
        seed: base seed for the sampled retries.
        stance_head: the trained stance head (:mod:`newsbrief.steps.heads.stance`): ``None``
            uses the shipped head when the model is the one it was trained on (the
            embedded model) and zero-shot scoring otherwise; ``False`` always zero-shot;
            a path loads that head file, which must belong to the model. Loaded at the
            first stance.
        **loading: the loading options as keywords instead of ``load_options``:
            ``device`` (``"cpu"``, the default, ``"cuda"``, ``"cuda:N"`` or ``"auto"``),
            ``dtype`` (``"float32"``, ``"bfloat16"``, ... or ``None`` for a sensible
            default), ``trust_remote_code`` (run model code shipped with a checkpoint; off
            by default), ``allow_pickle`` (allow pickle checkpoints, ``.bin``/``.pt``,
            which can run code), ``revision`` and ``use_chat_template`` (see
            :class:`~newsbrief.backends.options.LoadOptions`).

    Raises:
        ModelLoadError: the model cannot be loaded (the message says what to do).
        ValueError: ``model`` with ``backend``, ``load_options`` with ``backend`` or with
            a loading keyword, or an unknown device or dtype.
        TypeError: an unknown keyword, or a loading option of the wrong type.
    """

    #: The steps of :meth:`brief`, in order: ``(name, step)``. A step's outcome is kept under
    #: its name (later steps read it); its prompts, attempts, notes and failure go into the
    #: brief's provenance and failures. A subclass (or an instance) may set its own.
    steps: tuple[tuple[str, Step], ...] = (
        ("issue", issue_step),
        ("stance", stance_step),
        ("summary", summary_step),
    )

    @show_loading_keywords
    def __init__(
        self,
        model: str | None = None,
        *,
        backend: Backend | None = None,
        load_options: LoadOptions | None = None,
        style: PromptStyle | None = None,
        summary_sentences: int = 3,
        max_attempts: int = 3,
        seed: int = 0,
        stance_head: str | Path | bool | None = None,
        **loading: Unpack[LoadKeywords],
    ) -> None:
        if model is not None and backend is not None:
            raise ValueError("pass either model= or backend=, not both")
        check_max_attempts(max_attempts)
        # Checked even with a backend, so a misspelt keyword is a TypeError.
        chosen = LoadOptions.from_call(load_options, **loading)
        if backend is not None and load_options is not None:
            raise ValueError("pass either load_options= or backend=, not both")
        #: How the model was loaded (``None``: a backend was passed in).
        self.load_options: LoadOptions | None = None
        if backend is None:
            from newsbrief.backends.loading import load_backend  # start-up: _LAZY_STEPS

            self.load_options = chosen
            backend = load_backend(model or "embedded", load_options=chosen)
        from newsbrief.steps.heads.stance import HeadSlot
        from newsbrief.steps.summarize import Summarizer  # start-up time: see _LAZY_STEPS

        self.backend: Backend = backend
        self.style: PromptStyle = style or style_for(backend)
        self.max_attempts = max_attempts
        self.seed = seed
        self._stance_head_choice = stance_head
        self._stance_head = HeadSlot(stance_head)  # loaded at first use, shared by copies
        self._summarizer = Summarizer(
            backend,
            self.style,
            max_sentences=summary_sentences,
            max_attempts=max_attempts,
            seed=seed,
        )

    def __repr__(self) -> str:
        return f"Briefer(backend={self.backend!r}, style={self.style!r})"

    @property
    def options(self) -> BriefOptions:
        """This Briefer's settings as :class:`~newsbrief.options.BriefOptions` (the per-brief
        options at their defaults): what :meth:`brief_many` uses without ``options``."""
        return BriefOptions(
            summary_sentences=self._summarizer.max_sentences,
            max_attempts=self.max_attempts,
            seed=self.seed,
            style=self.style,
        )

    def brief_many(
        self,
        items: Iterable[ArticleItem],
        options: BriefOptions | None = None,
        *,
        on_error: Literal["record", "raise"] = "record",
    ) -> Iterator[BriefRecord]:
        """Brief many articles: one :class:`~newsbrief.options.BriefRecord` per item, in order.

        Lazy: each record is made when it is asked for, so a caller can write it out at
        once (batch files, Ray, datasets and the eval runner are all built on this). An
        article that fails (unusable text, a backend error, a bug) gets an error record with
        the error's class name and message and the run goes on; only ``KeyboardInterrupt``
        (and other ``BaseException`` that is no ``Exception``) stops it.

        The articles are briefed one after another: merging model calls across articles is
        slower on CPU (only ``score`` calls can merge, since constrained ``generate``
        configs carry each article's text, and merging loses the per-article prefix cache),
        and this generator costs nothing over a ``brief()`` loop (both measured in
        ``benchmarks/RESULTS.md``, ``bench_brief.py --many``).

        Args:
            items: the articles. A plain text gets its position (``"0"``, ``"1"``...) as
                its id; ``(id, text)`` and ``(id, text, title)`` tuples and mappings with
                ``"text"`` (and optional ``"id"`` and ``"title"``) give their own. An item
                of another shape is an error record (``TypeError``) under its position.
            options: what to produce (target, summary, stances, labels) and the settings
                (summary sentences, attempts, seed, style); a setting left ``None`` is this
                Briefer's own. ``None``: :attr:`options`.
            on_error: ``"record"`` (the default) makes a failed article an error record;
                ``"raise"`` raises its exception instead (the records before it are given).

        Yields:
            The record of each item: ``record.brief`` or ``record.error``.
        """
        if on_error not in ("record", "raise"):
            raise ValueError("on_error must be 'record' or 'raise'")
        if options is not None and not isinstance(options, BriefOptions):
            raise TypeError(
                f"options must be a BriefOptions (e.g. BriefOptions(target=...)), "
                f"not {type(options).__name__}"
            )
        chosen = self.options if options is None else options.resolved(self.options)
        return _records(self._with_settings(chosen), items, chosen, on_error)

    @property
    def trained_on(self) -> frozenset[str]:
        """Ids of the articles this Briefer's trained parts learnt from (the stance head's
        card lists them; empty for zero-shot stances): an evaluation marks those articles,
        whose scores overstate how it does on articles it has not seen."""
        head = self._stance_head.get(self.backend)
        return head.training_ids if head is not None else frozenset()

    def _with_settings(self, options: BriefOptions) -> Briefer:
        """This Briefer, or one on the same backend (and stance head) with the settings of
        ``options`` where they differ."""
        if options.settings() == self.options.settings():
            return self
        other = Briefer(
            backend=self.backend,
            style=options.style,
            summary_sentences=options.summary_sentences or 3,
            max_attempts=options.max_attempts or self.max_attempts,
            seed=self.seed if options.seed is None else options.seed,
            stance_head=self._stance_head_choice,
        )
        other._stance_head = self._stance_head  # loaded once, shared
        other.steps = self.steps
        return other

    # -- the contract -------------------------------------------------------------------

    def quotes(self, text: str) -> list[Quote]:
        """Every quoted or reported statement in ``text`` with its speaker and exact span.

        Raises:
            InputError: unusable text, or text mostly in a language other than English
                (the rules are English; see :mod:`newsbrief.text.language`).
        """
        return self._quotes(Document.parse(check_article(text)))

    def summarize(self, text: str, title: str | None = None) -> str:
        """A 1-3 sentence summary of ``text``: with a few-shot base model, the article's lead
        and main voice sentences, each kept whole or shortened by deletion where the model
        scores the shorter version fluent; other models write it freely.

        Args:
            text: the article.
            title: its headline, when the text does not start with it: it guides which
                parts of the sentences stay (as in :meth:`brief`; cut to 300 characters).

        Raises:
            InputError: unusable text or title.
            TypeError: a title that is not a string.
            RetryExhaustedError: every attempt at a part of the summary was rejected.
        """
        from newsbrief.steps.summarize import voices_of  # start-up time: see _LAZY_STEPS

        document = Document.parse(check_article(text))
        headline = _check_title(title)
        quotes = self._quotes(document)
        summary = self._summarizer.summarize(document, voices_of(document, quotes), title=headline)
        return summary.text

    def stance(
        self,
        text: str,
        target: str,
        *,
        speaker: str | None = None,
        labels: Sequence[str] = DEFAULT_LABELS,
    ) -> Stance:
        """Where ``speaker`` (``None``: the article's author) stands on ``target``.

        The evidence is the speaker's own quotes; for a speaker the article never quotes,
        the sentences that name them; a speaker it never names, or a target it never
        mentions, is an abstention (``label`` ``None``, confidence 0), not an error. With
        the trained stance head (the embedded model) a confidence under the head's
        threshold is an abstention too; ``labels`` that are a subset of the defaults use
        the head restricted to them, other labels are scored zero-shot.

        Raises:
            ValueError: an empty target, or fewer than two distinct labels.
            ModelLoadError: the stance head asked for cannot be loaded for this model.
        """
        article = check_article(text)
        check_target(target)
        document = Document.parse(article)
        quotes = self._quotes(document)
        result = self._stances(document, quotes, target, [speaker], labels)[0]
        return _with_evidence_ids(result.stance, quotes)

    def brief(
        self,
        text: str,
        title: str | None = None,
        target: str | None = None,
        *,
        summary: bool = True,
        stances: bool = True,
        labels: Sequence[str] = DEFAULT_LABELS,
    ) -> Brief:
        """Summary, quotes, issue and a stance for every quoted speaker, in one pass.

        The article is checked and parsed once, its quotes found (rules, no model), then
        each of :attr:`steps` runs in order: issue, stance, summary. A step whose model
        answers were all rejected (``RetryExhaustedError``, ``OutputError``) or whose
        backend failed (``GenerationError``) leaves its part empty and adds a
        :class:`~newsbrief.models.StepFailure` to ``brief.failures``; without an issue the
        stances are not scored, and a ``"stance"`` failure says so.

        Args:
            text: the article.
            title: its headline, kept; the steps read its first ``MAX_TITLE_CHARS`` (300).
            target: the issue to take stances on; inferred from the article when ``None``.
            summary: write the summary (``False``: ``brief.summary`` empty).
            stances: score stances (``False``: no stances, nor an issue without ``target``).
            labels: the stance label set, as for :meth:`stance` (checked before any model).

        Raises:
            InputError: unusable text (empty, binary, not English...), not a step failure.
        """
        article, headline, labels = check_article(text), _check_title(title), check_labels(labels)
        document = Document.parse(article)
        run = BriefRun(
            document, self._quotes(document), title, target, labels, summary, stances, headline
        )
        done: dict[str, StepOutcome[Any]] = {}
        for name, step in self.steps:
            done[name] = step(self, run, done)
        return self._assemble(run, done, sha256_of_text(article))

    def _assemble(
        self, run: BriefRun, done: Mapping[str, StepOutcome[Any]], text_sha256: str
    ) -> Brief:
        """The brief of ``run`` from its steps' outcomes."""
        written: SummaryResult | None = done["summary"].value
        return Brief(
            summary=written.text if written else "",
            summary_sentences=written.sentences if written else [],
            quotes=run.quotes,
            stances=done["stance"].value or [],
            issue=done["issue"].value or "",
            title=run.title,
            provenance=self._provenance(done),
            failures=[o.failure for o in done.values() if o.failure is not None],
            text_sha256=text_sha256,
        )

    def _provenance(self, outcomes: Mapping[str, StepOutcome[Any]]) -> Provenance:
        """The provenance of a brief made of ``outcomes``: their prompts (each once, in step
        order), attempts by step, notes, and this Briefer's generation settings."""
        prompts: list[PromptRecord] = []
        attempts: dict[str, int] = {}
        notes: list[str] = []
        for name, outcome in outcomes.items():
            prompts.extend(p for p in outcome.prompts if p not in prompts)
            if outcome.attempts is not None:
                attempts[name] = outcome.attempts
            notes.extend(outcome.notes)
        return Provenance(
            model_id=self.backend.model_id,
            package_version=__version__,
            prompts=prompts,
            generation={
                "style": self.style,
                "max_attempts": self.max_attempts,
                "seed": self.seed,
                "retry_temperature": RETRY_TEMPERATURE,
                "first_attempt": "greedy",
            },
            attempts=attempts,
            notes=notes,
        )

    def brief_file(
        self,
        path: str | Path,
        title: str | None = None,
        target: str | None = None,
        *,
        html: bool | None = None,
        summary: bool = True,
        stances: bool = True,
        labels: Sequence[str] = DEFAULT_LABELS,
    ) -> Brief:
        """:meth:`brief` of the article in a file: UTF-8 text, or an HTML page (by its
        suffix or its opening; ``html`` forces either way) reduced to its article.

        For a page, ``brief.extracted_text`` holds the extracted text the offsets index
        into, and the page's title is the brief's when ``title`` is not given.

        Raises:
            InputError: no such file, a PDF or Word file (with what to do), text that is not
                UTF-8, or an unusable article; the message names the file.
        """
        from newsbrief.text.files import read_article_file, with_source_text

        source = read_article_file(path, html=html)
        try:
            brief = self.brief(
                source.text,
                title or source.title,
                target,
                summary=summary,
                stances=stances,
                labels=labels,
            )
        except InputError as exc:
            raise InputError(f"{source.name}: {exc}") from exc
        return with_source_text(brief, source)

    # -- steps --------------------------------------------------------------------------

    def _quotes(self, document: Document) -> list[Quote]:
        """The rule-based quotes of an article already checked by ``check_article``."""
        check_language(document.text)
        return find_quotes(document)

    def _stances(
        self,
        article: Document,
        quotes: list[Quote],
        target: str,
        speakers: Sequence[str | None],
        labels: Sequence[str],
    ) -> list[StanceResult]:
        from newsbrief.steps.stance import score_stances, stance_requests

        requests = stance_requests(article, quotes, speakers, target)
        return score_stances(
            self.backend,
            self.style,
            article=article,
            target=target,
            requests=requests,
            labels=labels,
            head=self._stance_head.get(self.backend),
        )


def _attempt(step: BriefStep, call: Callable[[], StepOutcome[_T]]) -> StepOutcome[_T]:
    """Run one step of ``brief()``: its outcome, or one with the failure recorded.

    Newsbrief's own errors of a step (rejected answers, a failed backend) are recorded;
    ``InputError`` (bad input, not a step failure) and anything else (a bug) propagate.
    """
    try:
        return call()
    except InputError:
        raise
    except NewsbriefError as error:
        logger.warning("brief: the %s step failed (%s): %s", step, type(error).__name__, error)
        failure = StepFailure(step=step, error=type(error).__name__, message=str(error))
        rejected = error.attempts if isinstance(error, RetryExhaustedError) else None
        return StepOutcome(attempts=None if rejected is None else len(rejected), failure=failure)


def _not_run(step: BriefStep, cause: StepFailure, reason: str) -> StepFailure:
    """The record of a step skipped because an earlier one (``cause``) failed."""
    return StepFailure(
        step=step,
        error=cause.error,
        message=f"not run: {reason} (the {cause.step} step failed)",
    )


def _with_evidence_ids(stance: Stance, quotes: Sequence[Quote]) -> Stance:
    """``stance`` citing its evidence quotes by id as well as by index, with its speaker's
    description as the article gives it."""
    from newsbrief.quotes import speaker_description

    return stance.model_copy(
        update={
            "evidence_ids": [quotes[i].id for i in stance.evidence],
            "speaker_description": speaker_description(quotes, stance.speaker),
        }
    )


def _records(
    briefer: Briefer,
    items: Iterable[ArticleItem],
    options: BriefOptions,
    on_error: Literal["record", "raise"],
) -> Iterator[BriefRecord]:
    """The records of :meth:`Briefer.brief_many`, made one at a time."""
    for index, item in enumerate(items):
        try:
            article_id, text, title = _article_item(item, index)
        except TypeError as exc:
            if on_error == "raise":
                raise
            yield BriefRecord.failed(str(index), exc)
            continue
        try:
            brief = briefer.brief(
                text,
                title,
                options.target,
                summary=options.summary,
                stances=options.stances,
                labels=options.labels,
            )
        except Exception as exc:  # one article must not end a run
            if on_error == "raise":
                raise
            if not isinstance(exc, NewsbriefError | ValueError | TypeError):
                logger.warning("brief_many: %s failed unexpectedly", article_id, exc_info=True)
            yield BriefRecord.failed(article_id, exc)
        else:
            yield BriefRecord(id=article_id, brief=brief)


def _check_title(title: object) -> str | None:
    """Refuse a title that is not a string (``TypeError``) or holds a lone surrogate; return
    it as the steps read it, cut to ``MAX_TITLE_CHARS`` (:func:`.inputs.cut_title`)."""
    if title is not None and not isinstance(title, str):
        raise TypeError("title must be a string or None")
    if title is not None:
        check_no_surrogates(title, name="title")
    return cut_title(title)


def _article_item(item: object, index: int) -> tuple[str, Any, Any]:
    """The id, text and title of one :meth:`Briefer.brief_many` item (``TypeError`` if it
    has none of the documented shapes)."""
    if isinstance(item, str):
        return str(index), item, None
    if isinstance(item, tuple) and len(item) in (2, 3):
        article_id, text, *rest = item
        title = rest[0] if rest else None
    elif isinstance(item, Mapping) and "text" in item:
        article_id, text, title = item.get("id", index), item["text"], item.get("title")
    else:
        raise TypeError(
            f"item {index} is {type(item).__name__}: give a text, (id, text[, title]) or a "
            "mapping with 'text'"
        )
    if isinstance(article_id, bool) or not isinstance(article_id, str | int):
        raise TypeError(f"item {index}: the id must be a string or int")
    # A text or title of the wrong type is refused by brief(), in the article's own record.
    return str(article_id), text, title
