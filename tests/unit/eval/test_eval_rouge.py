"""Tests for ROUGE-1/2/L: hand-computed cases and a cross-check against rouge-score."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rouge_score import rouge_scorer

from newsbrief.eval.gold import load_gold
from newsbrief.eval.rouge import RougeScores, rouge_l, rouge_n, score_rouge
from newsbrief.eval.scoring import PRF

GOLD_DIR = Path(__file__).resolve().parents[3] / "evals" / "gold"
REFERENCE = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=False)
ZERO = PRF(0.0, 0.0, 0.0)


def assert_prf(actual: PRF, precision: float, recall: float, f1: float) -> None:
    assert actual.precision == pytest.approx(precision, abs=1e-12)
    assert actual.recall == pytest.approx(recall, abs=1e-12)
    assert actual.f1 == pytest.approx(f1, abs=1e-12)


def assert_same_as_rouge_score(prediction: str, references: list[str]) -> None:
    ours = score_rouge(prediction, references)
    theirs = REFERENCE.score_multi(references, prediction)
    for name, score in (("rouge1", ours.rouge1), ("rouge2", ours.rouge2), ("rougeL", ours.rouge_l)):
        expected = theirs[name]
        assert score.precision == pytest.approx(expected.precision, abs=1e-9), name
        assert score.recall == pytest.approx(expected.recall, abs=1e-9), name
        assert score.f1 == pytest.approx(expected.fmeasure, abs=1e-9), name


def test_prediction_longer_than_reference() -> None:
    # prediction "one two", reference "one": 1 of 2 predicted unigrams match, all of the
    # reference is found: P=1/2, R=1, F=2*(1/2)*1/(3/2)=2/3. No reference bigram: all 0.
    scores = score_rouge("one two", "one")
    assert_prf(scores.rouge1, 1 / 2, 1, 2 / 3)
    assert scores.rouge2 == ZERO
    assert_prf(scores.rouge_l, 1 / 2, 1, 2 / 3)


def test_prediction_shorter_than_reference() -> None:
    # prediction "one", reference "one two" (rouge-score's own example): P=1, R=1/2.
    scores = score_rouge("one", "one two")
    assert_prf(scores.rouge1, 1, 1 / 2, 2 / 3)
    assert_prf(scores.rouge_l, 1, 1 / 2, 2 / 3)


def test_one_word_changed() -> None:
    # the cat sat on the mat / the cat lay on the mat: 5 of 6 unigrams (the x2, cat, on,
    # mat); bigrams "the cat", "on the", "the mat" = 3 of 5; LCS "the cat on the mat" = 5.
    scores = score_rouge("the cat sat on the mat", "the cat lay on the mat")
    assert_prf(scores.rouge1, 5 / 6, 5 / 6, 5 / 6)
    assert_prf(scores.rouge2, 3 / 5, 3 / 5, 3 / 5)
    assert_prf(scores.rouge_l, 5 / 6, 5 / 6, 5 / 6)


def test_repeated_words_are_clipped() -> None:
    # "the" three times against one "the": only one match counts. P=1/3, R=1, F=1/2.
    assert_prf(rouge_n(["the", "the", "the"], ["the"], 1), 1 / 3, 1, 1 / 2)


def test_word_order_matters_for_rouge2_and_rouge_l_only() -> None:
    # "a b c d" against "d c b a": every unigram matches, no bigram, LCS is 1 token.
    assert_prf(rouge_n(list("abcd"), list("dcba"), 1), 1, 1, 1)
    assert rouge_n(list("abcd"), list("dcba"), 2) == ZERO
    assert_prf(rouge_l(list("abcd"), list("dcba")), 1 / 4, 1 / 4, 1 / 4)


@pytest.mark.parametrize(
    ("prediction", "reference"), [("", "one"), ("one", ""), ("", ""), ("?!", "..."), ("one", "—")]
)
def test_empty_or_punctuation_only_scores_zero(prediction: str, reference: str) -> None:
    assert score_rouge(prediction, reference) == RougeScores(ZERO, ZERO, ZERO)


def test_rouge_n_needs_positive_n() -> None:
    with pytest.raises(ValueError, match="n must be at least 1"):
        rouge_n(["a"], ["a"], 0)


def test_several_references_take_best_f1_per_type() -> None:
    # Against "d c b a": R1 F=1, R2 0, RL 1/4. Against "a b": R1 P=2/4 R=1 F=2/3,
    # R2 P=1/3 R=1 F=1/2, RL P=2/4 R=1 F=2/3. Each type keeps its own best reference.
    scores = score_rouge("a b c d", ["d c b a", "a b"])
    assert_prf(scores.rouge1, 1, 1, 1)
    assert_prf(scores.rouge2, 1 / 3, 1, 1 / 2)
    assert_prf(scores.rouge_l, 1 / 2, 1, 2 / 3)
    assert_same_as_rouge_score("a b c d", ["d c b a", "a b"])


def test_tied_references_keep_the_first() -> None:
    # "a b" against "a": P=1/2, R=1, F=2/3; against "a b c d": P=1, R=1/2, F=2/3. Tie.
    assert_prf(score_rouge("a b", ["a", "a b c d"]).rouge1, 1 / 2, 1, 2 / 3)
    assert_prf(score_rouge("a b", ["a b c d", "a"]).rouge1, 1, 1 / 2, 2 / 3)
    assert_same_as_rouge_score("a b", ["a", "a b c d"])


def test_no_references_is_an_error() -> None:
    with pytest.raises(ValueError, match="references is empty"):
        score_rouge("a", [])


def test_tokenizer_is_injectable() -> None:
    assert score_rouge("A b", "a b").rouge1.f1 == 1.0
    # str.split keeps case, so "A" no longer matches "a": P=R=F=1/2.
    assert_prf(score_rouge("A b", "a b", tokenizer=str.split).rouge1, 1 / 2, 1 / 2, 1 / 2)


@pytest.mark.parametrize(
    ("prediction", "reference"),
    [
        ("США сняли санкции с Беларуси", "США снимают санкции с Беларуси"),
        ("Η Βουλή ψήφισε τον νόμο", "Η Βουλή ενέκρινε τον νόμο"),
    ],
)
def test_non_english_text_scores_where_rouge_score_gives_zero(
    prediction: str, reference: str
) -> None:
    # 4 of 5 words are shared: R1 P=R=F=4/5.
    assert_prf(score_rouge(prediction, reference).rouge1, 4 / 5, 4 / 5, 4 / 5)
    assert REFERENCE.score(reference, prediction)["rouge1"].fmeasure == 0.0


@pytest.mark.parametrize(
    ("prediction", "references"),
    [
        ("The US lifted sanctions on Belarus.", ["US lifts sanctions on Belarusian potash"]),
        ("Pelosi was elected Speaker, 220-192.", ["Nancy Pelosi elected Speaker", "Pelosi won"]),
        ("one one two two", ["two one two one one"]),
        ("A-B c_d e.f", ["a b c d e f"]),
        ("x", ["y", "x", "x y"]),
    ],
)
def test_same_as_rouge_score_on_examples(prediction: str, references: list[str]) -> None:
    assert_same_as_rouge_score(prediction, references)


def _english_only(text: str) -> bool:
    return all(char.isascii() for char in text if char.isalnum())


def test_same_as_rouge_score_on_real_summaries() -> None:
    pairs = []
    for gold in load_gold(GOLD_DIR):
        pairs += [(summary, list(gold.summaries)) for summary in gold.reference_systems.values()]
        if gold.summaries:
            pairs.append((gold.text[:600], list(gold.summaries)))
    english = [(p, refs) for p, refs in pairs if _english_only(p + "".join(refs))]
    assert len(english) >= 80  # 44 LLM summaries, and most article leads
    for prediction, references in english:
        assert_same_as_rouge_score(prediction, references)


WORDS = st.sampled_from(["the", "a", "cat", "sat", "on", "mat", "US", "said", "it's", "9"])
PUNCT = st.sampled_from(["", "", "", ",", ".", "!", " -", "'s", '"'])
SENTENCE = st.lists(st.tuples(WORDS, PUNCT), max_size=25).map(
    lambda pairs: " ".join(word + punct for word, punct in pairs)
)


@settings(max_examples=300, deadline=None)
@given(SENTENCE, st.lists(SENTENCE, min_size=1, max_size=3))
def test_same_as_rouge_score_on_generated_sentences(prediction: str, references: list[str]) -> None:
    assert_same_as_rouge_score(prediction, references)


def test_non_latin_words_count_here_where_rouge_score_drops_them() -> None:
    # Why newsbrief keeps its own tokenizer (see the note in newsbrief/eval/rouge.py).
    reference = "Президент встретился с премьер-министром в Москве."
    prediction = "Премьер-министр встретился с президентом."
    assert REFERENCE.score(reference, prediction)["rouge1"].fmeasure == 0.0
    # Shared: премьер, встретился, с: 3 of 5 predicted tokens, 3 of 7 reference tokens.
    p, r = 3 / 5, 3 / 7
    assert score_rouge(prediction, reference).rouge1.f1 == pytest.approx(2 * p * r / (p + r))
