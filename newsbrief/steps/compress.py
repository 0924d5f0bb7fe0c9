"""The compressing summary (few-shot base models, the embedded default): the article's own
sentences, each kept whole or shortened by deletion where the model finds it fluent.

Rules pick the sentences (the lead: what happened and who did it; then one sentence that
reports, by name, a main speaker the lead leaves out); :mod:`newsbrief.steps.shorten` lists
shorter versions of each made by deleting whole structures (appositions, parentheticals,
adjuncts, trailing and leading clauses); the model scores every version twice (mean
log-likelihood per token): for fluency, as the continuation of a "Headline / Sentence /
Shorter:" prompt, which filters out versions that read much worse than the whole sentence,
and, when there is a headline, for relevance, how likely the version makes the headline,
which ranks the rest. The summary keeps the versions that best fit a person's length
(:func:`length_target`), as weighed by :class:`CompressionWeights`. Nothing is written
freely, so a summary names only what its sentences name; each sentence records whether it
was kept whole or shortened and the article span it comes from. Without a model the same
pipeline keeps every sentence whole (the model-free baseline).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from newsbrief.backends.base import Backend
from newsbrief.errors import OutputError
from newsbrief.models import SourceSpan, SummarySentence
from newsbrief.steps.checks import (
    check_names_in_article,
    check_no_copied_lines,
    check_quotes_are_verbatim,
)
from newsbrief.steps.lead import lead_spans, prose_sentence_spans
from newsbrief.steps.prompts import PromptStyle, load_template
from newsbrief.steps.shorten import Candidate, candidates, words_in_order
from newsbrief.steps.summary_parts import (
    SummaryResult,
    Voice,
    check_summary_sentences,
    unnamed,
)
from newsbrief.text.document import Document, as_document

#: Share of the 3-sentence length target a shorter summary gets (one per count of
#: :data:`~newsbrief.steps.summary_parts.SUMMARY_SENTENCES`).
SENTENCE_SHARE = {1: 0.6, 2: 0.85, 3: 1.0}


@dataclass(frozen=True)
class CompressionWeights:
    """How a compressing summary weighs its choice; the defaults were tuned on the gold's
    dev half (``benchmarks/bench_summary.py --grid`` tries others on the same model scores).

    Attributes:
        length_share: the length target in words is this share of the article's words...
        length_floor: ...at least this many...
        length_cap: ...and at most this many. The gold's dev half has human summaries of
            46-83 words (Wikinews, 2-3 sentences) and 36-61 (GUM, one sentence); 60 words
            is within 25 % of both means.
        overrun: a summary may run this much past its target.
        fluency_margin: how far (nats per token) a version's fluency score may fall below
            the whole sentence's and still be chosen.
        relevance_weight: weight of a version's gain in relevance (how much more likely it
            makes the headline than the whole sentence does).
        length_weight: weight of the relative distance to the length target.
    """

    length_share: float = 0.3
    length_floor: int = 30
    length_cap: int = 60
    overrun: float = 1.1
    fluency_margin: float = 0.5
    relevance_weight: float = 10.0
    length_weight: float = 2.0


#: The shipped weights.
WEIGHTS = CompressionWeights()


def length_target(
    article_words: int, max_sentences: int = 3, weights: CompressionWeights = WEIGHTS
) -> int:
    """Words a summary of an article of ``article_words`` words aims at."""
    check_summary_sentences(max_sentences, name="max_sentences")
    share = weights.length_share * article_words
    base = min(weights.length_cap, max(weights.length_floor, share))
    return round(base * SENTENCE_SHARE[max_sentences])


@dataclass(frozen=True)
class PlannedSentence:
    """An article sentence chosen for the summary: its span and the spans it must keep."""

    start: int
    end: int
    protected: tuple[tuple[int, int], ...] = ()


class Compressor:
    """Compressing summaries with one backend (``None``: every sentence kept whole).

    Args:
        backend: the model that scores the versions, or ``None``.
        style: template style; the scoring templates exist for ``base`` only (another style
            keeps every sentence whole, as without a model).
        max_sentences: 1 to 3.
        weights: how the choice is weighed.
    """

    def __init__(
        self,
        backend: Backend | None,
        style: PromptStyle,
        *,
        max_sentences: int = 3,
        weights: CompressionWeights = WEIGHTS,
    ) -> None:
        self.backend = backend
        self.max_sentences = max_sentences
        self.weights = weights
        self.compress_template = load_template("compress", style) if style == "base" else None
        self.headline_template = load_template("headline", style) if style == "base" else None

    def compress(
        self,
        document: Document,
        planned: Sequence[PlannedSentence],
        captions: list[str],
        headline: str | None,
    ) -> SummaryResult:
        """The planned sentences, each whole or shortened, to the length target."""
        article = document.text
        result = SummaryResult(text="")
        pools: list[list[Candidate]] = []
        for sentence in planned:
            pool = []
            versions = candidates(
                article, sentence.start, sentence.end, protected=sentence.protected
            )
            if self.backend is None:
                versions = versions[:1]
            for version in versions:
                reason = faithfulness_problem(version, document, captions)
                if reason is None:
                    pool.append(version)
                else:
                    result.rejected[reason] = result.rejected.get(reason, 0) + 1
            if pool and not pool[0].shortened:
                pools.append(pool)
            else:
                result.notes.append(
                    f"summary: left out a sentence ({article[sentence.start : sentence.end][:60]!r}"
                    "...): the sentence itself failed a check"
                )
        if result.rejected:
            result.notes.append(rejection_note(result.rejected))
        if not pools:
            raise OutputError(
                "no sentence of the article passes the summary checks", raw_output=article[:200]
            )
        fluency, relevance = self._score(pools, headline, result)
        target = length_target(len(article.split()), self.max_sentences, self.weights)
        chosen = choose_versions(pools, fluency, target, relevance, self.weights)
        result.sentences = [
            SummarySentence(
                text=c.text,
                method="shortened" if c.shortened else "kept",
                sources=[SourceSpan(start=c.start, end=c.end)],
            )
            for c in chosen
        ]
        result.text = " ".join(c.text for c in chosen)
        return result

    def _score(
        self, pools: list[list[Candidate]], headline: str | None, result: SummaryResult
    ) -> tuple[list[list[float]], list[list[float]]]:
        """Two scores per version, each a mean log-likelihood per token (all 0.0 for a
        sentence without a shorter version: there is nothing to choose): fluency, the
        version as the continuation of the compress prompt, and relevance, the headline as
        the continuation of the version (what the headline says matters)."""
        fluency = [[0.0] * len(pool) for pool in pools]
        relevance = [[0.0] * len(pool) for pool in pools]
        asked = [i for i, pool in enumerate(pools) if len(pool) > 1]
        if not asked or self.backend is None or self.compress_template is None:
            return fluency, relevance
        template = self.compress_template
        prompts = [
            template.render(headline=headline or "", sentence=pools[i][0].text) for i in asked
        ]
        rows = self.backend.score(
            [p.text for p in prompts],
            [[" " + c.text for c in pools[i]] for i in asked],
            normalize=True,
        )
        for i, row in zip(asked, rows, strict=True):
            fluency[i] = [float(v) for v in row]
        records = [prompts[0].record]
        if headline and self.headline_template is not None:
            # Only versions fluent enough to be chosen (see choose_versions) are worth it.
            versions = [
                (i, j)
                for i in asked
                for j in range(len(pools[i]))
                if fluency[i][j] >= fluency[i][0] - self.weights.fluency_margin
            ]
            rendered = [
                self.headline_template.render(sentence=pools[i][j].text) for i, j in versions
            ]
            scored = self.backend.score(
                [p.text for p in rendered], [" " + headline], normalize=True
            )
            for (i, j), row in zip(versions, scored, strict=True):
                relevance[i][j] = float(row[0])
            records.append(rendered[0].record)
        result.candidates += sum(len(pools[i]) for i in asked)
        result.attempts += 1
        result.prompts.extend(r for r in records if r not in result.prompts)
        return fluency, relevance


def plan_sentences(
    article: str | Document, voices: Sequence[Voice], max_sentences: int = 3
) -> list[PlannedSentence]:
    """The article sentences a compressive summary is made of, in summary order: the lead
    (up to two sentences), then one sentence reporting each main voice the lead does not
    name (by name; its mention is protected from deletion), up to ``max_sentences``.

    The rules choose, not the model: on the gold's dev half (with titles), letting the
    embedded model choose the sentences by how likely each makes the headline (PMI) scored
    ROUGE-L 0.325-0.334 against 0.353 for this plan (the lead kept and the other two
    chosen: 0.330; only the second lead sentence chosen among the next two or four: 0.339,
    0.331).
    """
    document = as_document(article)
    spans = prose_sentence_spans(document)
    lead = lead_spans(document, min(2, max_sentences))
    mentions = [
        (r.mention_start, r.mention_end)
        for voice in voices
        for r in voice.sentences
        if r.mention_start is not None and r.mention_end is not None
    ]

    def inside(start: int, end: int) -> tuple[tuple[int, int], ...]:
        return tuple(m for m in mentions if start <= m[0] and m[1] <= end)

    planned = [PlannedSentence(a, b, inside(a, b)) for a, b in lead]
    written = " ".join(document.text[a:b] for a, b in lead)
    for voice in unnamed(voices, written):
        if len(planned) >= max_sentences:
            break
        for reporting in voice.sentences:
            if reporting.mention_start is None or reporting.mention_end is None:
                continue
            span = next((s for s in spans if s[0] <= reporting.mention_start < s[1]), None)
            if span is None or any(p.start < span[1] and span[0] < p.end for p in planned):
                continue
            if reporting.mention_end > span[1]:
                continue  # the name runs past the sentence: it does not say who
            planned.append(PlannedSentence(span[0], span[1], inside(*span)))
            break
    return planned


def choose_versions(
    pools: Sequence[Sequence[Candidate]],
    scores: Sequence[Sequence[float]],
    target: int,
    relevance: Sequence[Sequence[float]] | None = None,
    weights: CompressionWeights = WEIGHTS,
) -> list[Candidate]:
    """One version of the first sentence and of a prefix of the others, in order, that
    best trades relevance against the length target.

    A version scoring more than ``weights.fluency_margin`` below its whole sentence is out.
    Among the rest, the choice maximises the summed relevance gain (score minus the whole
    sentence's) times ``weights.relevance_weight`` minus ``weights.length_weight`` times the
    relative distance to ``target``, never running past ``target`` times
    ``weights.overrun`` unless the first sentence alone does (then its shortest version
    stands alone). A later sentence never replaces an earlier one that did not fit.
    """
    options: list[list[tuple[float, Candidate]]] = []
    relevance = relevance or [[0.0] * len(pool) for pool in pools]
    for pool, row, kept in zip(pools, scores, relevance, strict=True):
        options.append(
            [
                (weights.relevance_weight * (r - kept[0]), c)
                for v, r, c in zip(row, kept, pool, strict=True)
                if v >= row[0] - weights.fluency_margin
            ]
        )
    best: tuple[float, list[Candidate]] | None = None
    first, rest = options[0], options[1:]
    for head in first:
        for tail in itertools.product(*[[None, *o] for o in rest]):
            if any(a is None and b is not None for a, b in itertools.pairwise(tail)):
                continue
            picked = [head, *(t for t in tail if t is not None)]
            words = sum(c.words for _, c in picked)
            if words > target * weights.overrun:
                continue
            value = (
                sum(gain for gain, _ in picked)
                - weights.length_weight * abs(target - words) / target
            )
            if best is None or value > best[0]:
                best = (value, [c for _, c in picked])
    if best is None:
        return [min((c for _, c in first), key=lambda c: c.words)]
    return best[1]


def faithfulness_problem(version: Candidate, article: Document, captions: list[str]) -> str | None:
    """Why ``version`` may not stand in a summary (``None`` if it may): it must be the
    words of its one source sentence in order, name only what the article names, quote
    only what it prints, and copy no caption."""
    text = version.text
    if not words_in_order(text, article.text[version.start : version.end]):
        return "not the words of its sentence"
    try:
        check_names_in_article(text, article)
    except OutputError:
        return "names absent from the article"
    try:
        check_quotes_are_verbatim(text, article)
    except OutputError:
        return "quote not verbatim"
    try:
        check_no_copied_lines(text, captions, what="a photo caption or credit")
    except OutputError:
        return "copies a caption"
    return None


def rejection_note(rejected: dict[str, int]) -> str:
    """The provenance note that counts the versions the faithfulness checks refused, by
    reason, most frequent first (ties by name): ``"summary: the checks rejected 3
    versions (names absent from the article: 2, copies a caption: 1)"``."""
    reasons = sorted(rejected.items(), key=lambda item: (-item[1], item[0]))
    total = sum(rejected.values())
    counts = ", ".join(f"{reason}: {count}" for reason, count in reasons)
    return f"summary: the checks rejected {total} version{'s' * (total != 1)} ({counts})"
