"""Tests for gold records: validation, JSONL and Dataset loading, error messages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsbrief.errors import InputError
from newsbrief.eval.gold import GoldRecord, GoldSet, gold_from_dataset, load_gold, write_gold

GOLD_DIR = Path(__file__).resolve().parents[3] / "evals" / "gold"
TEXT = 'Coale said "very productive" today.'


def record(**changes: Any) -> dict[str, Any]:
    """A valid gold record as JSON data; ``changes`` override fields."""
    data: dict[str, Any] = {
        "id": "r1",
        "title": "Talks",
        "text": TEXT,
        "source": "https://example.invalid/talks",
        "licence": "CC BY 2.5",
        "credit": "test",
        "summaries": ["Coale called the talks very productive."],
        "quotes": [
            {"text": "very productive", "start": 12, "end": 27, "speaker": "Coale", "kind": "mixed"}
        ],
        "stances": [{"speaker": "Coale", "target": "the talks", "label": "supportive"}],
        "annotator": "test",
        "notes": "",
    }
    data.update(changes)
    return data


def write_lines(path: Path, *lines: str) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_record_fixture_is_valid() -> None:
    assert TEXT[12:27] == "very productive"
    assert GoldRecord.model_validate(record()).quotes[0].speaker == "Coale"


def test_real_gold_files_load() -> None:
    wikinews = load_gold(GOLD_DIR / "wikinews_politics.jsonl")
    example = load_gold(GOLD_DIR / "example.jsonl")
    gum = load_gold(GOLD_DIR / "gum_news.jsonl")
    assert (len(wikinews), len(example), len(gum)) == (48, 1, 12)
    first = wikinews["wikinews-2019-001"]
    assert first.quotes[0].speaker == "Nancy Pelosi"
    assert first.text[first.quotes[0].start : first.quotes[0].end] == first.quotes[0].text
    assert example["example-belarus-potash"].stances[1].label == "cautious"


def test_directory_loads_every_jsonl_file_in_name_order() -> None:
    gold = load_gold(GOLD_DIR)
    assert len(gold) == 61
    assert gold.ids[0] == "example-belarus-potash"  # example < gum_news < wikinews_politics
    assert "GUM_news_iodine" in gold
    assert "wikinews-2019-001" in gold


def test_list_of_paths_keeps_order() -> None:
    gold = load_gold([GOLD_DIR / "gum_news.jsonl", GOLD_DIR / "example.jsonl"])
    assert gold.ids[0] == "GUM_news_afghan"
    assert gold.ids[-1] == "example-belarus-potash"


def test_bad_offset_names_file_line_and_quote(tmp_path: Path) -> None:
    bad_quote = {"text": "very productive", "start": 11, "end": 26, "speaker": "C", "kind": "mixed"}
    path = write_lines(
        tmp_path / "g.jsonl",
        json.dumps(record()),
        json.dumps(record(id="r2", quotes=[bad_quote])),
    )
    with pytest.raises(InputError) as excinfo:
        load_gold(path)
    message = str(excinfo.value)
    assert f"{path}:2:" in message
    assert "quotes[0]" in message
    assert "text[11:26]" in message


def test_offset_past_end_of_text(tmp_path: Path) -> None:
    bad_quote = {"text": "x", "start": 100, "end": 101, "speaker": None, "kind": "direct"}
    path = write_lines(tmp_path / "g.jsonl", json.dumps(record(quotes=[bad_quote])))
    with pytest.raises(InputError, match=r"g\.jsonl:1: .*quotes\[0\].*length 35"):
        load_gold(path)


def test_duplicate_id_across_files_names_both_places(tmp_path: Path) -> None:
    first = write_lines(tmp_path / "a.jsonl", json.dumps(record()))
    second = write_lines(
        tmp_path / "b.jsonl", json.dumps(record(id="r2")), json.dumps(record(id="r1"))
    )
    with pytest.raises(InputError) as excinfo:
        load_gold([first, second])
    message = str(excinfo.value)
    assert message.startswith(f"{second}:2: duplicate id 'r1'")
    assert f"{first}:1" in message


def test_unknown_label_names_line_and_labels(tmp_path: Path) -> None:
    stance = {"speaker": "Coale", "target": "the talks", "label": "favour"}
    path = write_lines(
        tmp_path / "g.jsonl",
        json.dumps(record(id="r0")),
        "",
        json.dumps(record(stances=[stance])),
    )
    with pytest.raises(InputError) as excinfo:
        load_gold(path)
    message = str(excinfo.value)
    assert f"{path}:3:" in message  # the blank line still counts
    assert "stances[0]: label 'favour' is not one of supportive, opposed, cautious, neutral" in (
        message
    )


def test_custom_labels(tmp_path: Path) -> None:
    stance = {"speaker": "Coale", "target": "the talks", "label": "favour"}
    path = write_lines(tmp_path / "g.jsonl", json.dumps(record(stances=[stance])))
    gold = load_gold(path, labels=("favour", "against"))
    assert gold["r1"].stances[0].label == "favour"
    assert gold.labels == ("favour", "against")
    with pytest.raises(InputError, match="'supportive' is not one of favour, against"):
        load_gold(
            write_lines(tmp_path / "h.jsonl", json.dumps(record())), labels=["favour", "against"]
        )


@pytest.mark.parametrize("labels", [(), "supportive"])
def test_bad_labels_argument(tmp_path: Path, labels: Any) -> None:
    path = write_lines(tmp_path / "g.jsonl", json.dumps(record()))
    with pytest.raises(ValueError, match="labels"):
        load_gold(path, labels=labels)


def test_broken_json_names_line(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "g.jsonl", json.dumps(record()), '{"id": "r2", "text": ')
    with pytest.raises(InputError, match=r"g\.jsonl:2: broken JSON"):
        load_gold(path)


def test_deeply_nested_json_is_an_input_error_naming_the_line(tmp_path: Path) -> None:
    deep = "[" * 100_000 + "]" * 100_000  # issue 23: a RecursionError aborted the eval
    path = write_lines(tmp_path / "g.jsonl", json.dumps(record()), deep)
    with pytest.raises(InputError, match=r"g\.jsonl:2: broken JSON: nested too deeply"):
        load_gold(path)


def test_line_that_is_not_an_object(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "g.jsonl", "[1, 2]")
    with pytest.raises(InputError, match=r"g\.jsonl:1: expected a JSON object, got list"):
        load_gold(path)


def test_missing_and_unknown_fields_are_named(tmp_path: Path) -> None:
    data = record(speakers=["Coale"])
    del data["text"]
    path = write_lines(tmp_path / "g.jsonl", json.dumps(data))
    with pytest.raises(InputError) as excinfo:
        load_gold(path)
    message = str(excinfo.value)
    assert "text: Field required" in message
    assert "speakers: Extra inputs are not permitted" in message
    assert "errors.pydantic.dev" not in message


def test_bad_quote_kind_is_an_input_error(tmp_path: Path) -> None:
    quote = {"text": "very productive", "start": 12, "end": 27, "speaker": None, "kind": "x"}
    path = write_lines(tmp_path / "g.jsonl", json.dumps(record(quotes=[quote])))
    with pytest.raises(InputError, match=r"quotes\.0\.kind"):
        load_gold(path)


@pytest.mark.parametrize("content", ["", "\n\n  \n"])
def test_empty_file_is_an_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=r"empty\.jsonl: no gold records"):
        load_gold(path)


def test_empty_file_among_others_is_an_error(tmp_path: Path) -> None:
    good = write_lines(tmp_path / "a.jsonl", json.dumps(record()))
    empty = tmp_path / "b.jsonl"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match=r"b\.jsonl: no gold records"):
        load_gold([good, empty])


def test_missing_file_and_empty_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such gold file"):
        load_gold(tmp_path / "missing.jsonl")
    with pytest.raises(InputError, match=r"no \*\.jsonl gold files"):
        load_gold(tmp_path)
    with pytest.raises(ValueError, match="paths is empty"):
        load_gold([])


def test_line_separator_inside_a_string_does_not_shift_line_numbers(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "g.jsonl",
        json.dumps(record(notes="a\u2028b"), ensure_ascii=False),
        "not json",
    )
    with pytest.raises(InputError, match=r"g\.jsonl:2: broken JSON"):
        load_gold(path)


def test_write_then_load_round_trip(tmp_path: Path) -> None:
    original = load_gold(GOLD_DIR / "example.jsonl")
    path = tmp_path / "copy.jsonl"
    write_gold(original, path)
    assert load_gold(path).records == original.records
    assert "’" in path.read_text(encoding="utf-8")  # written without ASCII escapes


def test_records_are_frozen() -> None:
    gold_record = GoldRecord.model_validate(record())
    with pytest.raises(ValueError, match="frozen"):
        gold_record.id = "other"


def test_gold_set_rejects_duplicate_ids() -> None:
    gold_record = GoldRecord.model_validate(record())
    with pytest.raises(ValueError, match="unique"):
        GoldSet((gold_record, gold_record))


def test_gold_from_dataset_matches_jsonl() -> None:
    datasets = pytest.importorskip("datasets")
    expected = load_gold(GOLD_DIR)
    # Mixing records with and without reference_systems makes Arrow fill in None values.
    dataset = datasets.Dataset.from_list([r.model_dump() for r in expected])
    assert dataset[0]["reference_systems"] is not None  # a struct of None, not {}
    gold = gold_from_dataset(dataset)
    assert gold.records == expected.records
    assert gold["GUM_news_afghan"].reference_systems["gpt4o"].startswith("An all-girl")


def test_gold_from_dataset_fills_columns_a_row_lacks() -> None:
    datasets = pytest.importorskip("datasets")
    with_systems = record(id="r2", reference_systems={"sys": "A summary."})
    # from_list takes its columns from the first row and fills the others with None.
    dataset = datasets.Dataset.from_list([with_systems, record()])
    assert dataset[1]["reference_systems"] is None
    gold = gold_from_dataset(dataset)
    assert gold["r1"].reference_systems == {}
    assert gold["r2"].reference_systems == {"sys": "A summary."}


def test_gold_from_dataset_names_bad_row() -> None:
    datasets = pytest.importorskip("datasets")
    stance = {"speaker": "Coale", "target": "the talks", "label": "favour"}
    dataset = datasets.Dataset.from_list([record(), record(id="r2", stances=[stance])])
    with pytest.raises(InputError, match=r"^row 1: .*stances\[0\]: label 'favour'"):
        gold_from_dataset(dataset)


def test_gold_from_dataset_duplicate_and_empty() -> None:
    with pytest.raises(InputError, match="row 1: duplicate id 'r1' \\(first at row 0\\)"):
        gold_from_dataset([record(), record()])
    with pytest.raises(InputError, match="no rows"):
        gold_from_dataset([])
