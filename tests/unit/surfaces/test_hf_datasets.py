"""Briefing a datasets.Dataset column in batches into flat columns."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
from typing import Any

import pytest

from newsbrief.backends import ScriptedBackend
from newsbrief.briefer import Briefer
from newsbrief.errors import InputError
from newsbrief.models import Brief
from newsbrief.options import BriefOptions
from newsbrief.surfaces.hf_datasets import (
    BRIEF_COLUMNS,
    brief_batch_fn,
    brief_hf_dataset,
    brief_to_columns,
)
from tests.unit.surfaces.test_cli import ARTICLE, echo_sentence, scripted_briefer

datasets = pytest.importorskip("datasets")

NO_QUOTES = "The council met on Tuesday and voted on the new bridge plan for the town."


def make_dataset() -> Any:
    return datasets.Dataset.from_dict(
        {
            "id": ["plain", "quoted", "empty"],
            "body": [NO_QUOTES, ARTICLE, "   "],
            "headline": ["Council meets", "Bridge", "Nothing"],
        }
    )


def test_brief_dataset_adds_flat_columns() -> None:
    briefer = scripted_briefer()
    out = brief_hf_dataset(
        make_dataset(),
        briefer,
        BriefOptions(target="the new bridge plan"),
        text_column="body",
        title_column="headline",
        batch_size=1,  # the first batch has no quotes: column types must still be right
    )
    assert out.column_names == ["id", "body", "headline", *BRIEF_COLUMNS]
    assert out.features["quote_starts"].feature.dtype == "int64"
    assert out.features["stance_confidences"].feature.dtype == "float64"
    plain, quoted, empty = out
    assert plain["quote_texts"] == [] and plain["brief_error"] is None
    assert plain["summary"].startswith("The council met on Tuesday and voted on the new bridge")
    expected = briefer.brief(ARTICLE, "Bridge", "the new bridge plan")
    assert quoted["quote_texts"] == [q.text for q in expected.quotes]
    assert quoted["quote_speakers"] == ["Ann Lopez", "Ann Lopez", "Tom Reed"]
    assert [
        ARTICLE[s:e] for s, e in zip(quoted["quote_starts"], quoted["quote_ends"], strict=True)
    ] == (quoted["quote_texts"])
    assert quoted["stance_speakers"] == ["Ann Lopez", "Tom Reed"]
    assert quoted["stance_labels"] == ["supportive", "opposed"]
    assert quoted["stance_confidences"] == [s.confidence for s in expected.stances]
    assert quoted["issue"] == "the new bridge plan"
    assert Brief.model_validate_json(quoted["brief_json"]).title == "Bridge"
    assert empty["brief_error"] == "InputError: text is empty or whitespace only"
    assert (empty["summary"], empty["quote_texts"], empty["brief_json"]) == ("", [], "")


def test_switches_reach_the_briefer() -> None:
    out = brief_hf_dataset(
        make_dataset().select([1]),
        scripted_briefer(),
        BriefOptions(summary=False, stances=False),
        text_column="body",
    )
    (row,) = out
    assert (row["summary"], row["issue"], row["stance_labels"]) == ("", "", [])
    assert len(row["quote_texts"]) == 3


def test_on_error_raise_stops_at_the_bad_article() -> None:
    from newsbrief.errors import InputError

    with pytest.raises(InputError, match="empty"):
        brief_hf_dataset(
            make_dataset(),
            scripted_briefer(),
            BriefOptions(summary=False, stances=False),
            text_column="body",
            on_error="raise",
        )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"text_column": "text"}, "no column 'text'"),
        ({"text_column": "body", "title_column": "title"}, "no column 'title'"),
        ({"text_column": "body", "on_error": "ignore"}, "on_error must be"),
    ],
)
def test_bad_arguments(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        brief_hf_dataset(make_dataset(), scripted_briefer(), **kwargs)


def test_existing_brief_columns_are_not_overwritten() -> None:
    data = make_dataset().add_column("summary", ["a", "b", "c"])
    with pytest.raises(ValueError, match=r"already has brief columns \['summary'\]"):
        brief_hf_dataset(data, scripted_briefer(), text_column="body")


def test_batch_fn_works_with_a_plain_dict_batch() -> None:
    options = BriefOptions(summary=False, stances=False)
    fn = brief_batch_fn(scripted_briefer(), options, text_column="body")
    columns = fn({"body": [ARTICLE, NO_QUOTES]})
    assert set(columns) == set(BRIEF_COLUMNS)
    assert [len(x) for x in columns["quote_texts"]] == [3, 0]
    with pytest.raises(KeyError, match="no column 'body'"):
        fn({"text": [ARTICLE]})


def test_failed_row_has_empty_values() -> None:
    row = brief_to_columns(None, "InputError: bad")
    assert row["brief_error"] == "InputError: bad"
    assert row["quote_starts"] == [] and row["summary"] == ""


# -- the map cache (issue 15: stale briefs from a cache key that left settings out) ---


def _label_briefer(label: str, **settings: Any) -> Briefer:
    """A Briefer whose model gives ``label`` to every stance."""
    verb = {"supportive": "supports", "opposed": "opposes"}[label]

    def score(prompt: str, option: str) -> float:
        if "need this bridge" in prompt or "too much money" in prompt:  # the speakers' words
            return 0.0 if option.strip().startswith(verb) else -3.0
        return -1.0  # a content-free prompt: no preference

    backend = ScriptedBackend(by_prompt={}, score_fn=score, answer_fn=echo_sentence)
    return Briefer(backend=backend, **settings)


def _cached_dataset(tmp_path: Path) -> Any:
    """A dataset backed by cache files, so ``map`` results are cached on disk."""
    source = tmp_path / "articles.jsonl"
    source.write_text(json.dumps({"id": "a", "body": ARTICLE}) + "\n", encoding="utf-8")
    return datasets.load_dataset(
        "json", data_files=str(source), split="train", cache_dir=str(tmp_path / "cache")
    )


def test_two_backends_with_different_answers_get_their_own_results(tmp_path: Path) -> None:
    dataset = _cached_dataset(tmp_path)
    options = BriefOptions(target="the plan", summary=False)
    first = brief_hf_dataset(dataset, _label_briefer("supportive"), options, text_column="body")
    assert first[0]["stance_labels"] == ["supportive", "supportive"]
    assert first.cache_files  # the result really is cached on disk
    second = brief_hf_dataset(dataset, _label_briefer("opposed"), options, text_column="body")
    assert second[0]["stance_labels"] == ["opposed", "opposed"]  # not the first one's


def test_the_fingerprint_covers_every_setting_and_the_prompts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from newsbrief.steps import prompts
    from newsbrief.surfaces.hf_datasets import brief_fingerprint

    briefer = _label_briefer("supportive")
    base = brief_fingerprint(briefer, None, "ds", text_column="body")
    assert brief_fingerprint(briefer, None, "ds", text_column="body") == base
    # Options left at the Briefer's own settings are the same key as no options.
    assert brief_fingerprint(briefer, briefer.options, "ds", text_column="body") == base
    variants = [
        brief_fingerprint(briefer, None, "ds", text_column="text"),
        brief_fingerprint(briefer, None, "other-ds", text_column="body"),
    ]
    for change in (
        {"target": "x"},
        {"summary": False},
        {"stances": False},
        {"labels": ("supportive", "opposed")},
        {"summary_sentences": 1},
        {"max_attempts": 1},
        {"seed": 7},
        {"style": "instruct"},
    ):
        variants.append(
            brief_fingerprint(briefer, BriefOptions(**change), "ds", text_column="body")
        )
    for settings in ({"summary_sentences": 1}, {"max_attempts": 1}, {"seed": 7}):
        # The same answers (one backend), the setting made on the Briefer: a new key, the
        # same as the one of the options asking for that setting.
        other = Briefer(backend=briefer.backend, **settings)
        key = brief_fingerprint(other, None, "ds", text_column="body")
        assert key != base
        assert key == brief_fingerprint(briefer, BriefOptions(**settings), "ds", text_column="body")
    templates = prompts.available_templates()
    changed = (dataclasses.replace(templates[0], sha256="0" * 64), *templates[1:])
    monkeypatch.setattr(prompts, "available_templates", lambda: changed)
    variants.append(brief_fingerprint(briefer, None, "ds", text_column="body"))
    assert len({base, *variants}) == len(variants) + 1


def test_the_stance_head_choice_is_in_the_cache_key(tmp_path: Path) -> None:
    """Two Briefers on one model whose stances differ (head vs zero-shot) share no key
    (issue 15: this key left the stance head out)."""
    from newsbrief.surfaces.hf_datasets import brief_fingerprint

    backend = _label_briefer("supportive").backend
    head = brief_fingerprint(Briefer(backend=backend), None, "ds")
    zero_shot = brief_fingerprint(Briefer(backend=backend, stance_head=False), None, "ds")
    one_file, other_file = tmp_path / "a.safetensors", tmp_path / "b.safetensors"
    one_file.write_bytes(b"one head")
    other_file.write_bytes(b"another head")
    by_file = [
        brief_fingerprint(Briefer(backend=backend, stance_head=path), None, "ds")
        for path in (one_file, other_file)
    ]
    assert len({head, zero_shot, *by_file}) == 4
    other_file.write_bytes(b"one head")  # the same bytes: the same head
    assert (
        brief_fingerprint(Briefer(backend=backend, stance_head=other_file), None, "ds")
        == (by_file[0])
    )


def test_a_transformers_model_is_named_by_id_device_and_dtype() -> None:
    from newsbrief.surfaces.hf_datasets import _backend_identity

    torch = pytest.importorskip("torch")
    from newsbrief.backends.hf import HFBackend

    class Model:
        def __init__(self, dtype: Any) -> None:
            self.dtype, self.device = dtype, torch.device("cpu")

    def backend(dtype: Any) -> HFBackend:
        made = HFBackend.__new__(HFBackend)
        made.model, made.model_id, made.family = Model(dtype), "org/model", "causal"
        return made

    assert _backend_identity(backend(torch.float32)) == _backend_identity(backend(torch.float32))
    assert _backend_identity(backend(torch.float32)) != _backend_identity(backend(torch.bfloat16))


def test_failed_steps_are_a_column() -> None:
    from newsbrief.models import Provenance, StepFailure

    brief = Brief(
        summary="",
        quotes=[],
        stances=[],
        issue="",
        provenance=Provenance(model_id="m", package_version="0"),
        failures=[StepFailure(step="issue", error="RetryExhaustedError", message="too long")],
    )
    row = brief_to_columns(brief)
    assert row["failed_steps"] == ["issue"]
    assert Brief.model_validate_json(row["brief_json"]).failures == brief.failures


# -- issue 23: weights changed in place, a title that is not text ---------------------


def test_weights_rewritten_in_place_change_the_cache_key(tmp_path: Path) -> None:
    """A local model's path stays, its weights change: the cached briefs must not be reused."""
    from newsbrief.backends.hf import HFBackend
    from newsbrief.surfaces.hf_datasets import brief_fingerprint

    torch = pytest.importorskip("torch")
    model_dir = tmp_path / "my-model"
    model_dir.mkdir()
    (model_dir / "config.json").write_text("{}")
    weights = model_dir / "model.safetensors"
    weights.write_bytes(b"\0" * 1000)

    class Model:
        dtype, device = torch.float32, torch.device("cpu")

    backend = HFBackend.__new__(HFBackend)
    backend.model, backend.model_id, backend.family = Model(), str(model_dir), "causal"
    backend.loaded_from = str(model_dir)
    briefer = Briefer(backend=ScriptedBackend(by_prompt={}))
    briefer.backend = backend
    before = brief_fingerprint(briefer, None, "ds")
    assert brief_fingerprint(briefer, None, "ds") == before
    weights.write_bytes(b"\1" * 1000)  # same size, new content (fine-tuned again)
    os.utime(weights, ns=(weights.stat().st_atime_ns, weights.stat().st_mtime_ns + 10**9))
    after = brief_fingerprint(briefer, None, "ds")
    assert after != before
    weights.write_bytes(b"\1" * 1001)
    assert brief_fingerprint(briefer, None, "ds") not in (before, after)


def test_a_gguf_file_is_named_by_its_own_size_and_time(tmp_path: Path) -> None:
    from newsbrief.surfaces.hf_datasets import weights_identity

    gguf = tmp_path / "m.gguf"
    gguf.write_bytes(b"GGUF")
    (tmp_path / "unrelated.txt").write_text("x")
    backend = type("B", (), {"loaded_from": str(gguf)})()
    assert [name for name, _, _ in weights_identity(backend)] == ["m.gguf"]
    assert weights_identity(type("S", (), {})()) == []  # no local files: nothing to stat


def test_a_title_that_is_not_text_is_an_input_error_for_its_row() -> None:
    fn = brief_batch_fn(
        scripted_briefer(), BriefOptions(summary=False, stances=False), title_column="title"
    )
    columns = fn({"text": [ARTICLE, ARTICLE], "title": [2024, "Bridge vote"]})
    assert columns["brief_error"][0] == "InputError: column 'title' holds int, not a title"
    assert columns["brief_error"][1] is None and columns["quote_texts"][1]
    raising = brief_batch_fn(scripted_briefer(), title_column="title", on_error="raise")
    with pytest.raises(InputError, match="row 0: column 'title' holds int"):
        raising({"text": [ARTICLE], "title": [2024]})
