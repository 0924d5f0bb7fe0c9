"""Issues grouped across articles: the inferred issues of articles on one story, one group.

Each article's issue (``Brief.issue``, a few of its words) and its headline become a
TF-IDF vector of their content words (lower-cased, accents stripped,
:data:`ISSUE_METRIC_STOPWORDS` left out; IDF over the corpus, so a word every article
shares counts for little). Two articles
whose cosine similarity reaches ``threshold`` are linked, and the groups are the connected
parts of that graph (single link), built in id order so they never depend on input order.
A group's label is its most central issue (highest summed similarity to the others; ties:
the most frequent, then the shortest). The threshold and its measured precision and
recall are in ``docs/CORPUS.md`` (``python -m newsbrief.corpus.issue_eval``).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from newsbrief.corpus.clustering import KeyGroups
from newsbrief.quotes.clusters import fold
from newsbrief.text.lexicon import ISSUE_METRIC_STOPWORDS

_WORD = re.compile(r"\w+")
#: Cosine similarity from which two issues are one story (chosen on the labelled dev pairs).
DEFAULT_THRESHOLD = 0.3


@dataclass(frozen=True)
class IssueGroup:
    """Articles whose issues are one story: an id, a readable label, the members."""

    id: str
    label: str
    article_ids: tuple[str, ...]
    issues: tuple[str, ...]


def issue_words(issue: str) -> list[str]:
    """The content words of an issue, folded (the stop words of the issue metric left out)."""
    return [w for w in (fold(m) for m in _WORD.findall(issue)) if w not in ISSUE_METRIC_STOPWORDS]


def issue_vectors(issues: Mapping[str, str]) -> dict[str, dict[str, float]]:
    """Unit-length TF-IDF vectors of the issues, by article id."""
    words = {key: Counter(issue_words(text)) for key, text in issues.items()}
    document_frequency: Counter[str] = Counter()
    for counts in words.values():
        document_frequency.update(counts.keys())
    total = len(words)
    vectors: dict[str, dict[str, float]] = {}
    for key, counts in words.items():
        vector = {
            w: n * (math.log((1 + total) / (1 + document_frequency[w])) + 1.0)
            for w, n in counts.items()
        }
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        vectors[key] = {w: v / norm for w, v in vector.items()}
    return vectors


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """The cosine of two unit-length sparse vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(w, 0.0) for w, v in a.items())


def group_issues(
    issues: Mapping[str, str],
    threshold: float = DEFAULT_THRESHOLD,
    context: Mapping[str, str | None] | None = None,
) -> list[IssueGroup]:
    """Group articles by issue (see the module docstring); empty issues are left out.

    Args:
        issues: article id -> its inferred issue.
        threshold: the cosine similarity from which two articles are one story.
        context: article id -> more words to compare by (the headline); labels stay issues.
    """
    kept = {k: v for k, v in sorted(issues.items()) if v and issue_words(v)}
    extra = context or {}
    texts = {k: f"{v} {extra.get(k) or ''}" for k, v in kept.items()}
    # Articles with the same text are one story at once: compare each text once.
    first_of: dict[str, str] = {}
    for key, text in texts.items():
        first_of.setdefault(text, key)
    vectors = issue_vectors(texts)
    keys = list(kept)
    together = KeyGroups(keys)
    for key, text in texts.items():
        together.union(key, first_of[text])
    unique = sorted(first_of.values())
    by_word: dict[str, list[str]] = {}
    for key in unique:
        for word in vectors[key]:
            by_word.setdefault(word, []).append(key)
    # A word in very many articles weighs little (its IDF is low): it proposes no pairs,
    # which keeps the comparisons near-linear in a large corpus (see docs/CORPUS.md).
    common = max(100, len(unique) // 100)
    similarity: dict[tuple[str, str], float] = {}
    for key in unique:
        rare = [w for w in vectors[key] if len(by_word[w]) <= common]
        for other in sorted({o for w in rare for o in by_word[w] if o > key}):
            score = cosine(vectors[key], vectors[other])
            similarity[(key, other)] = score
            if score >= threshold:
                together.union(key, other)
    members: dict[str, list[str]] = {}
    for key in keys:
        members.setdefault(together.find(key), []).append(key)
    # Centrality: the summed similarity of a text to the others of its group (one pass).
    central: dict[str, float] = defaultdict(float)
    for (a, b), score in similarity.items():
        if together.find(a) == together.find(b):
            central[a] += score
            central[b] += score
    groups = []
    for group in members.values():
        counts = Counter(kept[k] for k in group)
        best = max(
            group,
            key=lambda k: (
                central[first_of[texts[k]]],
                counts[kept[k]],
                -len(kept[k]),
                [-ord(c) for c in k],
            ),
        )
        label = kept[best]
        group_id = "ig-" + hashlib.sha256("\n".join(group).encode("utf-8")).hexdigest()[:10]
        groups.append(IssueGroup(group_id, label, tuple(group), tuple(kept[k] for k in group)))
    return sorted(groups, key=lambda g: (-len(g.article_ids), g.id))
