"""LoadOptions: the model-loading options as one object, from the keywords to the loaders."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

import newsbrief
from newsbrief.backends import ScriptedBackend, embedded, loading, sources
from newsbrief.backends.options import LoadOptions
from newsbrief.briefer import Briefer
from newsbrief.surfaces.distributed import BrieferActor, brief_ray_dataset
from newsbrief.surfaces.hf_datasets import brief_fingerprint

#: A value other than the default for every loading option.
CHANGED: dict[str, Any] = {
    "device": "auto",
    "dtype": "bfloat16",
    "trust_remote_code": True,
    "allow_pickle": True,
    "revision": "v2",
    "use_chat_template": False,
}


def test_changed_covers_every_option() -> None:
    assert set(CHANGED) == {f.name for f in dataclasses.fields(LoadOptions)}
    assert newsbrief.LoadOptions is LoadOptions


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"device": "tpu"}, ValueError, "unknown device 'tpu'"),
        ({"device": "cuda:x"}, ValueError, "unknown device"),
        ({"device": 0}, TypeError, "device must be a string"),
        ({"dtype": "float8"}, ValueError, "unknown dtype 'float8'"),
        ({"dtype": 16}, TypeError, "dtype must be a name or a torch.dtype"),
        ({"trust_remote_code": "yes"}, TypeError, "trust_remote_code must be True or False"),
        ({"allow_pickle": 1}, TypeError, "allow_pickle must be True or False"),
        ({"use_chat_template": "no"}, TypeError, "use_chat_template must be"),
        ({"revision": ""}, TypeError, "revision must be a non-empty string"),
        ({"revision": 3}, TypeError, "revision must be a non-empty string"),
    ],
)
def test_bad_options_fail_when_made(kwargs: dict[str, Any], error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        LoadOptions(**kwargs)


def test_good_options_are_accepted_and_frozen() -> None:
    torch = pytest.importorskip("torch")
    for device in (None, "cpu", "cuda", "cuda:1", "auto"):
        assert LoadOptions(device=device).device == device
    for dtype in (None, "auto", "fp16", "bf16", "float32", torch.float16):
        assert LoadOptions(dtype=dtype).dtype == dtype
    options = LoadOptions(**CHANGED)
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.device = "cpu"  # type: ignore[misc]
    assert hash(options) == hash(LoadOptions(**CHANGED))


def test_as_dict_names_every_option_and_writes_the_dtype_as_text() -> None:
    torch = pytest.importorskip("torch")
    assert LoadOptions(**CHANGED).as_dict() == CHANGED
    assert LoadOptions(dtype=torch.bfloat16).as_dict()["dtype"] == "torch.bfloat16"


def test_from_call_builds_from_keywords_or_takes_the_object() -> None:
    assert LoadOptions.from_call(None, **CHANGED) == LoadOptions(**CHANGED)
    given = LoadOptions(**CHANGED)
    defaults = {f.name: f.default for f in dataclasses.fields(LoadOptions)}
    assert LoadOptions.from_call(given, **defaults) is given
    for name, value in CHANGED.items():
        with pytest.raises(ValueError, match=f"pass either load_options= or {name}="):
            LoadOptions.from_call(given, **{**defaults, name: value})
    with pytest.raises(TypeError, match="load_options must be a LoadOptions"):
        LoadOptions.from_call({"device": "cpu"})  # type: ignore[arg-type]
    for passed in (None, given):
        with pytest.raises(TypeError, match=r"unexpected keyword arguments \['colour'\]"):
            LoadOptions.from_call(passed, colour="red")


def test_the_keyword_form_names_the_same_options() -> None:
    from newsbrief.backends.options import LoadKeywords

    assert list(LoadKeywords.__annotations__) == [f.name for f in dataclasses.fields(LoadOptions)]


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, LoadOptions]]:
    """``load_backend`` as Briefer calls it: records (model, load_options), no model loads."""
    seen: list[tuple[str, LoadOptions]] = []
    backend = ScriptedBackend([], model_id="org/model")

    def fake(model: str, *, load_options: LoadOptions) -> ScriptedBackend:
        seen.append((model, load_options))
        return backend

    monkeypatch.setattr(loading, "load_backend", fake)
    return seen


def test_briefer_keywords_build_the_options_it_passes_on(
    loads: list[tuple[str, LoadOptions]],
) -> None:
    briefer = Briefer("org/model", **CHANGED)
    assert loads == [("org/model", LoadOptions(**CHANGED))]
    assert briefer.load_options == LoadOptions(**CHANGED)
    for name, value in CHANGED.items():  # each keyword alone
        assert Briefer(**{name: value}).load_options == LoadOptions(**{name: value})
    given = LoadOptions(**CHANGED)
    passed = Briefer(load_options=given)
    assert loads[-1] == ("embedded", given)
    assert passed.load_options is given
    assert Briefer().load_options == LoadOptions()


def test_briefer_refuses_load_options_with_a_keyword_or_a_backend(
    loads: list[tuple[str, LoadOptions]],
) -> None:
    with pytest.raises(ValueError, match="pass either load_options= or device="):
        Briefer(device="cpu", load_options=LoadOptions())
    with pytest.raises(ValueError, match="pass either load_options= or backend="):
        Briefer(backend=ScriptedBackend([]), load_options=LoadOptions())
    with pytest.raises(ValueError, match="unknown device"):
        Briefer(device="tpu")
    with pytest.raises(TypeError, match="max_attempt"):  # a misspelt keyword, with a backend
        Briefer(backend=ScriptedBackend([]), max_attempt=2)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="colour"):
        Briefer(colour="red")  # type: ignore[call-arg]
    assert loads == []
    assert Briefer(backend=ScriptedBackend([])).load_options is None


def test_load_backend_hands_the_loaders_the_same_values_as_one_object(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    resolved: list[dict[str, Any]] = []
    loaded: list[tuple[str, LoadOptions]] = []

    def fake_resolve(name: str, *, allow_pickle: bool, revision: str | None) -> Any:
        resolved.append({"allow_pickle": allow_pickle, "revision": revision})
        return sources.ModelSource(name)

    def fake_load(source: Any, *, model_id: str, options: LoadOptions) -> Any:
        loaded.append((model_id, options))
        return "backend"

    monkeypatch.setattr(loading, "resolve_source", fake_resolve)
    monkeypatch.setattr(loading, "load_from_source", fake_load)
    assert loading.load_backend("org/model", **CHANGED) == "backend"
    assert loading.load_backend("org/model", load_options=LoadOptions(**CHANGED)) == "backend"
    assert loaded == [("org/model", LoadOptions(**CHANGED))] * 2
    assert resolved == [{"allow_pickle": True, "revision": "v2"}] * 2
    with pytest.raises(ValueError, match="pass either load_options= or dtype="):
        loading.load_backend("org/model", dtype="fp16", load_options=LoadOptions())


def test_a_named_model_gets_the_device_and_dtype(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[dict[str, Any]] = []
    monkeypatch.setattr(
        embedded, "load_embedded", lambda **kwargs: seen.append(kwargs) or "embedded"
    )
    assert loading.load_backend("embedded", device="cpu", dtype="bf16") == "embedded"
    assert seen == [{"device": "cpu", "dtype": "bf16"}]


def test_the_datasets_cache_key_changes_with_every_loading_option(
    loads: list[tuple[str, LoadOptions]],
) -> None:
    # The same backend object for every Briefer: only the loading options tell them apart.
    keys = {brief_fingerprint(Briefer(), None, "ds")}
    assert brief_fingerprint(Briefer(load_options=LoadOptions()), None, "ds") in keys
    for name, value in CHANGED.items():
        keys.add(brief_fingerprint(Briefer(load_options=LoadOptions(**{name: value})), None, "ds"))
    assert len(keys) == 1 + len(CHANGED)


def test_ray_default_briefer_loads_with_the_options(
    loads: list[tuple[str, LoadOptions]],
) -> None:
    given = LoadOptions(device="auto", revision="v2")
    actor = BrieferActor(load_options=given)
    assert actor.briefer.load_options is given
    assert loads == [("embedded", given)]
    assert BrieferActor().briefer.load_options == LoadOptions()
    with pytest.raises(ValueError, match="either make_briefer= or load_options="):
        BrieferActor(Briefer, load_options=given)
    with pytest.raises(ValueError, match="either make_briefer= or load_options="):
        brief_ray_dataset(object(), Briefer, load_options=given)
