"""Benchmark: load and merge a corpus of 10,000 briefs (synthetic, made from real ones).

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_corpus.py BRIEFS.jsonl --n 10000

The briefs of a real batch output are copied until there are ``--n`` of them: copy ``i``
of an article gets the id ``ID~i``; every third copy has its named speakers' first names
replaced by a copy-specific one (``John Coale`` -> ``Ann3 Coale``), so the merge meets new
people sharing surnames and lone surnames become ambiguous, as in a growing corpus. The
file is written once (JSONL), then timed: ``Corpus.from_batch`` (read, validate, merge
speakers, group issues), the tables (``frames``), writing Parquet + CSV, and a DuckDB query;
with ``--ray``, also the merge on a local Ray runtime (2 CPUs) over the same briefs as
Parquet parts (``newsbrief.corpus.distributed.merge_on_ray``).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from newsbrief.corpus.core import Corpus
from newsbrief.corpus.frames import EXAMPLE_QUERIES, connect, frames, write_tables
from newsbrief.corpus.loading import LoadReport, read_batch


def synthetic_batch(source: Path, n: int, out: Path) -> int:
    """Write ``n`` briefs copied from ``source`` (see the module docstring) to ``out``."""
    briefs = read_batch(source, LoadReport())
    if not briefs:
        raise SystemExit(f"{source}: no briefs")
    items = sorted(briefs.items())
    with out.open("w", encoding="utf-8") as handle:
        for i in range(n):
            key, brief = items[i % len(items)]
            copy = i // len(items)
            data = brief.model_dump(mode="json")
            if copy % 3 == 2:
                renamed = {}
                for quote in data["quotes"]:
                    name = quote["speaker"]
                    if name and len(name.split()) >= 2 and name[0].isupper():
                        renamed[name] = f"Ann{copy} " + " ".join(name.split()[1:])
                for item in (*data["quotes"], *data["stances"]):
                    item["speaker"] = renamed.get(item["speaker"], item["speaker"])
            handle.write(json.dumps({"id": f"{key}~{copy}", "brief": data}) + "\n")
    return len(items)


def bench_ray(batch: Path, tmp: Path, corpus: Corpus) -> None:
    """The merge on a local Ray runtime (2 CPUs) over the same briefs as Parquet parts."""
    import ray

    from newsbrief.corpus.distributed import merge_on_ray
    from newsbrief.options import BriefRecord
    from newsbrief.surfaces.batch import open_records

    parquet = tmp / "synthetic.parquet"
    with open_records(parquet) as writer, batch.open(encoding="utf-8") as lines:
        for line in lines:
            writer.write(BriefRecord.model_validate_json(line))
    parts = len(list(parquet.glob("*.parquet")))
    started = time.perf_counter()
    ray.init(num_cpus=2, include_dashboard=False, logging_level="ERROR")
    ready = time.perf_counter()
    records = ray.data.read_parquet(str(parquet))
    _, speakers, _ = merge_on_ray(records)
    done = time.perf_counter()
    ray.shutdown()
    same = sorted(speakers) == sorted(corpus.index.speakers)
    print(f"Ray: start {ready - started:.1f} s, merge {done - ready:.2f} s over {parts} "
          f"Parquet part(s) -> {len(speakers)} speakers (same ids as one machine: "
          f"{same})")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("briefs", type=Path, help="a real batch output (JSONL or .parquet)")
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--ray", action="store_true", help="also merge on a local Ray runtime")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        batch = Path(tmp) / "synthetic.jsonl"
        real = synthetic_batch(args.briefs, args.n, batch)
        print(f"{args.n} briefs from {real} real ones, {batch.stat().st_size / 1e6:.1f} MB")
        started = time.perf_counter()
        corpus = Corpus.from_batch(batch)
        built = time.perf_counter()
        tables = frames(corpus)
        framed = time.perf_counter()
        write_tables(corpus, Path(tmp) / "tables")
        written = time.perf_counter()
        rows = connect(Path(tmp) / "tables").sql(EXAMPLE_QUERIES["most quoted speakers per outlet"])
        rows.fetchall()
        queried = time.perf_counter()
        if args.ray:
            bench_ray(batch, Path(tmp), corpus)
    mentions = len(corpus.index.of_mention)
    print(f"load + merge + issue groups: {built - started:.2f} s "
          f"({mentions} mentions -> {len(corpus.index.speakers)} speakers, "
          f"{len(corpus.issue_groups)} issue groups)")  # fmt: skip
    print(f"tables (pandas): {framed - built:.2f} s ({len(tables['quotes'])} quote rows)")
    print(
        f"Parquet + CSV written: {written - framed:.2f} s; DuckDB query: {queried - written:.2f} s"
    )
    print(f"total: {queried - started:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
