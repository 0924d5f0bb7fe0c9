"""Running a batch: brief the work left with ``Briefer.brief_many``, write each record."""

from __future__ import annotations

import importlib
import logging
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsbrief.options import BriefOptions, BriefRecord
from newsbrief.surfaces.batch.resume import BatchPlan
from newsbrief.surfaces.batch.writers import open_records, output_lock

if TYPE_CHECKING:
    from newsbrief.briefer import Briefer

logger = logging.getLogger(__name__)


@dataclass
class BatchSummary:
    """What a batch run did."""

    done: int = 0
    skipped: int = 0
    failed: int = 0
    seconds: float = 0.0
    interrupted: bool = False
    failures: list[str] = field(default_factory=list)
    kept_failed: int = 0
    """Skipped ids whose record in the output is an error (``--retry-failed`` retries them)."""
    partial: int = 0
    """Briefs written with a failed step (``brief.failures``)."""

    def line(self) -> str:
        """One line for the end of a run: done, skipped, failed, time."""
        attempted = self.done + self.failed  # a failed article took time too
        rate = f", {self.seconds / attempted:.1f} s/article" if attempted else ""
        state = "interrupted: " if self.interrupted else ""
        partial = f" ({self.partial} with a failed step)" if self.partial else ""
        kept = (
            f"; {self.kept_failed} failed record{'s' * (self.kept_failed != 1)} kept; "
            "--retry-failed to retry"
            if self.kept_failed
            else ""
        )
        return (
            f"{state}{self.done} done{partial}, {self.skipped} skipped, {self.failed} failed "
            f"in {_duration(self.seconds)}{rate}{kept}"
        )

    @property
    def ok(self) -> bool:
        """Whether every article of the input has a brief (none failed, none kept failed)."""
        return not (self.failed or self.kept_failed or self.interrupted)


def run_batch(
    plan: BatchPlan,
    briefer: Briefer,
    out: Path,
    *,
    options: BriefOptions | None = None,
    progress: bool | None = None,
) -> BatchSummary:
    """Brief every pending article of ``plan`` with ``briefer.brief_many``, appending one
    record each to ``out``.

    An article that fails gets an error record (its message starts with where the article
    came from) and the run goes on; Ctrl-C stops after the records already written
    (``summary.interrupted``).

    Args:
        plan: from :func:`~newsbrief.surfaces.batch.plan_batch`.
        briefer: the loaded ``Briefer``.
        out: the JSONL output (appended to), or a Parquet output directory.
        options: what to produce and the settings (``None``: the Briefer's).
        progress: show a progress bar with rate and ETA on standard error (``None``: only
            when standard error is a terminal).
    """
    return write_batch(plan, plan_records(plan, briefer, options), out, progress=progress)


def plan_records(
    plan: BatchPlan, briefer: Briefer, options: BriefOptions | None = None
) -> Iterator[BriefRecord]:
    """The records of ``plan.articles`` from ``briefer.brief_many``, made lazily, each error
    message prefixed with where its article came from."""
    where = {article.id: article.where for article in plan.articles}
    items = ((article.id, article.text, article.title) for article in plan.articles)
    for record in briefer.brief_many(items, options):
        yield record.located(where.get(record.id, ""))


def write_batch(
    plan: BatchPlan,
    records: Iterable[BriefRecord],
    out: Path,
    *,
    progress: bool | None = None,
) -> BatchSummary:
    """Write the error records of ``plan.bad``, then each of ``records`` as it arrives.

    ``records`` are the records of ``plan.articles`` (one each, in any order), made
    lazily: by :func:`run_batch` in this process, or by workers elsewhere
    (``newsbrief.surfaces.distributed``). The output is locked while it is written
    (:func:`~newsbrief.surfaces.batch.output_lock`: another run on it is refused).
    Ctrl-C while waiting for one stops the run after the records already written
    (``summary.interrupted``). ``progress`` is as for
    :func:`run_batch`; no bar is drawn when nothing is left to brief.
    """
    summary = BatchSummary(skipped=plan.skipped, kept_failed=plan.kept_failed)
    meta = {article.id: article.meta for article in plan.articles if article.meta}
    # The text the offsets of a page's brief index into (see Brief.extracted_text).
    extracted = {article.id: article.text for article in plan.articles if article.extracted}
    started = time.monotonic()
    with output_lock(out), open_records(out) as writer:
        for bad in plan.bad:
            message = f"{bad.where}: {bad.message}"
            if bad.record:
                writer.write(BriefRecord.failed(bad.id, "InputError", message))
            _count_failure(summary, message)
        bar = _tqdm()(
            total=len(plan.articles),
            desc="briefing",
            unit="article",
            disable=bar_disabled(progress, len(plan.articles)),
            file=sys.stderr,
            dynamic_ncols=True,
        )
        try:
            for record in records:
                record = record.with_meta(meta.get(record.id))
                if record.brief is not None and record.id in extracted:
                    brief = record.brief.model_copy(update={"extracted_text": extracted[record.id]})
                    record = record.model_copy(update={"brief": brief})
                writer.write(record)
                if record.brief is not None:
                    summary.done += 1
                    summary.partial += bool(record.brief.failures)
                elif record.error is not None:
                    _count_failure(summary, record.error.message)
                bar.update(1)
                bar.set_postfix(failed=summary.failed, refresh=False)
        except KeyboardInterrupt:
            summary.interrupted = True
        finally:
            bar.close()
    if summary.interrupted:
        # Ctrl-C may land between a record reaching the output and the count: recount.
        written = writer.written()
        summary.done = sum(1 for record in written if "brief" in record)
        unrecorded = sum(1 for b in plan.bad if not b.record)
        summary.failed = unrecorded + len(written) - summary.done
    summary.seconds = time.monotonic() - started
    return summary


def _count_failure(summary: BatchSummary, message: str) -> None:
    logger.warning("%s", message)
    summary.failed += 1
    summary.failures.append(message)


def bar_disabled(progress: bool | None, total: int) -> bool | None:
    """tqdm's ``disable`` for a bar of ``total`` items: ``None`` draws it only on a terminal.

    ``progress`` ``True`` forces the bar, ``False`` hides it, ``None`` leaves it to tqdm's
    terminal check; a bar with nothing to count is never drawn.
    """
    if total == 0 or progress is False:
        return True
    return False if progress else None


def _tqdm() -> Any:
    # tqdm ships no type information; its bar is used through ``Any``.
    return importlib.import_module("tqdm").tqdm


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}h{minutes:02d}m{secs:02d}s"
    if minutes:
        return f"{minutes}m{secs:02d}s"
    return f"{seconds:.1f}s"
