"""The trained stance head: loading (safetensors only, checked), predicting, abstaining."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from newsbrief import Briefer
from newsbrief.backends import ScriptedBackend
from newsbrief.errors import ModelLoadError
from newsbrief.steps.heads.stance import (
    FINGERPRINT_TEXT,
    LABELS,
    POLARITY,
    StanceHead,
    cue_features,
    head_for,
    head_input,
    undeny,
    write_head,
)
from newsbrief.steps.stance import StanceRequest, score_stances

MODEL = "scripted-head-model"
ARTICLE = (
    "The council voted to ban plastic bags on Monday.\n\n"
    '"We back the ban on plastic bags fully," said Ann Lee, the mayor.\n\n'
    '"The ban on plastic bags will hurt shops," said Tom Reed, a grocer.\n\n'
    "Critics of Lee were not at the vote."
)
TARGET = "the ban on plastic bags"


def _embed(prompt: str) -> list[float]:
    """A two-number "hidden state": +1 for backing words, -1 for hurting words."""
    if prompt == FINGERPRINT_TEXT:
        return [0.5, 0.5]
    lowered = prompt.lower()
    support = float("back" in lowered or "supports" in lowered)
    against = float("hurt" in lowered)
    return [support - against, 0.1]


def _head_file(
    path: Path,
    *,
    model_id: str = MODEL,
    threshold: float = 0.5,
    extra: dict[str, object] | None = None,
) -> Path:
    # Features: 2 state numbers + 4 cue numbers, unstandardised (mean 0, scale 1).
    polarity = torch.zeros(len(POLARITY), 6)
    polarity[0, 0], polarity[1, 0] = 4.0, -4.0  # supportive, opposed on the first number
    hedge = torch.zeros(1, 6)
    hedge[0, 0] = 0.0
    hedge[0, 2] = 8.0  # share of items with a hedging cue
    write_head(
        path,
        {
            "mean": torch.zeros(6),
            "scale": torch.ones(6),
            "polarity.weight": polarity,
            "polarity.bias": torch.zeros(len(POLARITY)),
            "hedge.weight": hedge,
            "hedge.bias": torch.tensor([-4.0]),
            "fingerprint": torch.tensor([0.5, 0.5]),
        },
        {
            "model_id": model_id,
            "layers": [-1],
            "threshold": threshold,
            "date": "2026-12-01",
            **(extra or {}),
        },
    )
    return path


@pytest.fixture
def head_path(tmp_path: Path) -> Path:
    return _head_file(tmp_path / "head.safetensors")


def _backend(model_id: str = MODEL) -> ScriptedBackend:
    return ScriptedBackend(embed_fn=_embed, model_id=model_id)


def test_head_gives_the_speakers_polarity_from_their_own_quotes(head_path: Path) -> None:
    briefer = Briefer(backend=_backend(), stance_head=head_path)
    ann = briefer.stance(ARTICLE, TARGET, speaker="Ann Lee")
    tom = briefer.stance(ARTICLE, TARGET, speaker="Tom Reed")
    assert (ann.label, tom.label) == ("supportive", "opposed")
    assert set(ann.scores) == set(LABELS)
    assert ann.confidence == pytest.approx(max(ann.scores.values()), abs=1e-5)
    assert ann.confidence > 0.9
    # The head, not zero-shot scoring, decided: no score call, embed calls only.
    assert {c.method for c in briefer.backend.calls} == {"embed"}  # type: ignore[attr-defined]


def test_no_evidence_or_unmentioned_target_abstains(head_path: Path) -> None:
    briefer = Briefer(backend=_backend(), stance_head=head_path)
    nobody = briefer.stance(ARTICLE, TARGET, speaker="Zelda Quist")
    assert nobody.abstained and nobody.label is None and nobody.confidence == 0.0
    elsewhere = briefer.stance(ARTICLE, "the Antarctic whaling treaty", speaker="Ann Lee")
    assert elsewhere.abstained


def test_low_confidence_abstains(tmp_path: Path) -> None:
    path = _head_file(tmp_path / "strict.safetensors", threshold=0.999)
    stance = Briefer(backend=_backend(), stance_head=path).stance(
        ARTICLE, TARGET, speaker="Ann Lee"
    )
    assert stance.abstained and stance.scores["supportive"] > 0.9


SHORT_STATEMENT = "We back the ban on plastic bags fully. #cleanseas"


def test_author_of_a_short_text_has_its_own_threshold(tmp_path: Path) -> None:
    # The news threshold (0.999) would refuse every answer; the author threshold (chosen on
    # tweets) lets the author of a short text be answered, and only that author.
    path = _head_file(tmp_path / "h.safetensors", threshold=0.999, extra={"author_threshold": 0.6})
    briefer = Briefer(backend=_backend(), stance_head=path)
    author = briefer.stance(SHORT_STATEMENT, TARGET)
    assert author.label == "supportive" and 0.6 <= author.confidence < 0.999
    # A named speaker keeps the news threshold; so does the author of a long text (its
    # evidence is sentences, not the text whole).
    assert briefer.stance(ARTICLE, TARGET, speaker="Ann Lee").abstained
    long_text = ARTICLE + "\n\n" + "We back the ban on plastic bags fully. " * 12
    assert briefer.stance(long_text, TARGET).abstained


def test_author_threshold_defaults_to_the_news_threshold(tmp_path: Path) -> None:
    path = _head_file(tmp_path / "h.safetensors", threshold=0.999)
    head = StanceHead.load(path)
    assert head.author_threshold == head.threshold == 0.999
    author = Briefer(backend=_backend(), stance_head=path).stance(SHORT_STATEMENT, TARGET)
    assert author.abstained and author.scores["supportive"] > 0.9


def test_author_threshold_does_not_lower_an_unsure_answer(tmp_path: Path) -> None:
    # An answer under the author threshold is still an abstention, not a guess.
    path = _head_file(tmp_path / "h.safetensors", threshold=0.2, extra={"author_threshold": 0.99})
    author = Briefer(backend=_backend(), stance_head=path).stance(SHORT_STATEMENT, TARGET)
    assert author.abstained and author.scores["supportive"] < 0.99


@pytest.mark.parametrize("bad", [1.5, -0.1, "0.5", True])
def test_bad_author_threshold_is_a_load_error(tmp_path: Path, bad: object) -> None:
    path = _head_file(tmp_path / "h.safetensors", extra={"author_threshold": bad})
    with pytest.raises(ModelLoadError, match="author_threshold"):
        StanceHead.load(path)


def test_author_bias_moves_only_the_short_texts_author(tmp_path: Path) -> None:
    extra = {"author_threshold": 0.3, "author_bias": {"supportive": -6.0}}
    path = _head_file(tmp_path / "h.safetensors", threshold=0.3, extra=extra)
    briefer = Briefer(backend=_backend(), stance_head=path)
    author = briefer.stance(SHORT_STATEMENT, TARGET)
    assert author.label != "supportive" and author.scores["supportive"] < 0.2
    ann = briefer.stance(ARTICLE, TARGET, speaker="Ann Lee")
    assert ann.label == "supportive" and ann.scores["supportive"] > 0.9


@pytest.mark.parametrize("bad", [{"favor": 1.0}, {"supportive": "1"}, [1.0], {"opposed": True}])
def test_bad_author_bias_is_a_load_error(tmp_path: Path, bad: object) -> None:
    path = _head_file(tmp_path / "h.safetensors", extra={"author_bias": bad})
    with pytest.raises(ModelLoadError, match="author_bias"):
        StanceHead.load(path)


def test_shipped_head_says_how_its_author_threshold_was_chosen() -> None:
    head = StanceHead.load()
    assert isinstance(head, StanceHead)
    assert "author_threshold" in head.card
    assert 0 < head.author_threshold < head.threshold
    assert set(head.author_bias) <= set(LABELS)
    chosen = head.card["author_threshold_chosen"]
    assert "SemEval-2016 train" in chosen and "stance_author_threshold.py" in chosen


def test_hedging_is_its_own_axis(head_path: Path) -> None:
    text = (
        "The council voted to ban plastic bags.\n\n"
        '"We must be careful: the ban on plastic bags should not come before shops are '
        'ready," said Ann Lee.'
    )
    stance = Briefer(backend=_backend(), stance_head=head_path).stance(
        text, TARGET, speaker="Ann Lee"
    )
    assert stance.label == "cautious"


def test_denied_attribution_is_not_read_as_support(head_path: Path) -> None:
    text = (
        "Officials met in Geneva on Monday to discuss the plastic bag ban.\n\n"
        "It was not true that Vladimir Putin supports the ban on plastic bags, "
        "officials said."
    )
    briefer = Briefer(backend=_backend(), stance_head=head_path)
    stance = briefer.stance(text, TARGET, speaker="Vladimir Putin")
    assert stance.label != "supportive"
    assert stance.scores["opposed"] > stance.scores["supportive"]
    assert stance.confidence <= 0.5


def test_undeny_strips_only_denial_frames() -> None:
    assert undeny("It was not true that Ann Lee backs the ban.") == "Ann Lee backs the ban."
    assert undeny("The minister denied that the cuts would go ahead.") == (
        "The cuts would go ahead."
    )
    assert undeny("Ann Lee does not back the ban.") is None
    assert undeny("It is true that Ann Lee backs the ban.") is None


def test_cue_features_count_hedges_and_negations() -> None:
    plain, hedged = cue_features(["We back it."]), cue_features(["Only if the shops agree."])
    assert plain[0] == 0.0 and hedged[0] == 1.0
    assert cue_features(["We will never accept it."])[1] == 1.0
    assert cue_features([]) == [0.0, 0.0, 0.0, 0.0]


def test_custom_subset_uses_the_head_restricted(head_path: Path) -> None:
    briefer = Briefer(backend=_backend(), stance_head=head_path)
    labels = ("supportive", "opposed", "neutral")
    stance = briefer.stance(ARTICLE, TARGET, speaker="Tom Reed", labels=labels)
    assert set(stance.scores) == set(labels)
    assert sum(stance.scores.values()) == pytest.approx(1.0, abs=1e-5)
    assert stance.label == "opposed"


def test_other_labels_go_zero_shot(head_path: Path) -> None:
    backend = ScriptedBackend(embed_fn=_embed, model_id=MODEL, score_fn=lambda p, o: -float(len(o)))
    stance = Briefer(backend=backend, stance_head=head_path).stance(
        ARTICLE, TARGET, speaker="Ann Lee", labels=("pro", "anti")
    )
    assert set(stance.scores) == {"pro", "anti"}
    assert any(c.method == "score" for c in backend.calls)


def test_brief_takes_labels(head_path: Path) -> None:
    backend = ScriptedBackend(embed_fn=_embed, model_id=MODEL, answers=[])
    brief = Briefer(backend=backend, stance_head=head_path).brief(
        ARTICLE, target=TARGET, summary=False, labels=("supportive", "opposed")
    )
    labels = {s.speaker: s.label for s in brief.stances}
    assert labels == {"Ann Lee": "supportive", "Tom Reed": "opposed"}
    assert all(set(s.scores) == {"supportive", "opposed"} for s in brief.stances)
    with pytest.raises(TypeError):
        Briefer(backend=backend).brief(ARTICLE, target=TARGET, labels="supportive")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Briefer(backend=backend).brief(ARTICLE, target=TARGET, labels=("a", "a"))


def test_missing_head_file_is_a_load_error(tmp_path: Path) -> None:
    with pytest.raises(ModelLoadError, match="not found"):
        head_for(_backend(), tmp_path / "nothing.safetensors")


def test_truncated_head_file_is_a_load_error(head_path: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.safetensors"
    data = head_path.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelLoadError, match="truncated"):
        head_for(_backend(), cut)
    garbage = tmp_path / "garbage.safetensors"
    garbage.write_bytes(b"\x00" * 64)
    with pytest.raises(ModelLoadError):
        StanceHead.load(garbage)


def test_head_for_another_model_is_refused(head_path: Path) -> None:
    with pytest.raises(ModelLoadError, match="belongs to"):
        head_for(_backend("another-model"), head_path)
    # Same id, other hidden states: the fingerprint catches it.
    impostor = ScriptedBackend(embed_fn=lambda p: [0.5, -0.5], model_id=MODEL)
    with pytest.raises(ModelLoadError, match="differ"):
        head_for(impostor, head_path)
    with pytest.raises(ModelLoadError):
        Briefer(backend=_backend("another-model"), stance_head=head_path).stance(
            ARTICLE, TARGET, speaker="Ann Lee"
        )


def test_other_backends_keep_zero_shot_by_default() -> None:
    backend = ScriptedBackend(score_fn=lambda p, o: -float(len(o)))
    assert head_for(backend) is None
    Briefer(backend=backend).stance(ARTICLE, TARGET, speaker="Ann Lee")
    assert [c.method for c in backend.calls] == ["score"]


def test_long_evidence_is_bounded() -> None:
    text = head_input("Ann Lee", TARGET, ["word " * 5000] * 20)
    assert len(text) < 3000


def test_head_with_bad_shapes_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.safetensors"
    write_head(
        path,
        {
            "mean": torch.zeros(6),
            "scale": torch.ones(5),
            "polarity.weight": torch.zeros(3, 6),
            "polarity.bias": torch.zeros(3),
            "hedge.weight": torch.zeros(1, 6),
            "hedge.bias": torch.zeros(1),
            "fingerprint": torch.zeros(2),
        },
        {"model_id": MODEL, "layers": [-1], "threshold": 0.5},
    )
    with pytest.raises(ModelLoadError, match="shapes"):
        StanceHead.load(path)


def test_head_with_a_scalar_mean_or_a_bad_pooling_is_refused(tmp_path: Path) -> None:
    good = _head_file(tmp_path / "good.safetensors")
    from safetensors.torch import load_file

    tensors = load_file(str(good))
    scalar = tmp_path / "scalar.safetensors"
    write_head(
        scalar,
        {**tensors, "mean": torch.tensor(0.0)},
        {"model_id": MODEL, "layers": [-1], "threshold": 0.5},
    )
    with pytest.raises(ModelLoadError, match="shapes"):
        StanceHead.load(scalar)
    pooled = tmp_path / "pooling.safetensors"
    card = {"model_id": MODEL, "layers": [-1], "threshold": 0.5, "pooling": "mean"}
    write_head(pooled, tensors, card)
    with pytest.raises(ModelLoadError, match="pooling"):
        StanceHead.load(pooled)


def test_zero_shot_abstains_without_evidence() -> None:
    backend = ScriptedBackend(score_fn=lambda p, o: -float(len(o)))
    (result,) = score_stances(
        backend,
        "base",
        article=ARTICLE,
        target=TARGET,
        requests=[StanceRequest("Zelda Quist", [])],
        labels=LABELS,
    )
    assert result.stance.abstained
