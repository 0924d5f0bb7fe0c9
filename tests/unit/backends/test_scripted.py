"""The scripted backend: order, keyed answers, call log, exhaustion."""

from __future__ import annotations

import pytest

from newsbrief.backends import Backend, GenerationConfig, ScriptedBackend, ScriptExhaustedError
from newsbrief.errors import GenerationError


def test_answers_come_in_order_across_calls() -> None:
    backend = ScriptedBackend(["first", "second", "third"])
    assert [g.text for g in backend.generate(["a", "b"])] == ["first", "second"]
    assert [g.text for g in backend.generate(["c"])] == ["third"]


def test_keyed_answers_win_and_match_exact_then_contained() -> None:
    backend = ScriptedBackend(
        ["fallback"], by_prompt={"Summarize:": ["s1", "s2"], "exact prompt": "always"}
    )
    out = backend.generate(["Summarize: the article", "exact prompt", "other", "Summarize: x"])
    assert [g.text for g in out] == ["s1", "always", "fallback", "s2"]
    assert backend.generate(["exact prompt"])[0].text == "always"


def test_keyed_list_runs_out_and_raises() -> None:
    backend = ScriptedBackend(by_prompt={"Q:": ["only"]})
    backend.generate(["Q: one"])
    with pytest.raises(ScriptExhaustedError, match="ran out"):
        backend.generate(["Q: two"])


def test_ambiguous_keys_raise() -> None:
    backend = ScriptedBackend(by_prompt={"a": "x", "b": "y"})
    with pytest.raises(GenerationError, match="several scripted keys"):
        backend.generate(["a and b"])


def test_exhaustion_raises_instead_of_inventing() -> None:
    backend = ScriptedBackend(["only"])
    backend.generate(["p"])
    with pytest.raises(ScriptExhaustedError, match="script ran out"):
        backend.generate(["q"])
    assert isinstance(ScriptExhaustedError("x"), GenerationError)


def test_calls_are_recorded_with_config_and_options() -> None:
    backend = ScriptedBackend(["ok"], scores=[[0.0, -1.0]])
    config = GenerationConfig(max_new_tokens=7, temperature=0.5, seed=3)
    backend.generate(["prompt one"], config)
    backend.score(["prompt two"], ["yes", "no"], normalize=True)
    assert [c.method for c in backend.calls] == ["generate", "score"]
    assert backend.calls[0].prompts == ("prompt one",)
    assert backend.calls[0].config == config
    assert backend.calls[1].options == (("yes", "no"),)
    assert backend.calls[1].normalize is True


def test_scores_in_order_then_function_then_exhaustion() -> None:
    backend = ScriptedBackend(scores=[[1.0, 2.0]])
    assert backend.score(["p"], ["a", "b"]) == [[1.0, 2.0]]
    with pytest.raises(ScriptExhaustedError):
        backend.score(["p"], ["a", "b"])
    by_fn = ScriptedBackend(score_fn=lambda prompt, option: -float(len(option)))
    assert by_fn.score(["p", "q"], [["aa", "b"], ["ccc"]]) == [[-2.0, -1.0], [-3.0]]


def test_score_row_length_must_match_options() -> None:
    backend = ScriptedBackend(scores=[[1.0]])
    with pytest.raises(GenerationError, match="1 values for 2 options"):
        backend.score(["p"], ["a", "b"])


def test_length_finish_reason_and_token_counts() -> None:
    backend = ScriptedBackend(["one two three four"])
    (gen,) = backend.generate(["a b"], GenerationConfig(max_new_tokens=2))
    assert gen.finish_reason == "length"
    assert gen.text == "one two"
    assert (gen.prompt_tokens, gen.completion_tokens) == (2, 2)


def test_bad_arguments_are_type_errors() -> None:
    backend = ScriptedBackend(["x"])
    with pytest.raises(TypeError):
        backend.generate("not a list")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        ScriptedBackend("abc")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="option lists"):
        backend.score(["a", "b"], [["x"]])


def test_satisfies_backend_protocol() -> None:
    assert isinstance(ScriptedBackend(), Backend)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf")])
def test_non_finite_scores_are_a_generation_error(bad: float) -> None:
    """As a real backend: NaN/inf never reaches a result (issue 17, item 5)."""
    with pytest.raises(GenerationError, match="not finite"):
        ScriptedBackend(scores=[[0.0, bad]]).score(["p"], ["a", "b"])
    with pytest.raises(GenerationError, match="not finite"):
        ScriptedBackend(score_fn=lambda prompt, option: bad).score(["p"], ["a"])
