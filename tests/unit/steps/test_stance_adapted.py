"""The adapted stance head (format 2) on a tiny real Gemma 3: the split forward pass is
the model's own, the file is checked at load, and the trainer names bad data files."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

import pytest
import torch
from script_modules import load_script

from newsbrief import Briefer
from newsbrief.errors import ModelLoadError
from newsbrief.steps.heads import adapted
from newsbrief.steps.heads.stance import (
    FINGERPRINT_TEXT,
    LABELS,
    StanceHead,
    head_for,
    write_head,
)

ROOT = Path(__file__).resolve().parents[3]
SPLIT = 1
RANK = 2
ARTICLE = (
    "The council voted to ban plastic bags on Monday.\n\n"
    '"We back the ban on plastic bags fully," said Ann Lee, the mayor.\n\n'
    '"The ban on plastic bags will hurt shops," said Tom Reed, a grocer.'
)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from tiny_models import build_tiny_sliding

    from newsbrief.backends.loading import load_backend

    # A window of 4 tokens: the sliding layer's mask matters on every prompt here.
    return load_backend(str(build_tiny_sliding(tmp_path_factory.mktemp("g3"), window=4)))


def _tensors(backend: Any, seed: int = 0) -> dict[str, Any]:
    inner = adapted.decoder(backend.model)
    adapters = adapted.init_adapters(inner, SPLIT, RANK, seed)
    generator = torch.Generator().manual_seed(seed)
    tensors = {
        f"adapter.{k}": v + 0.1 * torch.randn(v.shape, generator=generator)
        for k, v in adapters.items()
    }
    width = inner.config.hidden_size
    tensors["label.weight"] = torch.randn(len(LABELS), width, generator=generator)
    tensors["label.bias"] = torch.zeros(len(LABELS))
    (state,) = adapted.lower_states(
        inner, [adapted.encode(backend.tokenizer, FINGERPRINT_TEXT)], SPLIT
    )
    tensors["fingerprint"] = state[-1]
    return tensors


def _card(backend: Any, **changes: Any) -> dict[str, Any]:
    card = {
        "model_id": backend.model_id,
        "split": SPLIT,
        "rank": RANK,
        "scale": 2.0,
        "temperature": 1.0,
        "threshold": 0.0,
        "labels": list(LABELS),
        "date": "2026-12-06",
    }
    card.update(changes)
    return card


def _write(path: Path, backend: Any, tensors: dict[str, Any] | None = None, **card: Any) -> Path:
    write_head(path, tensors or _tensors(backend), _card(backend, **card), fmt=adapted.FORMAT)
    return path


def test_split_forward_is_the_models_own(tiny: Any) -> None:
    inner = adapted.decoder(tiny.model)
    rows = [
        adapted.encode(tiny.tokenizer, "the ban on plastic bags will hurt shops said Tom"),
        adapted.encode(tiny.tokenizer, "we back the ban"),
    ]
    states = adapted.lower_states(inner, rows, SPLIT)
    x, last = adapted.stack_states(states)
    with torch.no_grad():
        top = adapted.run_layers(inner, x, SPLIT, len(inner.layers))
    for k, row in enumerate(rows):
        with torch.no_grad():
            hidden = tiny.model.model(
                input_ids=torch.tensor([row]), output_hidden_states=True, use_cache=False
            ).hidden_states
        assert torch.allclose(states[k], hidden[SPLIT][0], atol=1e-5)
        assert torch.allclose(inner.norm(top[k, : len(row)]), hidden[-1][0], atol=1e-5), (
            "the upper layers (padded batch, own masks) differ from the model's forward"
        )
        assert int(last[k]) == len(row) - 1


def test_zero_adapters_leave_the_model_as_it_is(tiny: Any) -> None:
    inner = adapted.decoder(tiny.model)
    states = adapted.lower_states(inner, [adapted.encode(tiny.tokenizer, "we back it")], SPLIT)
    x, _ = adapted.stack_states(states)
    zero = adapted.init_adapters(inner, SPLIT, RANK, 0)  # B is zero
    with torch.no_grad():
        plain = adapted.run_layers(inner, x, SPLIT, len(inner.layers))
        same = adapted.run_layers(inner, x, SPLIT, len(inner.layers), zero, 2.0)
        moved = adapted.run_layers(
            inner,
            x,
            SPLIT,
            len(inner.layers),
            {k: v + 0.5 for k, v in zero.items()},
            2.0,
        )
    assert torch.equal(plain, same)
    assert not torch.allclose(plain, moved)


def test_head_file_loads_checks_and_predicts(tiny: Any, tmp_path: Path) -> None:
    path = _write(tmp_path / "head.safetensors", tiny)
    head = head_for(tiny, path)
    assert isinstance(head, adapted.AdaptedStanceHead)
    (a, b) = head.predict(
        tiny,
        [
            ("Ann Lee", "the ban on plastic bags", ["We back the ban on plastic bags fully"]),
            ("Ann Lee", "scrapping the ban", ["We back the ban on plastic bags fully"]),
        ],
    )
    for prediction in (a, b):
        assert set(prediction.probabilities) == set(LABELS)
        assert sum(prediction.probabilities.values()) == pytest.approx(1.0, abs=1e-5)
    # The target is read with the evidence: another target, other probabilities.
    assert a.probabilities != b.probabilities
    stance = Briefer(backend=tiny, stance_head=path).stance(
        ARTICLE, "the ban on plastic bags", speaker="Ann Lee"
    )
    assert stance.label in LABELS and stance.scores.keys() == set(LABELS)


def test_authors_stance_on_an_unnamed_target_is_judged(tiny: Any, tmp_path: Path) -> None:
    path = _write(tmp_path / "head.safetensors", tiny)
    briefer = Briefer(backend=tiny, stance_head=path)
    tweet = "God is great and I pray every day"
    author = briefer.stance(tweet, "atheism")
    assert author.label in LABELS and author.confidence > 0
    # A named speaker on an issue the text never mentions is still not judged.
    other = briefer.stance(ARTICLE, "the Antarctic whaling treaty", speaker="Ann Lee")
    assert other.abstained


def _bad_files(backend: Any) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    good = _tensors(backend)
    wide = dict(good)
    key = next(k for k in good if k.endswith(".A"))
    wide[key] = torch.zeros(RANK, good[key].shape[1] + 3)
    nan = dict(good)
    nan["label.weight"] = good["label.weight"].clone()
    nan["label.weight"][0, 0] = float("nan")
    narrow_label = dict(good)
    narrow_label["label.weight"] = torch.zeros(len(LABELS), 5)
    missing = {k: v for k, v in good.items() if k != key}
    return {
        "wrong adapter width": (wide, {}),
        "wrong label width": (narrow_label, {}),
        "NaN weights": (nan, {}),
        "missing adapter": (missing, {}),
        "zero scale": (good, {"scale": 0.0}),
        "temperature 0": (good, {"temperature": 0}),
        "split layer 999": (good, {"split": 999}),
        "labels": (good, {"labels": ["yes", "no"]}),
    }


@pytest.mark.parametrize(
    "case",
    [
        "wrong adapter width",
        "wrong label width",
        "NaN weights",
        "missing adapter",
        "zero scale",
        "temperature 0",
        "split layer 999",
        "labels",
    ],
)
def test_bad_head_file_is_a_load_error_naming_it(tiny: Any, tmp_path: Path, case: str) -> None:
    tensors, card = _bad_files(tiny)[case]
    path = _write(tmp_path / "bad.safetensors", tiny, tensors, **card)
    with pytest.raises(ModelLoadError, match=r"bad\.safetensors") as caught:
        head_for(tiny, path)
    assert "\n" not in str(caught.value)
    with pytest.raises(ModelLoadError, match=r"bad\.safetensors"):
        Briefer(backend=tiny, stance_head=path).stance(ARTICLE, "the ban", speaker="Ann Lee")
    # brief() keeps its other parts and records the failure, the file named.
    brief = Briefer(backend=tiny, stance_head=path).brief(ARTICLE, target="the ban", summary=False)
    (failure,) = brief.failures
    assert failure.step == "stance" and failure.error == "ModelLoadError"
    assert "bad.safetensors" in failure.message and brief.quotes


def test_another_models_head_is_refused(tiny: Any, tmp_path: Path) -> None:
    tensors = _tensors(tiny)
    tensors["fingerprint"] = -tensors["fingerprint"]
    path = _write(tmp_path / "other.safetensors", tiny, tensors)
    with pytest.raises(ModelLoadError, match="differ from the head"):
        head_for(tiny, path)
    assert isinstance(StanceHead.load(path), adapted.AdaptedStanceHead)


def _trainer() -> Any:
    return load_script("train_stance_head")


def test_trainer_names_a_bad_training_file_with_its_line(tmp_path: Path) -> None:
    trainer = _trainer()
    bad = tmp_path / "extra.jsonl"
    good = {"id": "a", "text": "x", "stances": []}
    bad.write_text(json.dumps(good) + "\n\n{not json\n", encoding="utf-8")
    with pytest.raises(trainer.DataError, match=r"extra\.jsonl:3: not JSON"):
        trainer.load_news([bad])
    missing = tmp_path / "missing.jsonl"
    missing.write_text(json.dumps({"id": "a", "text": "x"}) + "\n", encoding="utf-8")
    with pytest.raises(trainer.DataError, match=r"missing\.jsonl:1: missing field"):
        trainer.load_news([missing])
    with pytest.raises(trainer.DataError, match="not found"):
        trainer.load_news([tmp_path / "nowhere.jsonl"])
    assert trainer.main(["--extra", str(bad), "--cache-only"]) == 2


def test_trainer_licences_list_no_non_commercial_source() -> None:
    trainer = _trainer()
    for source, licence in trainer.LICENCES.items():
        assert not re.search(r"\bBY-NC\b|\bNC\b|non-commercial", licence, re.I), source
    assert set(trainer.PER_LABEL) <= set(trainer.LICENCES)


def test_body_evidence_picks_the_sentences_about_the_target() -> None:
    trainer = _trainer()
    body = (
        "The weather was fine on Sunday. Officials said the potash sanctions would be "
        "lifted soon. A parade took place downtown. Sanctions on potash hurt farmers."
    )
    found = trainer.body_evidence("Potash sanctions lifted", body, items=2)
    assert found == (
        "Officials said the potash sanctions would be lifted soon.",
        "Sanctions on potash hurt farmers.",
    )


def test_folded_label_layer_reads_raw_states_as_the_standardised_one() -> None:
    trainer = _trainer()
    generator = torch.Generator().manual_seed(3)
    weight = torch.randn(4, 6, generator=generator)
    bias = torch.randn(4, generator=generator)
    center = torch.randn(6, generator=generator) * 50
    spread = torch.rand(6, generator=generator) + 0.1
    states = torch.randn(5, 6, generator=generator) * 20 + center
    folded_w, folded_b = trainer.folded_label_layer(weight, bias, center, spread)
    expected = ((states - center) / spread) @ weight.T + bias
    assert torch.allclose(states @ folded_w.T + folded_b, expected, atol=1e-3)


def test_negated_copies_flip_the_label_and_keep_the_evidence() -> None:
    trainer = _trainer()
    rows = [
        trainer.Example("news", "a1", "Ann Lee", "The new tax", ("We back it.",), label, "train")
        for label in ("supportive", "opposed", "cautious", "neutral")
    ]
    copies = trainer.negated_copies(rows, random.Random(0))
    assert [c.label for c in copies] == ["opposed", "supportive"]
    for copy in copies:
        assert copy.evidence == ("We back it.",) and copy.speaker == "Ann Lee"
        assert copy.target != "The new tax" and "the new tax" in copy.target
        assert copy.pair and copy.group == "a1"
    again = trainer.negated_copies(rows, random.Random(0))
    assert [c.target for c in again] == [c.target for c in copies]
