"""Briefing a datasets.Dataset column in batches into flat columns."""

from __future__ import annotations

from typing import Any

import pytest
from test_cli import ARTICLE, scripted_briefer

from newsbrief.hf_datasets import BRIEF_COLUMNS, brief_batch_fn, brief_dataset, brief_to_columns
from newsbrief.models import Brief

datasets = pytest.importorskip("datasets")

NO_QUOTES = "The council met on Tuesday and voted on the new bridge plan for the town."


def make_dataset() -> Any:
    return datasets.Dataset.from_dict(
        {
            "id": ["plain", "quoted", "empty"],
            "body": [NO_QUOTES, ARTICLE, "   "],
            "headline": ["Council meets", "Bridge", "Nothing"],
        }
    )


def test_brief_dataset_adds_flat_columns() -> None:
    briefer = scripted_briefer()
    out = brief_dataset(
        make_dataset(),
        briefer,
        text_column="body",
        title_column="headline",
        target="the new bridge plan",
        batch_size=1,  # the first batch has no quotes: column types must still be right
    )
    assert out.column_names == ["id", "body", "headline", *BRIEF_COLUMNS]
    assert out.features["quote_starts"].feature.dtype == "int64"
    assert out.features["stance_confidences"].feature.dtype == "float64"
    plain, quoted, empty = out
    assert plain["quote_texts"] == [] and plain["brief_error"] is None
    assert plain["summary"].startswith("The council met on Tuesday and voted on the new bridge")
    expected = briefer.brief(ARTICLE, "Bridge", "the new bridge plan")
    assert quoted["quote_texts"] == [q.text for q in expected.quotes]
    assert quoted["quote_speakers"] == ["Ann Lopez", "Ann Lopez", "Tom Reed"]
    assert [
        ARTICLE[s:e] for s, e in zip(quoted["quote_starts"], quoted["quote_ends"], strict=True)
    ] == (quoted["quote_texts"])
    assert quoted["stance_speakers"] == ["Ann Lopez", "Tom Reed"]
    assert quoted["stance_labels"] == ["supportive", "opposed"]
    assert quoted["stance_confidences"] == [s.confidence for s in expected.stances]
    assert quoted["issue"] == "the new bridge plan"
    assert Brief.model_validate_json(quoted["brief_json"]).title == "Bridge"
    assert empty["brief_error"] == "InputError: text is empty or whitespace only"
    assert (empty["summary"], empty["quote_texts"], empty["brief_json"]) == ("", [], "")


def test_switches_reach_the_briefer() -> None:
    out = brief_dataset(
        make_dataset().select([1]),
        scripted_briefer(),
        text_column="body",
        summary=False,
        stances=False,
    )
    (row,) = out
    assert (row["summary"], row["issue"], row["stance_labels"]) == ("", "", [])
    assert len(row["quote_texts"]) == 3


def test_on_error_raise_stops_at_the_bad_article() -> None:
    from newsbrief.errors import InputError

    with pytest.raises(InputError, match="empty"):
        brief_dataset(
            make_dataset(),
            scripted_briefer(),
            text_column="body",
            on_error="raise",
            summary=False,
            stances=False,
        )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"text_column": "text"}, "no column 'text'"),
        ({"text_column": "body", "title_column": "title"}, "no column 'title'"),
        ({"text_column": "body", "on_error": "ignore"}, "on_error must be"),
    ],
)
def test_bad_arguments(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        brief_dataset(make_dataset(), scripted_briefer(), **kwargs)


def test_existing_brief_columns_are_not_overwritten() -> None:
    data = make_dataset().add_column("summary", ["a", "b", "c"])
    with pytest.raises(ValueError, match=r"already has brief columns \['summary'\]"):
        brief_dataset(data, scripted_briefer(), text_column="body")


def test_batch_fn_works_with_a_plain_dict_batch() -> None:
    fn = brief_batch_fn(scripted_briefer(), text_column="body", summary=False, stances=False)
    columns = fn({"body": [ARTICLE, NO_QUOTES]})
    assert set(columns) == set(BRIEF_COLUMNS)
    assert [len(x) for x in columns["quote_texts"]] == [3, 0]
    with pytest.raises(KeyError, match="no column 'body'"):
        fn({"text": [ARTICLE]})


def test_failed_row_has_empty_values() -> None:
    row = brief_to_columns(None, "InputError: bad")
    assert row["brief_error"] == "InputError: bad"
    assert row["quote_starts"] == [] and row["summary"] == ""
