"""Tests for converting GUM news records into gold records."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsbrief.errors import InputError
from newsbrief.eval.gold import load_gold
from newsbrief.eval.gum import GUM_CREDIT, GUM_LICENCE, gum_to_gold

GUM_GOLD = Path(__file__).resolve().parents[3] / "evals" / "gold" / "gum_news.jsonl"
GUM_SOURCE = Path("/work/shared/data/gum/gum_news_dev.jsonl")


def gum_row(**changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": "GUM_news_x",
        "genre": "news",
        "title": "Title",
        "source_url": "https://en.wikinews.org/wiki/X",
        "date_created": "2017-07-18",
        "text": "Title\n\nFriday, July 21, 2017\n\nBody.",
        "human_summaries": ["A human summary."],
        "model_summaries": [{"by": "sys-a", "text": "A."}, {"by": "sys-b", "text": "B."}],
    }
    row.update(changes)
    return row


def write_rows(path: Path, *rows: dict[str, Any]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_fields_are_mapped(tmp_path: Path) -> None:
    [gold] = gum_to_gold(write_rows(tmp_path / "gum.jsonl", gum_row()))
    assert gold.id == "GUM_news_x"
    assert gold.source == "https://en.wikinews.org/wiki/X"
    assert gold.text == "Title\n\nFriday, July 21, 2017\n\nBody."
    assert gold.summaries == ("A human summary.",)
    assert gold.reference_systems == {"sys-a": "A.", "sys-b": "B."}
    assert gold.licence == "CC BY 2.5 (text); CC BY 4.0 (summaries)" == GUM_LICENCE
    assert gold.credit == "Wikinews contributors; GUM corpus (Zeldes 2017)" == GUM_CREDIT
    assert gold.quotes == () and gold.stances == ()


def test_system_summarising_twice_is_an_error(tmp_path: Path) -> None:
    twice = [{"by": "sys-a", "text": "A."}, {"by": "sys-a", "text": "A again."}]
    path = write_rows(tmp_path / "gum.jsonl", gum_row(), gum_row(id="y", model_summaries=twice))
    with pytest.raises(InputError, match=r"gum\.jsonl:2: system 'sys-a' has two summaries"):
        gum_to_gold(path)


def test_missing_field_names_line(tmp_path: Path) -> None:
    row = gum_row()
    del row["human_summaries"]
    path = write_rows(tmp_path / "gum.jsonl", row)
    with pytest.raises(InputError, match=r"gum\.jsonl:1: not a GUM news record.*human_summaries"):
        gum_to_gold(path)


def test_empty_text_is_an_input_error(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "gum.jsonl", gum_row(text=""))
    with pytest.raises(InputError, match=r"gum\.jsonl:1: cannot make a gold record: text"):
        gum_to_gold(path)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "gum.jsonl"
    path.write_text("\n", encoding="utf-8")
    with pytest.raises(InputError, match="no GUM records"):
        gum_to_gold(path)


def test_committed_gum_gold_loads() -> None:
    gold = load_gold(GUM_GOLD)
    assert len(gold) == 12
    iodine = gold["GUM_news_iodine"]
    assert len(iodine.summaries) == 5
    assert iodine.reference_systems == {}
    afghan = gold["GUM_news_afghan"]
    assert set(afghan.reference_systems) == {
        "claude-3-5-sonnet-20241022",
        "gpt4o",
        "Llama-3.2-3B-Instruct",
        "Qwen2.5-7B-Instruct",
    }


@pytest.mark.skipif(not GUM_SOURCE.exists(), reason="shared GUM data not present")
def test_committed_gum_gold_is_the_conversion_of_the_source() -> None:
    assert tuple(gum_to_gold(GUM_SOURCE)) == load_gold(GUM_GOLD).records
