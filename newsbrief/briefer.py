"""Briefer: composes quotes, summary, issue and stances into a Brief."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsbrief.asking import RETRY_TEMPERATURE
from newsbrief.inputs import check_article
from newsbrief.models import DEFAULT_LABELS, Brief, PromptRecord, Provenance, Quote, Stance
from newsbrief.prompts import PromptStyle, style_for
from newsbrief.quotes.reporting import reporting_sentences

if TYPE_CHECKING:
    from newsbrief.backends.base import Backend
    from newsbrief.heads.stance import StanceHead
    from newsbrief.stance import StanceResult
    from newsbrief.summarize import Voice

logger = logging.getLogger(__name__)

#: Quotes behind one summary sentence about a speaker (their own words when they have any).
_VOICE_EVIDENCE = 3


class Briefer:
    """Turns news articles into briefs with one loaded model.

    Args:
        model: hub id, local directory, ``.gguf`` file, or ``None`` for the embedded
            default (Gemma 3 270M, offline, CPU).
        backend: any object implementing :class:`newsbrief.backends.Backend`; excludes
            ``model``.
        device: ``"cpu"`` (default), ``"cuda"`` or ``"auto"``.
        dtype: ``"float32"``, ``"bfloat16"``, ... or ``None`` for a sensible default.
        trust_remote_code: allow model code shipped with a checkpoint (off by default).
        allow_pickle: allow pickle checkpoints (``.bin``/``.pt``), which can run code.
        style: prompt template style; ``None`` picks from the backend (few-shot ``base``
            for base models, ``instruct`` for chat models, ``t5`` for encoder-decoders).
        summary_sentences: 1-3 sentences per summary.
        max_attempts: attempts per generated answer before ``RetryExhaustedError``.
        seed: base seed for the sampled retries.
        stance_head: the trained stance head (:mod:`newsbrief.heads.stance`): ``None``
            uses the shipped head when the model is the one it was trained on (the
            embedded model) and zero-shot scoring otherwise; ``False`` always zero-shot;
            a path loads that head file, which must belong to the model. Loaded at the
            first stance.

    Raises:
        ModelLoadError: the model cannot be loaded (the message says what to do).
    """

    def __init__(
        self,
        model: str | None = None,
        *,
        backend: Backend | None = None,
        device: str | None = None,
        dtype: Any = None,
        trust_remote_code: bool = False,
        allow_pickle: bool = False,
        style: PromptStyle | None = None,
        summary_sentences: int = 3,
        max_attempts: int = 3,
        seed: int = 0,
        stance_head: str | Path | bool | None = None,
    ) -> None:
        if model is not None and backend is not None:
            raise ValueError("pass either model= or backend=, not both")
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if backend is None:
            from newsbrief.backends.loading import load_backend

            backend = load_backend(
                model or "embedded",
                device=device,
                dtype=dtype,
                trust_remote_code=trust_remote_code,
                allow_pickle=allow_pickle,
            )
        from newsbrief.summarize import Summarizer

        self.backend: Backend = backend
        self.style: PromptStyle = style or style_for(backend)
        self.max_attempts = max_attempts
        self.seed = seed
        self._stance_head_choice = stance_head
        self._stance_head: list[StanceHead | None] = []  # resolved once, at first use
        self._summarizer = Summarizer(
            backend,
            self.style,
            max_sentences=summary_sentences,
            max_attempts=max_attempts,
            seed=seed,
        )

    def __repr__(self) -> str:
        return f"Briefer(backend={self.backend!r}, style={self.style!r})"

    # -- the contract -------------------------------------------------------------------

    def quotes(self, text: str) -> list[Quote]:
        """Every quoted or reported statement in ``text`` with its speaker and exact span."""
        from newsbrief.quotes import find_quotes

        return find_quotes(check_article(text))

    def summarize(self, text: str) -> str:
        """A 1-3 sentence abstractive summary of ``text``.

        Raises:
            InputError: unusable text.
            RetryExhaustedError: every attempt at a part of the summary was rejected.
        """
        article = check_article(text)
        quotes = self.quotes(article)
        return self._summarizer.summarize(article, _voices(article, quotes)).text

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
        _check_target(target)
        quotes = self.quotes(article)
        return self._stances(article, quotes, target, [speaker], labels)[0].stance

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

        The article is checked and split once; the quotes feed both the summary (one
        sentence per main voice) and the stances (each speaker's evidence).

        Args:
            text: the article.
            title: its headline, kept in the brief.
            target: the issue to take stances on; inferred from the article when ``None``.
            summary: write the summary (``False`` leaves ``brief.summary`` empty).
            stances: score stances (``False`` leaves ``brief.stances`` empty and, without a
                ``target``, ``brief.issue`` empty too).
            labels: the stance label set, as for :meth:`stance` (checked before any model
                call).
        """
        from newsbrief import __version__
        from newsbrief.issue import infer_issue

        article = check_article(text)
        if title is not None and not isinstance(title, str):
            raise TypeError("title must be a string or None")
        labels = _check_labels(labels)
        quotes = self.quotes(article)
        prompts: list[PromptRecord] = []
        attempts: dict[str, int] = {}
        issue = ""
        if target is None and stances:
            answer = infer_issue(
                self.backend, self.style, article, max_attempts=self.max_attempts, seed=self.seed
            )
            issue = answer.value
            prompts.append(answer.prompt.record)
            attempts["issue"] = len(answer.attempts)
        elif target is not None:
            _check_target(target)
            issue = target.strip()
        found: list[Stance] = []
        # Every quoted speaker's stance in one scoring batch.
        speakers = _speakers(quotes) if stances else []
        for result in self._stances(article, quotes, issue, speakers, labels):
            found.append(result.stance)
            if result.prompt not in prompts:
                prompts.append(result.prompt)
        summary_text = ""
        notes: list[str] = []
        if summary:
            written = self._summarizer.summarize(article, _voices(article, quotes))
            summary_text = written.text
            prompts.extend(p for p in written.prompts if p not in prompts)
            attempts["summary"] = written.attempts
            notes.extend(written.notes)
        provenance = Provenance(
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
        return Brief(
            summary=summary_text,
            quotes=quotes,
            stances=found,
            issue=issue,
            title=title,
            provenance=provenance,
        )

    # -- steps --------------------------------------------------------------------------

    def _stances(
        self,
        article: str,
        quotes: list[Quote],
        target: str,
        speakers: Sequence[str | None],
        labels: Sequence[str],
    ) -> list[StanceResult]:
        from newsbrief.heads.stance import head_for
        from newsbrief.stance import score_stances, stance_requests

        if not self._stance_head:
            self._stance_head.append(head_for(self.backend, self._stance_head_choice))
        requests = stance_requests(article, quotes, speakers)
        return score_stances(
            self.backend,
            self.style,
            article=article,
            target=target,
            requests=requests,
            labels=labels,
            head=self._stance_head[0],
        )


def _check_labels(labels: object) -> tuple[str, ...]:
    if isinstance(labels, str) or not isinstance(labels, Sequence):
        raise TypeError("labels must be a sequence of strings, not one string")
    if not all(isinstance(x, str) for x in labels):
        raise TypeError("labels must be strings")
    found = tuple(labels)
    if len(found) < 2 or len(set(found)) != len(found) or any(not x.strip() for x in found):
        raise ValueError("labels must be at least two distinct non-empty strings")
    return found


def _check_target(target: object) -> None:
    if not isinstance(target, str) or not target.strip():
        raise ValueError("target must be a non-empty string")


def _speakers(quotes: Sequence[Quote]) -> list[str]:
    """Quoted speakers, most quoted first (ties: first quoted first)."""
    counts = Counter(q.speaker for q in quotes if q.speaker)
    first = {}
    for i, q in enumerate(quotes):
        if q.speaker and q.speaker not in first:
            first[q.speaker] = i
    return sorted(counts, key=lambda s: (-counts[s], first[s]))


def _voices(article: str, quotes: Sequence[Quote]) -> list[Voice]:
    from newsbrief.stance import pick_evidence
    from newsbrief.summarize import Voice

    return [
        Voice(
            speaker,
            tuple(
                pick_evidence(
                    [q for q in quotes if q.speaker == speaker],
                    limit=_VOICE_EVIDENCE,
                    own_words=True,
                )
            ),
            tuple(reporting_sentences(article, [q for q in quotes if q.speaker == speaker])),
        )
        for speaker in _speakers(quotes)
    ]


def _same_speaker(candidate: str | None, wanted: str) -> bool:
    """``wanted`` names ``candidate``: equal ignoring case, or a shorter variant of it."""
    if candidate is None:
        return False
    from newsbrief.quotes.clusters import is_variant

    a, b = candidate.casefold().strip(), wanted.casefold().strip()
    return a == b or is_variant(wanted, candidate)
