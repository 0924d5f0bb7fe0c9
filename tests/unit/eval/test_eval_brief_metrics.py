"""Tests for the brief task's scores: issue F1 and equivalence, speaker matching."""

from __future__ import annotations

import pytest

from newsbrief.eval.brief_metrics import (
    EQUIVALENT_F1,
    content_words,
    issue_equivalent,
    issue_f1,
    match_speakers,
    same_person,
)


def test_content_words_drop_function_words_fold_accents_and_plurals() -> None:
    assert content_words("the lifting of US sanctions on Belarus") == [
        "lifting",
        "us",
        "sanction",
        "belaru",  # the plural rule cuts any final s of a long word, on both sides alike
    ]
    assert content_words("Erdoğan's plan") == ["erdogan", "plan"]


def test_issue_f1_by_hand() -> None:
    gold = "lifting US sanctions on Belarus"  # lifting, us, sanction, belaru
    # predicted: sanction, belarusian, potash -> shared: sanction (1 of 3, 1 of 4)
    p, r = 1 / 3, 1 / 4
    assert issue_f1("sanctions on Belarusian potash", gold) == pytest.approx(2 * p * r / (p + r))
    # predicted: us, sanction, against, belaru -> 3 of 4 each way
    assert issue_f1("US sanctions against Belarus", gold) == pytest.approx(0.75)
    assert issue_f1("sanctions on Belarus", gold) == pytest.approx(2 * 1 * 0.5 / 1.5)
    assert issue_f1("", gold) == 0.0
    assert issue_f1("the of", gold) == 0.0


def test_equivalence_rule_is_the_documented_threshold() -> None:
    gold = "another referendum on Brexit"  # another, referendum, brexit
    assert issue_equivalent("a second Brexit referendum", gold)  # 2/3 and 2/3: F1 0.67
    assert not issue_equivalent("the Brexit march in London", gold)  # 1/3 and 1/3: F1 0.33
    assert EQUIVALENT_F1 == 0.5


def test_same_person_uses_name_variants() -> None:
    assert same_person("Pelosi", "Nancy Pelosi")
    assert same_person("Nancy Pelosi", "Pelosi")  # either direction
    assert same_person("the Court of Session", "Court of Session")
    assert same_person("Recep Tayyip Erdoğan", "Erdogan")
    assert not same_person("Joe Biden", "Hunter Biden")
    assert not same_person("Pelosi", "Donald Trump")
    assert not same_person("", "Pelosi")


def test_same_person_reads_through_titles() -> None:
    assert same_person("Mr. Ledwick", "Arno Ledwick")
    assert same_person("Senator Mira Tolland", "Mira Tolland")
    assert same_person("President Tolland", "Ms Tolland")
    assert not same_person("Mr. Ledwick", "Ms. Tolland")
    assert not same_person("Senator Joe Ledwick", "Hal Ledwick")
    assert not same_person("Foreign Affairs", "Ruritanian Ministry of Foreign Affairs")


def test_match_speakers_one_to_one_exact_first() -> None:
    gold = ["Nancy Pelosi", "Donald Trump", "some Democrats"]
    found = ["Trump", "Pelosi", "Mitch McConnell", "Donald Trump"]
    match = match_speakers(gold, found)
    # Exact "Donald Trump" is paired before the variant "Trump" could take it.
    assert match.pairs == [(0, 1), (1, 3)]
    assert match.scores.precision == pytest.approx(2 / 4)
    assert match.scores.recall == pytest.approx(2 / 3)


def test_match_speakers_never_pairs_one_found_name_twice() -> None:
    match = match_speakers(["Joe Biden", "Biden"], ["Joe Biden"])
    assert match.pairs == [(0, 0)]
    assert match.scores.recall == 0.5
    empty = match_speakers([], ["A B"])
    assert empty.scores.precision == 0.0 and empty.scores.recall == 0.0
