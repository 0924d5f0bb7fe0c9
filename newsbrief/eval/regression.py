"""The CI gate: newsbrief's margins over the best model-free baselines, against a baseline.

``evals/baseline.json`` holds, for a fixed gold subset, newsbrief's margin over the best
baseline on each gated metric of each task (see ``task_metrics.GATED_METRICS``), the model
id and the hash of every prompt. A run fails the check when

- a margin falls below its committed value minus its tolerance. Decoding is deterministic
  (greedy first attempts, seeded retries): the CI subset gave the same figures to six
  decimals in two sessions on two commits (2026-12-01), so the default tolerance is 0
  (exact, up to float rounding). Each margin also stores ``noise``, one standard error
  read off its 95% paired-bootstrap interval (``(high - low) / (2 * 1.96)``): how much
  of a fall is within the sampling noise of the gold, for the reviewer deciding whether
  ``--allow-lower`` is justified. A reviewer may set a margin's ``tolerance`` by hand
  (e.g. to ``noise`` on a machine whose floats differ); re-baselining keeps it;
- more articles fail than in the baseline;
- the model id or a prompt hash differs from the baseline's (re-baselining is explicit).

Re-baselining (``--update-baseline``) refuses to lower any committed margin, or raise the
failure count, unless a reason is given (``allow_lower``); the reason is stored in the
file with the date and the figures it lowered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field

from newsbrief.errors import InputError
from newsbrief.eval.gold import PathLike
from newsbrief.eval.schema import EvalReport, read_json_model
from newsbrief.models import FrozenModel

#: z of a 95% interval: the half-width over it is one standard error.
_Z95 = 1.96
#: Slack for floating-point noise and the 6-decimal rounding of stored figures.
_EPSILON = 1e-6


class MarginEntry(FrozenModel):
    """A committed margin and how far a run may fall short of it."""

    value: float
    over: str
    """The best baseline when it was measured (for the reviewer; the check takes the best
    baseline of the run, whichever it is)."""
    low: float | None = None
    high: float | None = None
    noise: float | None = None
    """One standard error of the margin (from its bootstrap interval); ``None``: none."""
    tolerance: float = Field(default=0.0, ge=0.0)
    """How far a run may fall short; 0 (exact) unless a reviewer set it."""


class Lowering(FrozenModel):
    """A re-baselining that lowered committed figures, and why."""

    date: str
    reason: str
    lowered: dict[str, tuple[float, float | None]]
    """Key to ``(old, new)`` (``None``: the figure is gone)."""


class Baseline(FrozenModel):
    """The content of ``evals/baseline.json``."""

    schema_version: Literal[2] = 2
    gold_ids: list[str]
    """The articles the baseline was measured on; a check needs the same ones."""
    model_id: str
    git_commit: str | None = None
    prompts: list[str] = Field(default_factory=list)
    """Prompt ``id@sha256`` the baseline was measured with; a run must use the same."""
    margins: dict[str, MarginEntry]
    """``task/metric`` to newsbrief's committed margin over the best baseline."""
    failed_articles: int = Field(ge=0)
    lowerings: list[Lowering] = Field(default_factory=list)


@dataclass(frozen=True)
class MarginCheck:
    """One margin of a run against its baseline."""

    key: str
    baseline: float
    tolerance: float
    current: float | None
    """``None``: the run does not have the margin (a regression)."""
    over: str | None = None
    noise: float | None = None

    @property
    def ok(self) -> bool:
        """Whether the run's margin is within tolerance of the baseline's."""
        return self.current is not None and (
            self.current >= self.baseline - self.tolerance - _EPSILON
        )


@dataclass(frozen=True)
class RegressionResult:
    """Every check of a run against a baseline."""

    checks: list[MarginCheck]
    problems: list[str]
    """Why the run fails besides margins: other articles, model, prompts, failures."""

    @property
    def ok(self) -> bool:
        """No regression and nothing that prevents the comparison."""
        return not self.problems and all(check.ok for check in self.checks)

    def render(self) -> str:
        """A plain-text table of the checks, regressions marked."""
        lines = [f"baseline check: {'ok' if self.ok else 'REGRESSION'}"]
        lines += [f"  problem: {p}" for p in self.problems]
        for c in self.checks:
            current = "missing" if c.current is None else f"{c.current:+.4f}"
            mark = "ok " if c.ok else "BAD"
            over = f" over {c.over}" if c.over else ""
            lines.append(
                f"  {mark} margin {c.key}: {current}{over} (baseline {c.baseline:+.4f}, "
                f"tolerance {c.tolerance:.4f}, min {c.baseline - c.tolerance:+.4f}, "
                f"noise {'-' if c.noise is None else f'{c.noise:.4f}'})"
            )
        return "\n".join(lines) + "\n"


def report_margins(report: EvalReport, previous: Baseline | None = None) -> dict[str, MarginEntry]:
    """newsbrief's margins in a report, keyed ``task/metric``: exact (tolerance 0) unless
    ``previous`` holds a reviewed tolerance for the key, with their noise."""
    found: dict[str, MarginEntry] = {}
    for task in report.tasks:
        for margin in task.margins:
            key = f"{task.task}/{margin.metric}"
            noise = None
            if margin.low is not None and margin.high is not None:
                noise = round((margin.high - margin.low) / (2 * _Z95), 6)
            old = previous.margins.get(key) if previous is not None else None
            found[key] = MarginEntry(
                value=round(margin.value, 6),
                over=margin.over,
                low=None if margin.low is None else round(margin.low, 6),
                high=None if margin.high is None else round(margin.high, 6),
                noise=0.0 if margin.deterministic else noise,
                tolerance=old.tolerance if old is not None else 0.0,
            )
    return found


def failed_articles(report: EvalReport) -> int:
    """Articles on which newsbrief failed at least once."""
    return len({f.article_id for f in report.failures})


def prompt_keys(report: EvalReport) -> list[str]:
    """``id@sha256`` of each prompt the run used."""
    return [f"{p.id}@{p.sha256}" for p in report.provenance.prompts]


def check_baseline(report: EvalReport, baseline: Baseline) -> RegressionResult:
    """Check a run against the baseline: margins, failures, articles, model, prompts.

    A margin the run lacks (task not run, or no baseline defined it) counts as a
    regression; a run on other articles, with another model or other prompts, fails.
    """
    problems = []
    if list(report.gold.ids) != list(baseline.gold_ids):
        missing = sorted(set(baseline.gold_ids) - set(report.gold.ids))
        extra = sorted(set(report.gold.ids) - set(baseline.gold_ids))
        problems.append(
            "the run's articles differ from the baseline's "
            f"(missing: {', '.join(missing) or '-'}; extra: {', '.join(extra) or '-'})"
        )
    if report.provenance.model_id != baseline.model_id:
        problems.append(
            f"model {report.provenance.model_id!r} is not the baseline's "
            f"{baseline.model_id!r}: re-baseline explicitly (scripts/ci_eval --update)"
        )
    ours, theirs = set(prompt_keys(report)), set(baseline.prompts)
    if ours != theirs:
        changed = sorted({k.rsplit("@", 1)[0] for k in ours ^ theirs})
        problems.append(
            f"prompts differ from the baseline's ({', '.join(changed)}): a changed prompt "
            "needs an explicit re-baseline (scripts/ci_eval --update)"
        )
    failed = failed_articles(report)
    if failed > baseline.failed_articles:
        problems.append(f"{failed} articles failed, the baseline allows {baseline.failed_articles}")
    current = {f"{t.task}/{m.metric}": m for t in report.tasks for m in t.margins}
    checks = [
        MarginCheck(
            key=key,
            baseline=entry.value,
            tolerance=entry.tolerance,
            current=current[key].value if key in current else None,
            over=current[key].over if key in current else None,
            noise=entry.noise,
        )
        for key, entry in baseline.margins.items()
    ]
    return RegressionResult(checks=checks, problems=problems)


class LowerBaselineError(InputError):
    """A re-baseline would lower committed figures and no reason was given."""


def make_baseline(
    report: EvalReport,
    *,
    previous: Baseline | None = None,
    allow_lower: str | None = None,
) -> Baseline:
    """A baseline from a report: its margins, failure count, model and prompts.

    Args:
        report: the run.
        previous: the committed baseline, if any; its lowerings are kept.
        allow_lower: the reason for lowering figures of ``previous``; without it, a
            lower margin, a dropped margin or more failed articles are refused.

    Raises:
        LowerBaselineError: figures would be lowered without ``allow_lower``.
        ValueError: ``allow_lower`` is given but blank.
    """
    if allow_lower is not None and not allow_lower.strip():
        raise ValueError("allow_lower needs a reason")
    margins = report_margins(report, previous)
    failed = failed_articles(report)
    lowerings = list(previous.lowerings) if previous is not None else []
    if previous is not None:
        lowered = lowered_figures(previous, margins, failed)
        if lowered and allow_lower is None:
            listing = ", ".join(
                f"{key} {old:+.4f} -> {'missing' if new is None else f'{new:+.4f}'}"
                for key, (old, new) in lowered.items()
            )
            raise LowerBaselineError(
                f"the new baseline would lower {listing}; refusing. Give the reason with "
                '--allow-lower "why" (it is stored in the baseline file)'
            )
        if lowered:
            lowerings.append(
                Lowering(
                    date=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                    reason=allow_lower or "",
                    lowered=lowered,
                )
            )
    prov = report.provenance
    return Baseline(
        gold_ids=list(report.gold.ids),
        model_id=prov.model_id,
        git_commit=prov.git_commit,
        prompts=prompt_keys(report),
        margins=margins,
        failed_articles=failed,
        lowerings=lowerings,
    )


def lowered_figures(
    previous: Baseline, margins: dict[str, MarginEntry], failed: int
) -> dict[str, tuple[float, float | None]]:
    """Committed figures the new ones are worse than: ``key -> (old, new)`` (``None``:
    the margin is gone). The failure count is keyed ``failed_articles``."""
    lowered: dict[str, tuple[float, float | None]] = {}
    for key, entry in previous.margins.items():
        new = margins.get(key)
        if new is None or new.value < entry.value - _EPSILON:
            lowered[key] = (entry.value, None if new is None else new.value)
    if failed > previous.failed_articles:
        lowered["failed_articles"] = (float(previous.failed_articles), float(failed))
    return lowered


def load_baseline(path: PathLike) -> Baseline:
    """Read a baseline file.

    Raises:
        InputError: missing, not JSON or not a baseline; the message says how to make one.
    """
    file = Path(path)
    return read_json_model(
        file,
        Baseline,
        what="a baseline (schema 2: margins; re-baseline with scripts/ci_eval --update)",
        missing=f"{file}: no baseline file; write one with "
        f"`newsbrief eval ... --update-baseline {file}`",
    )


def write_baseline(baseline: Baseline, path: PathLike) -> Path:
    """Write a baseline as indented JSON (stable key order, for reviewable diffs)."""
    file = Path(path)
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(baseline.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return file
