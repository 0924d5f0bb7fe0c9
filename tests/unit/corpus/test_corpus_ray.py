"""The speaker merge on Ray Data equals the merge on one machine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from newsbrief.corpus.core import Corpus
from newsbrief.options import BriefRecord, RecordError
from newsbrief.surfaces.batch import open_records
from tests.unit.corpus.briefs import make_brief

pytest.importorskip("ray")


def test_merge_on_ray_equals_the_local_merge(ray_local: Any, tmp_path: Path) -> None:
    import ray

    from newsbrief.corpus.distributed import merge_on_ray, quotes_on_ray

    briefs = {
        "a1": make_brief([("John Coale", "Lift them"), ("police", "Calm")]),
        "a2": make_brief([("US Special Envoy John Coale", "Soon"), ("Joe Biden", "No")]),
        "a3": make_brief([("Coale", "Yes"), ("Hunter Biden", "Maybe"), ("police", "Two held")]),
    }
    out = tmp_path / "briefs.parquet"
    with open_records(out) as writer:
        for key, brief in briefs.items():
            writer.write(BriefRecord(id=key, brief=brief))
        writer.write(BriefRecord(id="bad", error=RecordError(type="InputError", message="x")))
    records = ray.data.read_parquet(str(out)).repartition(3)  # several blocks
    speaker_of_key, speakers, merges = merge_on_ray(records)
    local = Corpus.from_briefs(briefs)
    assert sorted(speakers) == sorted(local.index.speakers)
    assert {s.id: s.variants for s in speakers.values()} == {
        s.id: s.variants for s in local.index.speakers.values()
    }
    assert merges == local.index.merges
    quotes = quotes_on_ray(records, speaker_of_key).to_pandas()
    expected = {
        (key, q.id): local.speaker_of(key, q.speaker) for key, b in briefs.items() for q in b.quotes
    }
    found = {
        (a, q): s
        for a, q, s in zip(
            quotes["article_id"], quotes["quote_id"], quotes["speaker_id"], strict=True
        )
    }
    assert found == expected
