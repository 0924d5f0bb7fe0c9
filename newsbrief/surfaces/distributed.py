"""Brief a corpus on Ray: Ray Data ``map_batches`` over a pool of actors, one ``Briefer`` each.

Install with ``pip install 'newsbrief[ray]'``; ``ray`` is imported only when these functions
run. Each actor loads its model once and briefs the articles it is handed with
``Briefer.brief_many``; a failed article becomes an error record, exactly as in batch mode
(``newsbrief.surfaces.batch``), so the output of a Ray run and of ``newsbrief brief --batch``
are the same records (:class:`newsbrief.options.BriefRecord`).

Files in, resumable output (what ``newsbrief brief --batch IN --out OUT --ray`` runs)::

    from newsbrief.surfaces.distributed import brief_files

    summary = brief_files("articles.jsonl", "briefs.jsonl", address="auto", actors=8)
    summary = brief_files("in.jsonl", "out.jsonl", options=BriefOptions(target="the sanctions"))

Any Ray Dataset in (columns ``id``, ``text`` and optionally ``title``), records out::

    import ray
    from newsbrief.surfaces.distributed import brief_ray_dataset, iter_records

    articles = ray.data.read_parquet("s3://bucket/articles/")
    records = brief_ray_dataset(articles, actors=8)  # lazy: columns id, brief, error
    records.write_parquet("s3://bucket/briefs/")     # or: for r in iter_records(records)

The record rows have :func:`newsbrief.surfaces.batch.parquet_schema`: ``id``, ``brief`` (the
Brief as JSON text, null for a failure) and ``error`` (``type`` and ``message``, null for a
brief). A Hugging Face ``datasets.Dataset`` is briefed into columns by
``newsbrief.surfaces.hf_datasets.brief_hf_dataset``.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsbrief.errors import NewsbriefError
from newsbrief.options import BriefOptions, BriefRecord
from newsbrief.surfaces.batch import (
    BatchPlan,
    BatchSummary,
    InputOptions,
    check_output,
    plan_batch,
    read_inputs,
    records_table,
    write_batch,
)

if TYPE_CHECKING:
    from newsbrief.backends.options import LoadOptions
    from newsbrief.briefer import Briefer

logger = logging.getLogger(__name__)

INSTALL_HINT = "pip install 'newsbrief[ray]'"

#: Articles are handed to the actors in blocks of one article, up to this many blocks (more
#: articles share blocks). A block's records reach the output when its last one is done.
MAX_INPUT_BLOCKS = 10_000


class RayConnectionError(NewsbriefError, ConnectionError):
    """No Ray cluster answers at the address given (``"auto"`` with no ``ray start``...).

    A ``ConnectionError`` too, so code that catches Ray's own error keeps working.
    """


def import_ray() -> Any:
    """The ``ray`` module with Ray Data loaded.

    Raises:
        ImportError: Ray is not installed (the message says what to install).
    """
    try:
        import ray
        import ray.data
    except ImportError as exc:
        raise ImportError(f"briefing on Ray needs Ray Data: {INSTALL_HINT}") from exc
    return ray


class BrieferActor:
    """The ``map_batches`` callable of :func:`brief_ray_dataset`: one loaded ``Briefer``.

    Ray Data makes one instance per actor, so the model loads once per actor, then turns
    each batch of article rows into a batch of record rows.

    Args:
        make_briefer: builds the actor's ``Briefer`` (default:
            ``Briefer(load_options=load_options)``, the embedded model); it is pickled to
            the actors, so it must be importable there or picklable by value (a
            ``functools.partial`` of an installed function is both).
        options: what to produce and the settings (``None``: the Briefer's).
        load_options: how the default Briefer loads its model (device, dtype, ...);
            excludes ``make_briefer``.
        id_column: the column holding ids (each made a string).
        text_column: the column holding texts.
        title_column: a column holding headlines (ignored when a batch lacks it).
        where_column: a column naming each article's source for error messages (default:
            the id).
    """

    def __init__(
        self,
        make_briefer: Callable[[], Briefer] | None = None,
        options: BriefOptions | None = None,
        *,
        load_options: LoadOptions | None = None,
        id_column: str = "id",
        text_column: str = "text",
        title_column: str | None = "title",
        where_column: str | None = None,
    ) -> None:
        _check_briefer_choice(make_briefer, load_options)
        if make_briefer is None:
            from newsbrief.briefer import Briefer

            self.briefer = Briefer(load_options=load_options)
        else:
            self.briefer = make_briefer()
        self.options = options
        self.id_column = id_column
        self.text_column = text_column
        self.title_column = title_column
        self.where_column = where_column

    def __call__(self, batch: Any) -> Any:
        """Brief the articles of a ``pyarrow.Table``; their records as a ``pyarrow.Table``."""
        rows = batch.to_pylist()
        items = [
            (
                str(row[self.id_column]),
                row[self.text_column],
                row.get(self.title_column) if self.title_column else None,
            )
            for row in rows
        ]
        where = {
            article_id: (row.get(self.where_column) if self.where_column else None) or article_id
            for (article_id, _, _), row in zip(items, rows, strict=True)
        }
        records = self.briefer.brief_many(items, self.options)
        return records_table(record.located(where[record.id]) for record in records)


def _check_briefer_choice(
    make_briefer: Callable[[], Briefer] | None, load_options: LoadOptions | None
) -> None:
    if make_briefer is not None and load_options is not None:
        raise ValueError(
            "pass either make_briefer= or load_options= (for the default Briefer), not both"
        )


def brief_ray_dataset(
    dataset: Any,
    make_briefer: Callable[[], Briefer] | None = None,
    options: BriefOptions | None = None,
    *,
    actors: int = 1,
    cpus_per_actor: float = 1.0,
    id_column: str = "id",
    text_column: str = "text",
    title_column: str | None = "title",
    where_column: str | None = None,
    load_options: LoadOptions | None = None,
) -> Any:
    """Brief every row of a Ray Dataset on a pool of actors; returns the records (lazy).

    Nothing runs until the result is consumed (``iter_records``, ``write_parquet``,
    ``take_all``...). Every article gets one row, a failed one an error row.

    Args:
        dataset: a ``ray.data.Dataset`` with an id and a text column.
        make_briefer: builds each actor's ``Briefer`` (see :class:`BrieferActor`).
        actors: the size of the actor pool (models loaded at once).
        cpus_per_actor: CPUs Ray reserves for each actor; Ray also sets the actor's
            thread count (``OMP_NUM_THREADS``) from it, which torch follows.
        options: what to produce and the settings (``None``: each Briefer's own).
        id_column: the column holding ids.
        text_column: the column holding texts.
        title_column: a column holding headlines, used when the dataset has it.
        where_column: a column naming each article's source for error messages.
        load_options: how the default Briefer loads its model (see :class:`BrieferActor`).

    Raises:
        ImportError: Ray is not installed.
        ValueError: ``actors`` or ``cpus_per_actor`` is not positive, ``make_briefer`` and
            ``load_options`` are both given, or the dataset's schema (when known without
            reading it) lacks the id or text column.
    """
    _check_briefer_choice(make_briefer, load_options)
    ray = import_ray()
    if actors < 1:
        raise ValueError("actors must be at least 1")
    if cpus_per_actor <= 0:
        raise ValueError("cpus_per_actor must be positive")
    schema = dataset.schema(fetch_if_missing=False)
    if schema is not None:
        names = list(schema.names)
        for column in (id_column, text_column):
            if column not in names:
                raise ValueError(f"no column {column!r} in the dataset; columns: {names}")
    return dataset.map_batches(
        BrieferActor,
        fn_constructor_kwargs={
            "make_briefer": make_briefer,
            "options": options,
            "id_column": id_column,
            "text_column": text_column,
            "title_column": title_column,
            "where_column": where_column,
            "load_options": load_options,
        },
        # One article per call: a brief takes seconds, so batching buys nothing, and an
        # actor that finishes early takes the next article instead of waiting on a queue.
        batch_size=1,
        batch_format="pyarrow",
        compute=ray.data.ActorPoolStrategy(size=actors, max_tasks_in_flight_per_actor=1),
        num_cpus=cpus_per_actor,
    )


def iter_records(records: Any) -> Iterator[BriefRecord]:
    """The records of a :func:`brief_ray_dataset` result, each as soon as its block is done.

    Yields the records as ``newsbrief.surfaces.batch`` writes them
    (:class:`~newsbrief.options.BriefRecord`: ``record.to_json()`` is the JSONL line).

    Raises:
        NewsbriefError: an actor could not start (e.g. ``ModelLoadError``), unwrapped
            from Ray's exception around it.
    """
    try:
        for table in records.iter_batches(batch_size=None, batch_format="pyarrow"):
            for row in table.to_pylist():
                yield BriefRecord.from_row(row)
    except Exception as exc:
        cause = _newsbrief_cause(exc)
        if cause is None:
            raise
        raise cause from exc


def _newsbrief_cause(exc: BaseException) -> NewsbriefError | None:
    """The newsbrief error inside Ray's wrappers (``cause``, ``args``, chained), if any."""
    seen: set[int] = set()
    pending: list[object] = [exc]
    while pending:
        item = pending.pop()
        if not isinstance(item, BaseException) or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, NewsbriefError):
            return item
        pending += [getattr(item, "cause", None), item.__cause__, item.__context__, *item.args]
    return None


@contextmanager
def ray_runtime(address: str | None = None) -> Iterator[Any]:
    """Ray, connected, for the ``with`` block: the runtime already up, or one started here.

    A runtime started here is shut down at the end of the block; one already initialised
    in this process (e.g. by your own ``ray.init``) is used as it is and left running.

    Args:
        address: the cluster to connect to (``"auto"``, ``"ray://head:10001"``,
            ``"head:6379"``); ``None`` does what ``ray.init()`` does: ``$RAY_ADDRESS`` if
            set, else a new local runtime on this machine's cores.

    Raises:
        RayConnectionError: no cluster answers at ``address`` (one line saying what to do).
    """
    ray = import_ray()
    if ray.is_initialized():
        if address is not None:
            logger.warning("Ray is already initialised in this process; ignoring %s", address)
        yield ray
        return
    try:
        ray.init(address=address, logging_level=logging.WARNING)
    except ConnectionError as exc:
        where = address or "$RAY_ADDRESS"
        raise RayConnectionError(
            f"no Ray cluster at {where!r} ({' '.join(str(exc).split())}): start one "
            "(ray start --head) or give its address, or leave the address out to run a "
            "local Ray on this machine"
        ) from None
    try:
        yield ray
    finally:
        ray.shutdown()


def brief_files(
    source: str,
    out: str | Path,
    make_briefer: Callable[[], Briefer] | None = None,
    options: BriefOptions | None = None,
    *,
    input_options: InputOptions | None = None,
    retry_failed: bool = False,
    address: str | None = None,
    actors: int = 1,
    cpus_per_actor: float = 1.0,
    progress: bool | None = None,
) -> BatchSummary:
    """Brief a batch input on Ray into ``out``, resumably, as batch mode does in one process.

    The input is read as ``newsbrief brief --batch`` reads it (:func:`read_inputs`), ids
    already in ``out`` are skipped, and each record is appended as it arrives.

    Args:
        source: a JSONL file, a directory of ``.txt``/``.html`` files, or ``-``.
        out: the JSONL output, or a ``.parquet`` output directory.
        make_briefer: builds each actor's ``Briefer`` (see :class:`BrieferActor`).
        options: what to produce and the settings (``None``: each Briefer's own).
        input_options: field names and HTML handling of the input (default:
            ``InputOptions()``).
        retry_failed: brief ids whose earlier record is an error again.
        address: the Ray cluster (see :func:`ray_runtime`).
        actors: the size of the actor pool.
        cpus_per_actor: CPUs reserved for (and threads used by) each actor.
        progress: show a progress bar on standard error (``None``: only on a terminal).

    Raises:
        InputError: the input cannot be read.
        ModelLoadError: the actors cannot load the model.
        ImportError: Ray is not installed.
    """
    out = Path(out)
    check_output(out, source)
    items = read_inputs(source, input_options or InputOptions(), output=out)
    plan = plan_batch(items, out, retry_failed=retry_failed)
    return brief_plan(
        plan,
        out,
        make_briefer,
        options,
        address=address,
        actors=actors,
        cpus_per_actor=cpus_per_actor,
        progress=progress,
    )


def brief_plan(
    plan: BatchPlan,
    out: Path,
    make_briefer: Callable[[], Briefer] | None = None,
    options: BriefOptions | None = None,
    *,
    address: str | None = None,
    actors: int = 1,
    cpus_per_actor: float = 1.0,
    progress: bool | None = None,
) -> BatchSummary:
    """Run a :func:`newsbrief.surfaces.batch.plan_batch` plan on Ray (see :func:`brief_files`).

    With nothing left to brief, Ray is not started.
    """
    if not plan.articles:
        return write_batch(plan, [], out, progress=progress)
    with ray_runtime(address) as ray, _ray_data_quiet(ray):
        _warn_if_pool_does_not_fit(ray, actors * cpus_per_actor)
        rows = [
            {"id": a.id, "text": a.text, "title": a.title, "where": a.where} for a in plan.articles
        ]
        per_block = math.ceil(len(rows) / MAX_INPUT_BLOCKS)
        blocks = math.ceil(len(rows) / per_block)
        records = brief_ray_dataset(
            ray.data.from_items(rows, override_num_blocks=blocks),
            make_briefer,
            options,
            actors=actors,
            cpus_per_actor=cpus_per_actor,
            where_column="where",
        )
        return write_batch(plan, iter_records(records), out, progress=progress)


def _warn_if_pool_does_not_fit(ray: Any, cpus: float) -> None:
    available = ray.cluster_resources().get("CPU", 0.0)
    if cpus > available:
        logger.warning(
            "the actor pool asks for %g CPUs and the cluster has %g: actors that do not "
            "fit wait for the cluster to grow (or lower --actors or --cpus-per-actor)",
            cpus,
            available,
        )


@contextmanager
def _ray_data_quiet(ray: Any) -> Iterator[None]:
    """No Ray Data progress bars or progress log lines: the run shows its own bar."""
    context = ray.data.DataContext.get_current()
    # Ray Data logs each run's plan and progress at INFO, and warns that its bars are off.
    levels = {"ray.data": logging.WARNING, "ray.data._internal.progress": logging.ERROR}
    saved = {name: logging.getLogger(name).level for name in levels}
    bars = context.enable_progress_bars
    context.enable_progress_bars = False
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)
    try:
        yield
    finally:
        context.enable_progress_bars = bars
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)
