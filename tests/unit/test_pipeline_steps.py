"""The steps of ``Briefer.brief``: one outcome each, and a new step added the documented way.

The example of "Adding a pipeline step" in ``docs/HOW_IT_WORKS.md`` is run as written: if the
route it describes stops working, this fails.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import newsbrief
from newsbrief import Briefer, BriefOptions, GenerationError
from newsbrief.backends import ScriptedBackend
from newsbrief.briefer import BriefRun, StepOutcome
from newsbrief.text.document import Document
from tests.unit.test_briefer import ISSUE, _scripted

HOW_IT_WORKS = Path(newsbrief.__file__).resolve().parents[1] / "docs" / "HOW_IT_WORKS.md"


def _documented_example() -> dict[str, Any]:
    """The names defined by the Python example of the "Adding a pipeline step" section."""
    doc = HOW_IT_WORKS.read_text(encoding="utf-8")
    section = doc.split("## Adding a pipeline step", 1)[1].split("\n## ", 1)[0]
    (code,) = re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)
    names: dict[str, Any] = {}
    exec(compile(code, str(HOW_IT_WORKS), "exec"), names)
    return names


def test_the_documented_toy_step_runs_after_the_others(example_text: str) -> None:
    example = _documented_example()
    briefer = example["ReadingTimeBriefer"](backend=_scripted())
    brief = briefer.brief(example_text, title="Potash")
    words = len(example_text.split())
    assert f"reading time: {max(1, round(words / 230))} min" in brief.provenance.notes
    # The other steps are untouched: the same brief as without the new step, but the note.
    plain = Briefer(backend=_scripted()).brief(example_text, title="Potash")
    assert brief.model_copy(update={"provenance": plain.provenance}) == plain
    assert [n for n in brief.provenance.notes if not n.startswith("reading time")] == list(
        plain.provenance.notes
    )
    # brief_many with other settings keeps the steps.
    (record,) = briefer.brief_many([example_text], BriefOptions(max_attempts=1, seed=3))
    assert record.brief is not None
    assert any(n.startswith("reading time") for n in record.brief.provenance.notes)


def test_a_step_reads_the_outcomes_before_it_and_adds_prompts_and_attempts(
    example_text: str,
) -> None:
    seen: dict[str, StepOutcome[Any]] = {}

    def echo_issue(
        briefer: Briefer, run: BriefRun, done: Mapping[str, StepOutcome[Any]]
    ) -> StepOutcome[str]:
        seen.update(done)
        issue = done["issue"]
        return StepOutcome(issue.value, prompts=issue.prompts, attempts=7, notes=("echo",))

    briefer = Briefer(backend=_scripted())
    briefer.steps = (*Briefer.steps, ("echo", echo_issue))
    brief = briefer.brief(example_text)
    assert list(seen) == ["issue", "stance", "summary"]
    assert seen["issue"].value == ISSUE
    assert brief.provenance.attempts["echo"] == 7
    assert brief.provenance.notes[-1] == "echo"
    # Its prompt is the issue step's: listed once.
    ids = [p.id for p in brief.provenance.prompts]
    assert ids.count("issue.base@v1") == 1


def test_each_step_gives_one_outcome_and_a_failure_skips_the_stances(
    example_text: str,
) -> None:
    class Failing(ScriptedBackend):
        def generate(self, *args: Any, **kwargs: Any) -> Any:
            raise GenerationError("the backend is down")

    briefer = Briefer(backend=Failing(score_fn=lambda prompt, option: -1.0))
    run = BriefRun(Document.parse(example_text), [], None, None, ("yes", "no"))
    issue = briefer.steps[0][1](briefer, run, {})
    assert issue.value is None and issue.failure is not None
    assert issue.failure.step == "issue" and issue.failure.error == "GenerationError"
    stance = briefer.steps[1][1](briefer, run, {"issue": issue})
    assert stance.value is None and stance.failure is not None
    assert stance.failure.message.startswith("not run: no issue to take stances on")
    assert stance.failure.error == "GenerationError"


def test_a_given_target_is_the_issue_without_a_model_call(example_text: str) -> None:
    target = "  a target  "
    backend = _scripted()
    briefer = Briefer(backend=backend)
    run = BriefRun(Document.parse(example_text), [], None, target, ("yes", "no"))
    outcome = briefer.steps[0][1](briefer, run, {})
    assert outcome == StepOutcome(value="a target")
    assert backend.calls == []
