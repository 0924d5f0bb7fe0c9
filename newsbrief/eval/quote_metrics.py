"""Quote span precision/recall/F1 (exact and overlap matching) and speaker accuracy."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from newsbrief.eval.scoring import PRF


class AttributedSpan(Protocol):
    """A character span with a speaker: ``GoldQuote`` and ``newsbrief.Quote`` both fit."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...

    @property
    def speaker(self) -> str | None: ...


@dataclass(frozen=True)
class FoundQuote:
    """A direct quote a baseline or a peer system found: its span and speaker (an
    :class:`AttributedSpan`, scored as newsbrief's quotes are)."""

    text: str
    start: int
    end: int
    speaker: str | None
    kind: str = "direct"


@dataclass(frozen=True)
class QuoteCounts:
    """Match counts for one article or, summed with ``+``, for many (micro-averaging)."""

    n_gold: int = 0
    n_predicted: int = 0
    exact: int = 0
    """Pairs with the same start and end."""
    overlap: int = 0
    """Pairs sharing at least one character (one-to-one, see ``match_by_overlap``)."""
    speaker_correct: int = 0
    """Overlap-matched pairs whose speakers agree (see ``same_speaker``)."""
    fragments: int = 0
    """Unmatched predicted quotes lying wholly inside a matched gold quote's span (see
    ``count_fragments``): parts of a statement found, counted neither right nor wrong."""

    def __add__(self, other: QuoteCounts) -> QuoteCounts:
        return QuoteCounts(
            self.n_gold + other.n_gold,
            self.n_predicted + other.n_predicted,
            self.exact + other.exact,
            self.overlap + other.overlap,
            self.speaker_correct + other.speaker_correct,
            self.fragments + other.fragments,
        )

    @property
    def n_scored(self) -> int:
        """Predicted quotes that count for precision: all but the fragments."""
        return self.n_predicted - self.fragments


@dataclass(frozen=True)
class QuoteScores:
    """Quote scores from summed counts."""

    exact: PRF
    overlap: PRF
    speaker_accuracy: float | None
    """Share of overlap-matched pairs with the right speaker; ``None`` with no pair."""
    counts: QuoteCounts

    @classmethod
    def from_counts(cls, counts: QuoteCounts) -> QuoteScores:
        """Micro-averaged scores: ratios of the summed counts (precision over the predicted
        quotes that are not fragments of a matched gold quote)."""
        return cls(
            exact=PRF.from_counts(counts.exact, counts.n_scored, counts.n_gold),
            overlap=PRF.from_counts(counts.overlap, counts.n_scored, counts.n_gold),
            speaker_accuracy=(counts.speaker_correct / counts.overlap if counts.overlap else None),
            counts=counts,
        )


def match_exact(
    gold: Sequence[AttributedSpan], predicted: Sequence[AttributedSpan]
) -> list[tuple[int, int]]:
    """Pair gold and predicted quotes with identical spans, one-to-one.

    Returns:
        ``(gold index, predicted index)`` pairs; a repeated predicted span matches once.
    """
    unused: dict[tuple[int, int], list[int]] = {}
    for j, quote in enumerate(predicted):
        unused.setdefault((quote.start, quote.end), []).append(j)
    pairs = []
    for i, quote in enumerate(gold):
        candidates = unused.get((quote.start, quote.end))
        if candidates:
            pairs.append((i, candidates.pop(0)))
    return pairs


def match_by_overlap(
    gold: Sequence[AttributedSpan], predicted: Sequence[AttributedSpan]
) -> list[tuple[int, int]]:
    """Pair gold and predicted quotes one-to-one by character overlap, greedily.

    Pairs sharing at least one character are taken largest overlap first (ties: lower
    gold index, then lower predicted index); a pair is skipped when either side is
    already matched. Greedy does not always find the most pairs possible, but it is
    simple and deterministic.

    Returns:
        ``(gold index, predicted index)`` pairs in the order they were taken.
    """
    candidates = []
    for i, g in enumerate(gold):
        for j, p in enumerate(predicted):
            shared = min(g.end, p.end) - max(g.start, p.start)
            if shared > 0:
                candidates.append((-shared, i, j))
    candidates.sort()
    used_gold: set[int] = set()
    used_predicted: set[int] = set()
    pairs = []
    for _, i, j in candidates:
        if i not in used_gold and j not in used_predicted:
            used_gold.add(i)
            used_predicted.add(j)
            pairs.append((i, j))
    return pairs


def same_speaker(gold: str | None, predicted: str | None) -> bool:
    """Whether two canonical speaker names agree.

    Names are compared case-insensitively with runs of whitespace made one space; a
    ``None`` gold speaker (no source given) matches only ``None``.
    """
    if gold is None or predicted is None:
        return gold is None and predicted is None
    return _normalise_name(gold) == _normalise_name(predicted)


def count_fragments(
    gold: Sequence[AttributedSpan],
    predicted: Sequence[AttributedSpan],
    pairs: Sequence[tuple[int, int]],
) -> int:
    """How many unmatched predicted quotes are other pieces of a matched gold quote.

    A gold quote may be one statement written in pieces: PolNeAR's content of '"We will
    win," she said. "They know it."' is two spans, read as one quote from the first
    span's start to the last one's end; a quote finder that gives each quoted piece as a
    quote finds both pieces of that one statement. The piece matched (``pairs``) is the
    match; another piece, an unmatched predicted quote lying wholly inside the matched
    gold quote and sharing no character with its match or with another piece counted, is
    a fragment of a statement found, not a statement that is not there: precision leaves
    it out (it never counts as a match either). A repeated prediction overlaps its
    match, so it stays a false positive.
    """
    matched_predicted = {j for _, j in pairs}
    taken: dict[int, list[tuple[int, int]]] = {
        i: [(predicted[j].start, predicted[j].end)] for i, j in pairs
    }
    fragments = 0
    for j, quote in enumerate(predicted):
        if j in matched_predicted:
            continue
        for i, spans in taken.items():
            inside = gold[i].start <= quote.start and quote.end <= gold[i].end
            if inside and all(quote.end <= a or b <= quote.start for a, b in spans):
                spans.append((quote.start, quote.end))
                fragments += 1
                break
    return fragments


def annotated_kinds_only(gold: Sequence[AttributedSpan], predicted: Sequence[Any]) -> list[Any]:
    """The predicted quotes a gold written by the project's guidelines can score: all but
    the statements of kind ``"reported"`` that overlap no gold quote.

    The guidelines (``evals/README.md``) annotate quotes and reported clauses ("X said
    (that) ...", "according to X, ..."), not a verb of saying with its object ("X denied
    the allegations", "X announced plans to ..."): the gold is silent on those, so one
    that overlaps no gold quote is neither right nor wrong (as a fragment is); one that
    overlaps a gold quote is scored as any prediction. PolNeAR annotates them: its scores
    count every prediction.
    """
    return [
        q
        for q in predicted
        if getattr(q, "kind", None) != "reported"
        or any(min(g.end, q.end) > max(g.start, q.start) for g in gold)
    ]


def count_quote_matches(
    gold: Sequence[AttributedSpan], predicted: Sequence[AttributedSpan]
) -> QuoteCounts:
    """Match counts for one article's gold and predicted quotes."""
    overlap_pairs = match_by_overlap(gold, predicted)
    return QuoteCounts(
        n_gold=len(gold),
        n_predicted=len(predicted),
        exact=len(match_exact(gold, predicted)),
        overlap=len(overlap_pairs),
        speaker_correct=sum(
            same_speaker(gold[i].speaker, predicted[j].speaker) for i, j in overlap_pairs
        ),
        fragments=count_fragments(gold, predicted, overlap_pairs),
    )


def score_quotes(
    articles: Iterable[tuple[Sequence[AttributedSpan], Sequence[AttributedSpan]]],
) -> QuoteScores:
    """Micro-averaged quote scores over articles.

    Args:
        articles: ``(gold quotes, predicted quotes)`` per article. Spans of different
            articles are never matched with each other.

    Returns:
        Exact and overlap P/R/F1 and speaker accuracy over all quotes of all articles.
    """
    total = QuoteCounts()
    for gold, predicted in articles:
        total += count_quote_matches(gold, predicted)
    return QuoteScores.from_counts(total)


def _normalise_name(name: str) -> str:
    return " ".join(name.split()).casefold()
