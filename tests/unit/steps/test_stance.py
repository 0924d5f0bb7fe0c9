"""Stance by scoring: calibration against the content-free prior, custom labels, confidence."""

from __future__ import annotations

import math

import pytest

from newsbrief.backends import ScriptedBackend
from newsbrief.models import Quote
from newsbrief.steps.stance import (
    CONTENT_FREE,
    MAX_EVIDENCE,
    StanceRequest,
    pick_evidence,
    score_stance,
    score_stances,
    stance_option,
)

ARTICLE = "The council voted to ban plastic bags. Tom Reed said prices would rise."
TARGET = "the plastic bag ban"


def _biased(prompt: str, option: str) -> float:
    """A model that loves "supports" everywhere, a little less after real evidence."""
    base = {"supports": -1.0, "opposes": -6.0, "is cautious": -6.0, "is neutral": -6.0}
    if "prices" not in prompt:  # both content-free prompts
        return next(v for k, v in base.items() if option.startswith(" " + k))
    real = {"supports": -1.5, "opposes": -4.0, "is cautious": -6.5, "is neutral": -6.5}
    return next(v for k, v in real.items() if option.startswith(" " + k))


def test_calibration_removes_a_label_bias() -> None:
    backend = ScriptedBackend(score_fn=_biased)
    result = score_stance(
        backend,
        "base",
        article=ARTICLE,
        target=TARGET,
        speaker="Tom Reed",
        evidence=["prices would rise"],
        evidence_ids=[3],
        labels=("supportive", "opposed", "cautious", "neutral"),
    )
    stance = result.stance
    # Raw scores favour "supportive"; against the prior, "opposed" gained the most.
    assert stance.label == "opposed"
    assert math.isclose(sum(stance.scores.values()), 1.0, abs_tol=1e-5)
    assert stance.confidence == pytest.approx(stance.scores["opposed"], abs=1e-6)
    assert stance.evidence == [3]
    assert result.prompt.id == "stance.base@v1"
    (call,) = backend.calls
    real, blank, empty = call.prompts
    assert "prices would rise" in real and CONTENT_FREE in blank and "prices" not in blank
    assert "prices" not in empty and CONTENT_FREE not in empty
    assert call.options[0] == (
        " supports the plastic bag ban.",
        " opposes the plastic bag ban.",
        " is cautious about the plastic bag ban.",
        " is neutral about the plastic bag ban.",
    )


def test_label_is_always_one_of_the_custom_labels() -> None:
    backend = ScriptedBackend(score_fn=lambda p, o: -float(len(o)))
    labels = ("pro", "anti", "unclear")
    stance = score_stance(
        backend,
        "base",
        article=ARTICLE,
        target=TARGET,
        speaker="Tom Reed",
        evidence=["prices would rise"],
        labels=labels,
    ).stance
    assert stance.label in labels and set(stance.scores) == set(labels)
    assert backend.calls[0].options[0][0] == " is pro about the plastic bag ban."


def test_target_never_in_the_article_gets_low_confidence() -> None:
    backend = ScriptedBackend(score_fn=_biased)
    stance = score_stance(
        backend,
        "base",
        article=ARTICLE,
        target="whaling quotas in Norway",
        speaker="Tom Reed",
        evidence=["prices would rise"],
        labels=("supportive", "opposed", "cautious", "neutral"),
    ).stance
    assert stance.confidence == 0.0
    assert max(stance.scores.values()) > 0.5  # the scores are still reported


def test_no_evidence_gives_zero_confidence() -> None:
    backend = ScriptedBackend(score_fn=_biased)
    stance = score_stance(
        backend,
        "base",
        article=ARTICLE,
        target=TARGET,
        speaker="Nobody Quoted",
        evidence=[],
        labels=("supportive", "opposed"),
    ).stance
    assert stance.confidence == 0.0


def test_bad_label_sets_are_rejected() -> None:
    backend = ScriptedBackend(score_fn=_biased)
    for labels in [("only",), ("a", "a"), ("a", " ")]:
        with pytest.raises(ValueError):
            score_stance(
                backend,
                "base",
                article=ARTICLE,
                target=TARGET,
                speaker=None,
                evidence=["x"],
                labels=labels,
            )


def _quote(text: str, kind: str = "direct") -> Quote:
    return Quote(text=text, start=0, end=len(text), kind=kind)  # type: ignore[arg-type]


def test_evidence_is_own_words_first_then_longest_deduplicated_and_trimmed() -> None:
    quotes = [
        _quote("a long reported statement of what was said", "indirect"),
        _quote("short"),
        _quote("a much longer quote here"),
        _quote("short"),
        _quote("x" * 1000, "mixed"),
    ] + [_quote(f"q{i}", "indirect") for i in range(9)]
    picked = pick_evidence(quotes)
    assert len(picked) == MAX_EVIDENCE
    assert picked[:2] == ["a much longer quote here", "short"]  # direct first
    assert picked[2].endswith("...") and len(picked[2]) < 500  # then mixed, trimmed
    assert picked[3] == "a long reported statement of what was said"
    assert picked.count("short") == 1


def test_options_per_style() -> None:
    assert stance_option("supportive", "the ban", "Tom Reed", "base") == " supports the ban."
    assert stance_option("opposed", "the ban", "Tom Reed", "t5") == "Tom Reed opposes the ban."
    assert stance_option("Sceptical", "the ban", "Tom Reed", "instruct") == (
        "Tom Reed is Sceptical about the ban."
    )


def test_own_words_keep_only_the_best_kind_the_speaker_has() -> None:
    quotes = [_quote("a long reported statement", "indirect"), _quote("our goal", "mixed")]
    assert pick_evidence(quotes, own_words=True) == ["our goal"]
    with_direct = [*quotes, _quote("We will lift them.")]
    assert pick_evidence(with_direct, own_words=True) == ["We will lift them."]
    only_reported = [_quote("a long reported statement", "indirect")]
    assert pick_evidence(only_reported, own_words=True) == ["a long reported statement"]
    assert pick_evidence(quotes, limit=1) == ["our goal"]


def _by_speaker(prompt: str, option: str) -> float:
    """Each speaker's evidence favours another label; content-free prompts favour none."""
    favourite = {"prices": " opposes", "jobs": " supports", "wait": " is cautious"}
    for word, verb in favourite.items():
        if word in prompt:
            return -1.0 if option.startswith(verb) else -3.0
    return -2.0 - 0.1 * len(option)


def test_several_speakers_score_in_one_call_as_each_alone() -> None:
    requests = [
        StanceRequest("Tom Reed", ["prices would rise"], [0]),
        StanceRequest("Ann Lee", ["it brings jobs"], [1]),
        StanceRequest(None, ["We should wait and see."]),
        StanceRequest("Bo Kim", []),
    ]
    labels = ("supportive", "opposed", "cautious", "neutral")
    batched_backend = ScriptedBackend(score_fn=_by_speaker)
    batched = score_stances(
        batched_backend, "base", article=ARTICLE, target=TARGET, requests=requests, labels=labels
    )
    assert len(batched_backend.calls) == 1 and len(batched_backend.calls[0].prompts) == 12
    alone = [
        score_stance(
            ScriptedBackend(score_fn=_by_speaker),
            "base",
            article=ARTICLE,
            target=TARGET,
            speaker=r.speaker,
            evidence=r.evidence,
            evidence_ids=r.evidence_ids,
            labels=labels,
        )
        for r in requests
    ]
    assert [r.stance for r in batched] == [r.stance for r in alone]
    assert [r.stance.label for r in batched][:3] == ["opposed", "supportive", "cautious"]
    assert batched[3].stance.confidence == 0.0  # no evidence
    assert (
        score_stances(
            batched_backend, "base", article=ARTICLE, target=TARGET, requests=[], labels=labels
        )
        == []
    )


def test_position_takers_are_reported_subjects_of_position_verbs() -> None:
    from newsbrief.quotes import find_quotes
    from newsbrief.steps.stance import position_takers, stance_speakers

    text = (
        "The city council approved the new tram line on Tuesday.\n\n"
        "Maria Gonzalez, the head of the transport union, condemned the plan as too costly.\n\n"
        "Governor Paul Brandt has repeatedly urged a second vote. The Harbour Authority "
        "welcomed the decision, and the Transport Ministry backed it.\n\n"
        '"It is a good day for the city," said Tom Okafor, the mayor.\n\n'
        "Later, Okafor defended the budget. Gonzalez's union refused to comment."
    )
    quotes = find_quotes(text)
    found = position_takers(text, quotes)
    assert found == ["Maria Gonzalez", "Paul Brandt", "Harbour Authority", "Transport Ministry"]
    # Quoted speakers come first; a variant of a quoted speaker is that speaker.
    assert stance_speakers(text, quotes) == ["Tom Okafor", *found]
