"""Batch briefing: many articles in, one record per article out, resumable.

Inputs (:mod:`.readers`) are a JSONL file (or standard input) with one article per line, or
a directory of ``.txt`` (and ``.html``) files. Each article's record
(:class:`newsbrief.options.BriefRecord`) is appended to the output (:mod:`.writers`: a JSONL
file, or a ``*.parquet`` directory of part files) as soon as it is made; a rerun reads the
ids already there and skips them (:mod:`.resume`). The run (:mod:`.run`) is
``Briefer.brief_many`` over the articles left, in this process or on worker processes
(:mod:`.workers`, ``--workers N``: the parent alone writes the output). Records::

    {"id": "a1", "brief": {...}}                                  # a Brief as JSON
    {"id": "a2", "error": {"type": "InputError", "message": "..."}}
"""

from newsbrief.surfaces.batch.readers import (
    TEXT_SUFFIXES,
    Article,
    BadInput,
    InputOptions,
    Item,
    read_directory,
    read_inputs,
    read_jsonl,
)
from newsbrief.surfaces.batch.resume import (
    BatchPlan,
    finished_ids,
    parse_record,
    plan_batch,
    recorded_ids,
)
from newsbrief.surfaces.batch.run import (
    BatchSummary,
    bar_disabled,
    plan_records,
    run_batch,
    write_batch,
)
from newsbrief.surfaces.batch.workers import (
    WorkersGone,
    check_workers,
    run_batch_in_workers,
    worker_threads,
)
from newsbrief.surfaces.batch.writers import (
    PARQUET_SUFFIX,
    ParquetRecordWriter,
    RecordWriter,
    check_output,
    forget_inherited_locks,
    is_parquet_output,
    open_records,
    output_lock,
    parquet_schema,
    read_parquet_records,
    records_table,
)

__all__ = [
    "PARQUET_SUFFIX",
    "TEXT_SUFFIXES",
    "Article",
    "BadInput",
    "BatchPlan",
    "BatchSummary",
    "InputOptions",
    "Item",
    "ParquetRecordWriter",
    "RecordWriter",
    "WorkersGone",
    "bar_disabled",
    "check_output",
    "check_workers",
    "finished_ids",
    "forget_inherited_locks",
    "is_parquet_output",
    "open_records",
    "output_lock",
    "parquet_schema",
    "parse_record",
    "plan_batch",
    "plan_records",
    "read_directory",
    "read_inputs",
    "read_jsonl",
    "read_parquet_records",
    "recorded_ids",
    "records_table",
    "run_batch",
    "run_batch_in_workers",
    "worker_threads",
    "write_batch",
]
