"""The CI gate on margins, end to end on real gold with scripted models.

A baseline is made from an oracle model (its scores let through only the shorter versions
of a sentence that keep every word the reference summary shares with it, it answers the
gold issue and scores the gold stance label highest); then models
that add nothing over the model-free baselines are run through the same code as
``scripts/ci_eval`` (run, report, check) and must fail the gate on the margin they lose.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest

from newsbrief import Briefer
from newsbrief.backends.scripted import ScriptedBackend
from newsbrief.eval.gold import GoldRecord, GoldSet, load_gold
from newsbrief.eval.provenance import collect_provenance
from newsbrief.eval.regression import Baseline, check_baseline, make_baseline
from newsbrief.eval.report import build_report
from newsbrief.eval.runner import run_eval
from newsbrief.eval.schema import EvalReport
from newsbrief.eval.task_metrics import TASKS
from newsbrief.eval.tokenize import tokenize
from newsbrief.steps.stance import VERBALIZERS

GOLD_DIR = Path(__file__).resolve().parents[3] / "evals" / "gold"
# Dev articles where the deletion oracle changes the summary (most keep every sentence whole
# under the length target, and then no model can beat the pipeline without it).
IDS = ["wikinews-2019-015", "wikinews-2019-099", "wikinews-2019-119", "wikinews-2019-026"]


@pytest.fixture(scope="module")
def gold() -> GoldSet:
    return load_gold(GOLD_DIR)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _record_with(gold: GoldSet, piece: str) -> GoldRecord | None:
    piece = _flat(piece)[:120]
    return next((r for r in gold if r.id in IDS and piece in _flat(r.text)), None)


def _sentence(prompt: str) -> str | None:
    if not prompt.rstrip().endswith("Shorter:"):
        return None
    return prompt.rsplit("Sentence: ", 1)[1].split("\n", 1)[0]


def _summary_score(gold: GoldSet, prompt: str, option: str, *, oracle: bool) -> float | None:
    """Scores of the summary step's versions (``None``: not a summary prompt).

    Fluency (after "Shorter:"): the oracle loses one nat per word of the reference summary
    the version drops (so only versions that keep them all pass the fluency margin); the
    echo model prefers the whole sentence to any shorter version. Relevance (after
    "Headline:") is flat: it decides nothing here.
    """
    if prompt.rstrip().endswith("Headline:"):
        return 0.0
    sentence = _sentence(prompt)
    if sentence is None:
        return None
    if not oracle:
        return 0.0 if option.strip() == sentence.strip() else -1.0
    record = _record_with(gold, sentence)
    if record is None:
        return 0.0
    reference = {t for summary in record.summaries for t in tokenize(summary)}
    kept = reference & set(tokenize(option))
    return -float(len(reference & set(tokenize(sentence))) - len(kept))


def _issue(gold: GoldSet, prompt: str, *, echo: bool) -> str | None:
    if not prompt.rstrip().endswith("Central issue:"):
        return None
    opening = prompt.rsplit("Article: ", 1)[-1].rsplit("Central issue:", 1)[0].strip()
    if echo:
        return opening
    record = _record_with(gold, opening[:80])
    return record.stances[0].target if record is not None and record.stances else opening


def oracle_answers(gold: GoldSet) -> Callable[[str], str | None]:
    def answer(prompt: str) -> str | None:
        return _issue(gold, prompt, echo=False)

    return answer


def echo_answers(gold: GoldSet) -> Callable[[str], str | None]:
    def answer(prompt: str) -> str | None:
        return _issue(gold, prompt, echo=True)

    return answer


def with_summary(
    gold: GoldSet, stance: Callable[[str, str], float], *, oracle: bool = True
) -> Callable[[str, str], float]:
    """One score function: the summary step's (oracle or echo), else ``stance``'s."""

    def score(prompt: str, option: str) -> float:
        value = _summary_score(gold, prompt, option, oracle=oracle)
        return stance(prompt, option) if value is None else value

    return score


def oracle_scores(gold: GoldSet) -> Callable[[str, str], float]:
    labels = {s.speaker: s.label for r in gold if r.id in IDS for s in r.stances}

    def score(prompt: str, option: str) -> float:
        statements = prompt.rsplit("Statements by", 1)[-1]
        if "- N/A\n" in statements or "- \n" in statements:
            return 0.0  # a content-free calibration prompt: no preference
        speaker = prompt.rsplit("In short, ", 1)[-1].strip()
        label = next((lab for name, lab in labels.items() if name and name in speaker), None)
        if label is None:
            label = next(
                (lab for name, lab in labels.items() if name and name.split()[-1] in speaker),
                None,
            )
        return 5.0 if label is not None and option.startswith(" " + VERBALIZERS[label]) else 0.0

    return score


def same_label_scores(prompt: str, option: str) -> float:
    return 1.0 if option.startswith(" supports") else 0.0


def random_scores() -> Callable[[str, str], float]:
    rng = random.Random(13)

    def score(prompt: str, option: str) -> float:
        return rng.uniform(-5.0, 5.0)

    return score


def gate_report(
    gold: GoldSet,
    answer_fn: Callable[[str], str | None],
    score_fn: Callable[[str, str], float],
) -> EvalReport:
    """What ``scripts/ci_eval`` does: run every task, report with margins."""
    backend = ScriptedBackend(answer_fn=answer_fn, score_fn=score_fn, model_id="scripted-gate")
    briefer = Briefer(backend=backend, max_attempts=2)
    run = run_eval(gold, briefer, tasks=TASKS, ids=IDS)
    provenance = collect_provenance(
        briefer, tasks=run.tasks, seed=0, n_bootstrap=200, timings=run.timings
    )
    return build_report(run, provenance)


@pytest.fixture(scope="module")
def oracle_baseline(gold: GoldSet) -> Baseline:
    report = gate_report(gold, oracle_answers(gold), with_summary(gold, oracle_scores(gold)))
    baseline = make_baseline(report)
    # The oracle does earn its place: positive margins where the model acts.
    assert baseline.margins["summary/rougeL_f1"].value > 0
    assert baseline.margins["stance/accuracy"].value > 0
    assert baseline.margins["brief-issue/issue_f1"].value > 0
    assert check_baseline(report, baseline).ok
    return baseline


def _bad(report: EvalReport, baseline: Baseline) -> set[str]:
    result = check_baseline(report, baseline)
    assert not result.ok
    return {c.key for c in result.checks if not c.ok}


def test_a_model_that_returns_its_input_fails_the_gate(
    gold: GoldSet, oracle_baseline: Baseline
) -> None:
    report = gate_report(
        gold, echo_answers(gold), with_summary(gold, oracle_scores(gold), oracle=False)
    )
    bad = _bad(report, oracle_baseline)
    # Sentences kept whole are the pipeline without the model: no margin left.
    assert {"summary/rougeL_f1", "brief-summary/rougeL_f1"} <= bad
    summary = report.task("summary")
    assert summary is not None
    (margin,) = summary.margins
    assert margin.value <= 1e-9


def test_a_model_that_always_picks_the_same_label_fails_the_gate(
    gold: GoldSet, oracle_baseline: Baseline
) -> None:
    report = gate_report(gold, oracle_answers(gold), with_summary(gold, same_label_scores))
    bad = _bad(report, oracle_baseline)
    assert {"stance/accuracy", "stance/macro_f1"} <= bad
    assert "summary/rougeL_f1" not in bad  # the summaries are the oracle's


def test_a_model_with_random_scores_fails_the_gate(
    gold: GoldSet, oracle_baseline: Baseline
) -> None:
    report = gate_report(gold, oracle_answers(gold), with_summary(gold, random_scores()))
    bad = _bad(report, oracle_baseline)
    assert "stance/accuracy" in bad or "stance/macro_f1" in bad


def test_the_oracle_itself_passes_and_a_changed_prompt_hash_fails(
    gold: GoldSet, oracle_baseline: Baseline
) -> None:
    report = gate_report(gold, oracle_answers(gold), with_summary(gold, oracle_scores(gold)))
    assert check_baseline(report, oracle_baseline).ok
    changed = oracle_baseline.model_copy(
        update={
            "prompts": [p.replace("@", "@0", 1) for p in oracle_baseline.prompts[:1]]
            + oracle_baseline.prompts[1:]
        }
    )
    result = check_baseline(report, changed)
    assert not result.ok
    assert any("prompts differ" in p for p in result.problems)
