"""What made an evaluation run: package version, git commit, model, prompts, seed, times."""

from __future__ import annotations

import datetime as dt
import platform
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from newsbrief.eval.schema import RunProvenance, Task
from newsbrief.models import PromptRecord
from newsbrief.steps.prompts import available_templates, load_template

#: Prompt templates each task renders (quotes are found by rules, without a prompt); a
#: style without one of them does not use it (only base models shorten sentences).
TASK_TEMPLATES: dict[Task, tuple[str, ...]] = {
    "summary": ("compress", "headline", "summary", "voice"),
    "quotes": (),
    "stance": ("stance",),
    "brief-issue": ("issue",),
    "brief-speakers": (),
    "brief-stance": ("stance",),
    "brief-summary": ("compress", "headline", "summary", "voice"),
}
_REPO = Path(__file__).resolve().parents[2]


def git_state(directory: Path = _REPO) -> tuple[str | None, bool | None]:
    """The commit checked out at ``directory`` and whether the tree has changes.

    Returns:
        ``(commit, dirty)``, both ``None`` outside a git checkout or without git.
    """
    try:
        commit = _git(directory, "rev-parse", "HEAD")
        status = _git(directory, "status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.SubprocessError):
        return None, None
    return commit, bool(status)


def prompt_records(style: str | None, tasks: Iterable[Task]) -> list[PromptRecord]:
    """Ids and hashes of the templates the tasks render in ``style`` (the latest versions,
    as the steps load them)."""
    if style is None:
        return []
    records: list[PromptRecord] = []
    for task in tasks:
        for name in TASK_TEMPLATES[task]:
            if not any(t.task == name and t.style == style for t in available_templates()):
                continue
            template = load_template(name, style)
            record = PromptRecord(id=template.id, sha256=template.sha256)
            if record not in records:
                records.append(record)
    return records


def collect_provenance(
    briefer: object,
    *,
    tasks: Sequence[Task],
    seed: int,
    n_bootstrap: int,
    timings: Mapping[str, float],
    command: Sequence[str] = (),
) -> RunProvenance:
    """Provenance of a run of ``briefer`` (a ``Briefer`` or anything shaped like one).

    The model id is read from ``briefer.backend.model_id``, the prompt style from
    ``briefer.style`` and the Briefer's retry seed from ``briefer.seed``; what is missing
    is recorded as unknown.
    """
    from newsbrief import __version__

    commit, dirty = git_state()
    backend = getattr(briefer, "backend", None)
    style = getattr(briefer, "style", None)
    briefer_seed = getattr(briefer, "seed", None)
    return RunProvenance(
        package_version=__version__,
        git_commit=commit,
        git_dirty=dirty,
        model_id=str(getattr(backend, "model_id", "unknown")),
        style=style if isinstance(style, str) else None,
        prompts=prompt_records(style if isinstance(style, str) else None, tasks),
        seed=seed,
        briefer_seed=briefer_seed if isinstance(briefer_seed, int) else None,
        n_bootstrap=n_bootstrap,
        command=list(command),
        date=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        python=platform.python_version(),
        timings=dict(timings),
        trained_on=sorted(_trained_on(briefer)),
    )


def _trained_on(briefer: object) -> frozenset[str]:
    """``briefer.trained_on`` (a Briefer's stance head's training articles), or nothing for
    a system that does not say."""
    ids = getattr(briefer, "trained_on", None)
    return (
        frozenset(str(i) for i in ids) if isinstance(ids, frozenset | set | list) else frozenset()
    )


def _git(directory: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *args],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=10,
        check=True,
    )
    return result.stdout.strip()
