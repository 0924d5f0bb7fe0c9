"""The merge and issue-grouping scores, on numbers checkable by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsbrief.corpus.clustering import KeyGroups, bcubed, pair_scores, single_link
from newsbrief.corpus.merge_eval import read_gold, score
from newsbrief.corpus.speakers import Mention

GOLD = {"m1": "A", "m2": "A", "m3": "B"}


def test_bcubed_by_hand() -> None:
    # All in one cluster: precision per mention 2/3, 2/3, 1/3 -> 5/9; recall 1.
    assert bcubed({"m1": "x", "m2": "x", "m3": "x"}, GOLD) == pytest.approx((5 / 9, 1.0))
    # All apart: precision 1; recall 1/2, 1/2, 1 -> 2/3.
    assert bcubed({"m1": "a", "m2": "b", "m3": "c"}, GOLD) == pytest.approx((1.0, 2 / 3))


def test_pairwise_by_hand() -> None:
    # One cluster: 1 of its 3 pairs is right (P 1/3), the one gold pair found (R 1), F1 1/2.
    together = {"m1": "x", "m2": "x", "m3": "x"}
    assert pair_scores(together, GOLD) == pytest.approx((1 / 3, 1.0, 0.5))
    assert pair_scores({"m1": "a", "m2": "b", "m3": "c"}, GOLD) == (1.0, 0.0, 0.0)
    assert pair_scores({"m1": "x", "m2": "x", "m3": "y"}, GOLD) == (1.0, 1.0, 1.0)


def test_key_groups_are_named_by_their_smallest_key_whatever_the_order() -> None:
    for pairs in ([("c", "b"), ("b", "a")], [("b", "a"), ("c", "b")], [("a", "c"), ("c", "b")]):
        groups = KeyGroups("abcd")
        assert all(groups.union(x, y) for x, y in pairs)
        assert not groups.union("c", "a")  # already one group
        assert [groups.find(k) for k in "abcd"] == ["a", "a", "a", "d"]


def test_single_link_chains() -> None:
    groups = single_link(["a", "b", "c", "d"], lambda x, y: {x, y} in ({"a", "b"}, {"b", "c"}))
    assert groups == {"a": "a", "b": "a", "c": "a", "d": "d"}


def test_score_reads_the_gold_and_beats_exact_names(tmp_path: Path) -> None:
    gold = tmp_path / "gold.tsv"
    gold.write_text(
        "article_id\tquote_id\tspeaker\tentity\tsplit\tstratum\n"
        "a1\tq1\tJohn Coale\tJohn Coale\tdev\tconfusable\n"
        "a2\tq1\tCoale\tJohn Coale\tdev\tconfusable\n"
        "a3\tq1\tHindi\t-\tdev\tother\n",
        encoding="utf-8",
    )
    labelled = read_gold(gold)
    assert [g.id for g in labelled] == ["a1/q1", "a2/q1"]  # "-" names nobody: left out
    found = [Mention("a1/q1", "a1", "John Coale"), Mention("a2/q1", "a2", "Coale")]
    result = score(found, labelled)["dev"]
    assert (result["bcubed_p"], result["bcubed_r"]) == (1.0, 1.0)
    assert result["baseline_bcubed_r"] == 0.5
    with pytest.raises(ValueError, match="not in the corpus"):
        score(found[:1], labelled)
