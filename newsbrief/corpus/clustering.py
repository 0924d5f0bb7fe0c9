"""Groups of keys: joined one pair at a time (:class:`KeyGroups`, a union-find) and scored
against gold groups (pairwise and B-cubed precision and recall)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence


class KeyGroups:
    """Union-find over keys whose representative is the group's smallest key, so the
    groups and their names never depend on the order of the unions."""

    def __init__(self, keys: Iterable[str]) -> None:
        self.parent = {k: k for k in keys}

    def find(self, key: str) -> str:
        """The smallest key of ``key``'s group."""
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: str, b: str) -> bool:
        """Join the groups of ``a`` and ``b``; whether they were apart."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        low, high = sorted((ra, rb))
        self.parent[high] = low
        return True


def single_link(keys: Sequence[str], linked: Callable[[str, str], bool]) -> dict[str, str]:
    """Each key's group (its smallest member) when ``linked`` pairs are joined."""
    groups = KeyGroups(keys)
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            if linked(a, b):
                groups.union(a, b)
    return {k: groups.find(k) for k in keys}


def pair_scores(
    predicted: Mapping[str, str], gold: Mapping[str, str]
) -> tuple[float, float, float]:
    """Precision, recall and F1 of the same-group decisions over all pairs of ``gold``'s
    keys (precision or recall 1.0 when there is no pair to get wrong)."""
    keys = sorted(gold)
    same_p = same_g = both = 0
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            p, g = predicted[a] == predicted[b], gold[a] == gold[b]
            same_p += p
            same_g += g
            both += p and g
    precision = both / same_p if same_p else 1.0
    recall = both / same_g if same_g else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def bcubed(predicted: Mapping[str, str], gold: Mapping[str, str]) -> tuple[float, float]:
    """B-cubed precision and recall of a clustering (``predicted``) against ``gold``."""
    by_pred: dict[str, set[str]] = defaultdict(set)
    by_gold: dict[str, set[str]] = defaultdict(set)
    for m in gold:
        by_pred[predicted[m]].add(m)
        by_gold[gold[m]].add(m)
    precision = recall = 0.0
    for m in gold:
        both = len(by_pred[predicted[m]] & by_gold[gold[m]])
        precision += both / len(by_pred[predicted[m]])
        recall += both / len(by_gold[gold[m]])
    return precision / len(gold), recall / len(gold)
