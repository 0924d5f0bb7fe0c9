"""The corpus's speaker merge on Ray Data, for batch outputs larger than one machine.

Step 1 of the merge (the deterministic key, :func:`newsbrief.corpus.speakers.key_stats`) is
a function of a name and its article alone, so it runs per block, in parallel, where the
records are: each block of batch records (``id``, ``brief`` as JSON text, ``error``: the
rows of a ``.parquet`` batch output, ``ray.data.read_parquet(...)``) becomes one row per
key with its summary. The summaries add up per key on the driver (one row per distinct
key, far fewer than the mentions), where steps 2-5 (:func:`merge_keys`) run. The quotes
table is then labelled per block again (:func:`quotes_on_ray`), so no machine ever holds
all the briefs::

    import ray
    from newsbrief.corpus.distributed import merge_on_ray, quotes_on_ray

    records = ray.data.read_parquet("s3://bucket/briefs.parquet/")
    speaker_of_key, speakers, merges = merge_on_ray(records)
    quotes_on_ray(records, speaker_of_key).write_parquet("s3://bucket/corpus/quotes/")
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from typing import Any

from newsbrief.corpus.aliases import Aliases
from newsbrief.corpus.core import speaker_mentions
from newsbrief.corpus.names import Merge, name_key
from newsbrief.corpus.speakers import KeyStats, MergeOptions, Speaker, key_stats, merge_keys
from newsbrief.models import Brief


def _briefs(batch: Mapping[str, Any]) -> dict[str, Brief]:
    """The briefs of a block of batch records (error records and bad briefs left out)."""
    briefs: dict[str, Brief] = {}
    for record_id, brief in zip(batch["id"], batch["brief"], strict=True):
        if brief is not None:
            try:
                briefs[str(record_id)] = Brief.model_validate_json(brief)
            except ValueError:
                continue  # another record version: counted by the single-machine loader
    return briefs


def summarise_block(batch: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``map_batches`` callable: one row per key of the block's mentions (JSON columns)."""
    stats = key_stats(speaker_mentions(_briefs(batch)))
    keys = sorted(stats)
    return {
        "key": keys,
        "kind": [stats[k].kind for k in keys],
        "count": [stats[k].count for k in keys],
        "names": [json.dumps(dict(stats[k].names)) for k in keys],
        "articles": [json.dumps(sorted(stats[k].articles)) for k in keys],
        "titles": [json.dumps(sorted(stats[k].titles)) for k in keys],
    }


def merge_on_ray(
    records: Any, aliases: Aliases | None = None, options: MergeOptions | None = None
) -> tuple[dict[str, str], dict[str, Speaker], list[Merge]]:
    """Merge the speakers of a Ray Dataset of batch records (see the module docstring).

    Returns:
        key -> speaker id, the speakers by id (their ``mentions`` left empty), every merge.
    """
    summaries = records.map_batches(summarise_block, batch_format="numpy")
    stats: dict[str, KeyStats] = {}
    for row in summaries.iter_rows():
        part = KeyStats(
            row["kind"],
            int(row["count"]),
            Counter(json.loads(row["names"])),
            set(json.loads(row["articles"])),
            set(json.loads(row["titles"])),
        )
        key = str(row["key"])
        stats[key] = stats[key] + part if key in stats else part
    return merge_keys(stats, aliases, options)


def quotes_on_ray(records: Any, speaker_of_key: Mapping[str, str]) -> Any:
    """A Ray Dataset of quote rows (``quote_id``, ``article_id``, ``speaker_id``, ``text``,
    ``kind``, ``start``, ``end``) with the merged speaker ids, block by block."""
    table = dict(speaker_of_key)

    def label(batch: Mapping[str, Any]) -> dict[str, list[Any]]:
        rows: dict[str, list[Any]] = {
            k: [] for k in ("quote_id", "article_id", "speaker_id", "text", "kind", "start", "end")
        }
        for article_id, brief in _briefs(batch).items():
            for quote in brief.quotes:
                key = name_key(quote.speaker, article_id)[0] if quote.speaker else None
                rows["quote_id"].append(quote.id)
                rows["article_id"].append(article_id)
                rows["speaker_id"].append(table.get(key) if key else None)
                rows["text"].append(quote.text)
                rows["kind"].append(quote.kind)
                rows["start"].append(quote.start)
                rows["end"].append(quote.end)
        return rows

    return records.map_batches(label, batch_format="numpy")
