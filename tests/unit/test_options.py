"""BriefOptions (every option once), BriefRecord (the record format) and Briefer.brief_many."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

import newsbrief
from newsbrief.briefer import Briefer
from newsbrief.errors import GenerationError
from newsbrief.models import Brief
from newsbrief.options import BriefOptions, BriefRecord, RecordError
from tests.unit.surfaces.test_cli import ARTICLE, scripted_briefer

# -- BriefOptions ---------------------------------------------------------------------


def test_options_are_checked_when_made() -> None:
    with pytest.raises(ValueError, match="target"):
        BriefOptions(target="  ")
    with pytest.raises(ValueError, match="labels"):
        BriefOptions(labels=("yes",))
    with pytest.raises(TypeError, match="labels"):
        BriefOptions(labels="yes,no")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="summary_sentences"):
        BriefOptions(summary_sentences=4)
    with pytest.raises(ValueError, match="max_attempts"):
        BriefOptions(max_attempts=0)
    with pytest.raises(ValueError, match="style"):
        BriefOptions(style="chat")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="summary"):
        BriefOptions(summary="no")  # type: ignore[arg-type]


def test_options_are_frozen_and_labels_a_tuple() -> None:
    options = BriefOptions(labels=["favor", "against"])  # type: ignore[arg-type]
    assert options.labels == ("favor", "against")
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.target = "x"  # type: ignore[misc]
    assert json.loads(json.dumps(options.as_dict()))["labels"] == ["favor", "against"]


def test_unset_settings_come_from_the_briefer() -> None:
    briefer = Briefer(backend=scripted_briefer().backend, summary_sentences=1, seed=5)
    assert briefer.options.settings() == {
        "summary_sentences": 1,
        "max_attempts": 3,
        "seed": 5,
        "style": "base",
    }
    resolved = BriefOptions(target="t", max_attempts=2).resolved(briefer.options)
    assert resolved.settings() == {
        "summary_sentences": 1,
        "max_attempts": 2,
        "seed": 5,
        "style": "base",
    }
    assert resolved.target == "t"


def test_options_and_records_are_public() -> None:
    assert {"BriefOptions", "BriefRecord"} <= set(newsbrief.__all__)
    assert newsbrief.BriefOptions is BriefOptions and newsbrief.BriefRecord is BriefRecord


# -- BriefRecord ----------------------------------------------------------------------


def test_a_record_holds_a_brief_or_an_error_never_both() -> None:
    brief = scripted_briefer().brief(ARTICLE, stances=False, summary=False)
    with pytest.raises(ValueError, match="either a brief or an error"):
        BriefRecord(id="a")
    with pytest.raises(ValueError, match="either a brief or an error"):
        BriefRecord(id="a", brief=brief, error=RecordError(type="E", message="m"))


def test_record_json_keeps_the_batch_field_names() -> None:
    brief = scripted_briefer().brief(ARTICLE, "T", "the plan", summary=False)
    ok = BriefRecord(id="a", brief=brief)
    assert ok.to_json() == {"id": "a", "brief": brief.model_dump(mode="json")}
    assert BriefRecord.from_json(json.loads(ok.json_line())) == ok
    assert BriefRecord.from_row(ok.to_row()) == ok
    failed = BriefRecord.failed("b", GenerationError("out of memory")).located("in.jsonl:2")
    assert failed.to_json() == {
        "id": "b",
        "error": {"type": "GenerationError", "message": "in.jsonl:2: out of memory"},
    }
    assert failed.to_row() == {"id": "b", "brief": None, "error": failed.to_json()["error"]}
    assert BriefRecord.from_row(failed.to_row()) == failed


def test_lone_surrogates_are_escaped_so_the_record_writes() -> None:
    record = BriefRecord.failed("x\ud83d", "InputError", "bad \udc00 text")
    assert record.id == "x\\ud83d"
    assert record.error is not None and record.error.message == "bad \\udc00 text"
    record.json_line().encode("utf-8")  # no UnicodeEncodeError


# -- brief_many -----------------------------------------------------------------------


def test_brief_many_gives_one_record_per_item_in_order() -> None:
    briefer = scripted_briefer()
    items: list[Any] = [
        ARTICLE,
        ("b", ARTICLE, "Bridge"),
        ("c", "   "),
        {"id": 7, "text": ARTICLE, "title": "Seven"},
        {"text": ARTICLE},
        42,
    ]
    records = list(briefer.brief_many(items, BriefOptions(target="the plan", summary=False)))
    assert [r.id for r in records] == ["0", "b", "c", "7", "4", "5"]
    assert [r.ok for r in records] == [True, True, False, True, True, False]
    assert records[1].brief is not None and records[1].brief.title == "Bridge"
    assert records[3].brief is not None and records[3].brief.title == "Seven"
    assert records[2].error is not None and records[2].error.type == "InputError"
    assert records[5].error is not None and records[5].error.type == "TypeError"
    assert "item 5 is int" in records[5].error.message


def test_brief_many_refuses_options_that_are_not_brief_options() -> None:
    with pytest.raises(TypeError, match=r"BriefOptions.*not dict"):
        scripted_briefer().brief_many([ARTICLE], {"target": "the plan"})  # type: ignore[arg-type]


def test_briefer_and_load_backend_show_the_loading_keywords() -> None:
    """``help()``, IDEs and Jupyter see ``device=``, ``dtype=``... (the options are written
    once, on LoadOptions), not ``**loading``; and the keywords still work."""
    import inspect

    from newsbrief.backends.loading import load_backend
    from newsbrief.backends.options import LoadOptions

    names = [f.name for f in dataclasses.fields(LoadOptions)]
    for func in (Briefer, load_backend):
        parameters = inspect.signature(func).parameters
        assert all(p.kind is not p.VAR_KEYWORD for p in parameters.values())
        assert [n for n in parameters if n in names] == names
        assert parameters["device"].default is None
    with pytest.raises(TypeError, match="devise"):
        Briefer(devise="cpu")  # type: ignore[call-arg]


def test_brief_many_gives_what_brief_gives() -> None:
    briefer = scripted_briefer()
    alone = briefer.brief(ARTICLE, "T", "the plan", summary=False)
    (record,) = briefer.brief_many(
        [("a", ARTICLE, "T")], BriefOptions(target="the plan", summary=False)
    )
    assert record.brief == alone


def test_brief_many_passes_every_per_brief_option() -> None:
    briefer = scripted_briefer()
    options = BriefOptions(summary=False, stances=False)
    (record,) = briefer.brief_many([ARTICLE], options)
    assert record.brief is not None
    assert (record.brief.summary, record.brief.stances, record.brief.issue) == ("", [], "")
    labels = ("supportive", "opposed")
    (record,) = briefer.brief_many([ARTICLE], BriefOptions(target="t", labels=labels))
    assert record.brief is not None and record.brief.stances
    assert set(record.brief.stances[0].scores) == set(labels)


def test_brief_many_applies_the_settings_of_the_options() -> None:
    briefer = scripted_briefer()
    (one,) = briefer.brief_many([ARTICLE], BriefOptions(stances=False, summary_sentences=1))
    (three,) = briefer.brief_many([ARTICLE], BriefOptions(stances=False))
    assert one.brief is not None and three.brief is not None
    assert len(one.brief.summary_sentences) == 1 < len(three.brief.summary_sentences)
    (seeded,) = briefer.brief_many([ARTICLE], BriefOptions(stances=False, seed=9, max_attempts=2))
    assert seeded.brief is not None
    assert seeded.brief.provenance.generation["seed"] == 9
    assert seeded.brief.provenance.generation["max_attempts"] == 2
    assert briefer.seed == 0 and briefer.max_attempts == 3  # the Briefer is unchanged


def test_a_failing_article_is_a_record_and_the_run_goes_on() -> None:
    class Flaky(Briefer):
        def brief(self, text: str, *args: Any, **kwargs: Any) -> Brief:
            if "boom" in text:
                raise RuntimeError("CUDA out of memory")
            return super().brief(text, *args, **kwargs)

    briefer = Flaky(backend=scripted_briefer().backend)
    records = list(
        briefer.brief_many([ARTICLE + "boom", ARTICLE], BriefOptions(stances=False, summary=False))
    )
    assert [r.ok for r in records] == [False, True]
    assert records[0].error == RecordError(type="RuntimeError", message="CUDA out of memory")


def test_brief_many_is_lazy_and_ctrl_c_stops_it() -> None:
    calls: list[str] = []

    class Counting(Briefer):
        def brief(self, text: str, *args: Any, **kwargs: Any) -> Brief:
            calls.append(text)
            if "stop" in text:
                raise KeyboardInterrupt
            return super().brief(text, *args, **kwargs)

    briefer = Counting(backend=scripted_briefer().backend)
    records = briefer.brief_many([ARTICLE, ARTICLE + "stop", ARTICLE], BriefOptions(stances=False))
    assert calls == []  # nothing briefed before a record is asked for
    assert next(records).ok and len(calls) == 1
    with pytest.raises(KeyboardInterrupt):
        next(records)


def test_on_error_raise_raises_the_articles_own_error() -> None:
    from newsbrief.errors import InputError

    records = scripted_briefer().brief_many(
        [ARTICLE, "  "], BriefOptions(stances=False, summary=False), on_error="raise"
    )
    assert next(records).ok
    with pytest.raises(InputError, match="empty"):
        next(records)
    with pytest.raises(ValueError, match="on_error"):
        scripted_briefer().brief_many([ARTICLE], on_error="skip")  # type: ignore[arg-type]


def test_a_text_or_title_of_the_wrong_type_is_recorded_under_its_id() -> None:
    records = list(
        scripted_briefer().brief_many([("a", None), ("b", ARTICLE, 5)], BriefOptions(stances=False))
    )
    assert [(r.id, r.error and r.error.type) for r in records] == [
        ("a", "InputError"),
        ("b", "TypeError"),
    ]


def test_every_record_line_fits_the_record_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = BriefRecord.line_schema()
    brief = scripted_briefer().brief(ARTICLE, "T", "the plan")
    for record in (BriefRecord(id="a", brief=brief), BriefRecord.failed("b", "InputError", "m")):
        jsonschema.validate(json.loads(record.json_line()), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"id": "c", "error": {"type": "E"}}, schema)  # no message
