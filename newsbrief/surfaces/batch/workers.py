"""A batch on worker processes of this machine, each with its own ``Briefer``.

What ``newsbrief brief --batch IN --out OUT --workers N`` runs. The parent process loads no
model: it forks ``N`` workers, hands each one article at a time (the next goes to whichever
finishes first) and is the only writer of ``OUT``, through :func:`.run.write_batch` (the
lock, the fsynced appends, the resume rules are batch mode's). A worker makes its
``Briefer`` with ``make_briefer``, runs ``os.cpu_count() // N`` torch threads (at least
one), and briefs its articles with ``Briefer.brief_many``. Records are written as workers
finish them, so their order may differ from the input's.

Only a whole record, received from a worker, is written. A worker that dies (killed, out
of memory) leaves the article it held as an error record (``WorkerDied``:
``--retry-failed`` briefs it again) and the others go on; when every worker is gone the run
stops with the records written so far, which a rerun resumes from. Workers end with the
parent, however it ends (they ignore Ctrl-C, which the parent handles).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import TYPE_CHECKING, Any

from newsbrief.errors import NewsbriefError
from newsbrief.options import BriefOptions, BriefRecord
from newsbrief.surfaces.batch.readers import Article
from newsbrief.surfaces.batch.resume import BatchPlan
from newsbrief.surfaces.batch.run import BatchSummary, write_batch
from newsbrief.surfaces.batch.writers import forget_inherited_locks

if TYPE_CHECKING:
    from pathlib import Path

    from newsbrief.briefer import Briefer

logger = logging.getLogger(__name__)

#: The error type of the record of an article whose worker died while briefing it.
WORKER_DIED = "WorkerDied"


class WorkersGone(NewsbriefError):
    """Every worker process of a batch died before the batch was done."""


def check_workers(workers: int) -> None:
    """Refuse a worker count below 1 or above this machine's cores (``os.cpu_count()``).

    Raises:
        ValueError: the count is out of range (the message says the range).
    """
    cores = os.cpu_count() or 1
    if not 1 <= workers <= cores:
        raise ValueError(
            f"--workers must be from 1 to {cores} (this machine's cores), not {workers}"
        )


def worker_threads(workers: int) -> int:
    """Torch threads for each of ``workers`` processes: the cores shared out, at least 1."""
    return max(1, (os.cpu_count() or 1) // workers)


def run_batch_in_workers(
    plan: BatchPlan,
    make_briefer: Callable[[], Briefer],
    out: Path,
    *,
    workers: int,
    options: BriefOptions | None = None,
    progress: bool | None = None,
) -> BatchSummary:
    """Brief ``plan`` on ``workers`` processes, writing each record to ``out`` from here.

    Args:
        plan: from :func:`~newsbrief.surfaces.batch.plan_batch`.
        make_briefer: builds a worker's ``Briefer`` (called in the worker, after the fork).
        out: the JSONL output (appended to), or a Parquet output directory.
        workers: how many processes (fewer when fewer articles are left).
        options: what to produce and the settings (``None``: each Briefer's own).
        progress: show a progress bar (as for :func:`~newsbrief.surfaces.batch.run_batch`).

    Raises:
        WorkersGone: every worker died with articles left (the records written are kept).
        NewsbriefError: a worker could not make its Briefer (e.g. ``ModelLoadError``).
    """
    if not plan.articles:  # nothing left to brief: no worker, no model
        return write_batch(plan, [], out, progress=progress)
    count = min(workers, len(plan.articles))
    # Started before the output is opened, so no worker inherits the writer's descriptor.
    with _WorkerPool(make_briefer, options, count, worker_threads(workers)) as pool:
        return write_batch(plan, pool.records(plan.articles), out, progress=progress)


@dataclass
class _Worker:
    process: Any  # multiprocessing's fork Process (untyped context API)
    connection: Connection
    article: Article | None = None


class _WorkerPool:
    """``count`` forked workers, each fed one article at a time over its own pipe."""

    def __init__(
        self,
        make_briefer: Callable[[], Briefer],
        options: BriefOptions | None,
        count: int,
        threads: int,
    ) -> None:
        self.make_briefer = make_briefer
        self.options = options
        self.count = count
        self.threads = threads
        self.workers: list[_Worker] = []

    def __enter__(self) -> _WorkerPool:
        context = multiprocessing.get_context("fork")
        try:
            for _ in range(self.count):
                ours, theirs = context.Pipe()
                process = context.Process(
                    target=_work,
                    args=(
                        theirs,
                        [w.connection for w in self.workers] + [ours],
                        self.make_briefer,
                        self.options,
                        self.threads,
                        os.getpid(),
                    ),
                    daemon=True,
                )
                process.start()
                theirs.close()  # the worker's end lives in the worker only: its death is EOF
                self.workers.append(_Worker(process, ours))
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        for worker in self.workers:
            worker.connection.close()  # an idle worker reads EOF and ends
        for worker in self.workers:
            worker.process.join(timeout=0.5)
            if worker.process.is_alive():  # busy with an article no one will write
                worker.process.terminate()
                worker.process.join(timeout=5)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()

    def records(self, articles: list[Article]) -> Iterator[BriefRecord]:
        """The record of every article, as workers finish them, error messages located."""
        pending = deque(articles)
        for worker in self.workers:
            self._hand_next(worker, pending)
        live = list(self.workers)
        while live:
            ready = wait([w.connection for w in live])
            for worker in [w for w in live if w.connection in ready]:
                try:
                    kind, payload = worker.connection.recv()
                except (EOFError, OSError):
                    live.remove(worker)
                    died = self._died(worker)
                    if died is not None:
                        yield died
                    continue
                if kind == "failed":
                    raise _as_newsbrief_error(payload)
                held, worker.article = worker.article, None
                record: BriefRecord = payload
                yield record.located(held.where if held is not None else "")
                self._hand_next(worker, pending)
            if pending and not live:
                raise WorkersGone(
                    f"every worker process died with {len(pending)} articles left; the "
                    "records written are kept: rerun the same command to resume"
                )

    def _hand_next(self, worker: _Worker, pending: deque[Article]) -> None:
        article = pending.popleft() if pending else None
        try:
            worker.connection.send(
                None if article is None else (article.id, article.text, article.title)
            )
        except OSError:  # the worker is gone (its EOF is read next): another takes the article
            if article is not None:
                pending.appendleft(article)
            return
        worker.article = article

    def _died(self, worker: _Worker) -> BriefRecord | None:
        """The error record of the article a dead worker held (``None`` when it held none)."""
        worker.process.join(timeout=5)
        article, worker.article = worker.article, None
        if article is None:
            return None
        code = worker.process.exitcode
        how = (
            f"killed by signal {-code}" if code is not None and code < 0 else f"exit status {code}"
        )
        logger.warning("a worker process died (%s) while briefing %s", how, article.id)
        record = BriefRecord.failed(
            article.id,
            WORKER_DIED,
            f"the worker process briefing it died ({how}; out of memory?); "
            "--retry-failed briefs it again",
        )
        return record.located(article.where)


def _as_newsbrief_error(payload: object) -> NewsbriefError:
    if isinstance(payload, NewsbriefError):
        return payload
    return NewsbriefError(f"a worker process failed: {payload}")


def _work(
    connection: Connection,
    inherited: list[Connection],
    make_briefer: Callable[[], Briefer],
    options: BriefOptions | None,
    threads: int,
    parent: int,
) -> None:
    """A worker's life: make the Briefer, then brief what the parent sends until EOF/None."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _die_with(parent)
    for other in inherited:  # the parent's ends of the pipes: held here, no EOF would come
        other.close()
    forget_inherited_locks()  # else a killed parent's lock would outlive it in here
    _use_threads(threads)
    try:
        briefer = make_briefer()
        _use_threads(threads)  # torch imported by the model load: set on it too
        for record in briefer.brief_many(_articles(connection), options):
            connection.send(("record", record))
    except (EOFError, BrokenPipeError):  # the parent is gone
        return
    except Exception as exc:  # the parent raises it: a model that cannot load, ...
        with contextlib.suppress(OSError):
            try:
                connection.send(("failed", exc))
            except Exception:  # an exception that does not pickle: its words then
                connection.send(("failed", f"{type(exc).__name__}: {exc}"))


def _use_threads(threads: int) -> None:
    """``threads`` for this worker's torch: read from the environment when torch is first
    imported, set on it when it is imported already."""
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = str(threads)
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(threads)


def _articles(connection: Connection) -> Iterator[tuple[str, str, str | None]]:
    """The ``(id, text, title)`` items the parent sends, until it sends ``None`` or goes."""
    while True:
        try:
            item = connection.recv()
        except EOFError:
            return
        if item is None:
            return
        yield item


def _die_with(parent: int) -> None:
    """Ask Linux to kill this worker when the parent dies (a ``kill -9`` included), so no
    worker outlives the run; elsewhere a worker ends at its next read instead."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # died before the request was made
        os._exit(1)
