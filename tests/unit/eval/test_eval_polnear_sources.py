"""PolNeAR records: each quote's source span, in the order of the gold quotes."""

from __future__ import annotations

from newsbrief.eval.polnear import polnear_fields, polnear_source_spans


def test_source_spans_follow_the_quotes() -> None:
    text = 'Ada Brown said the levy is fair. "It is," she added. Critics disagree.'
    record = {
        "id": "made-up",
        "text": text,
        "attributions": [
            {
                "source": {"spans": [[0, 9]], "text": "Ada Brown"},
                "cue": {"spans": [[10, 14]], "text": "said"},
                "content": {"spans": [[15, 31]], "text": "the levy is fair"},
            },
            {"source": None, "cue": None, "content": None},  # no content: left out
            {
                "source": {"spans": [[42, 45]], "text": "she"},
                "cue": {"spans": [[46, 51]], "text": "added"},
                "content": {"spans": [[33, 41]], "text": '"It is,"'},
            },
            {
                "source": None,
                "cue": {"spans": [[61, 69]], "text": "disagree"},
                "content": {"spans": [[53, 60]], "text": "Critics"},
            },
        ],
    }
    quotes = polnear_fields(record)["quotes"]
    spans = polnear_source_spans(record)
    assert [q["speaker"] for q in quotes] == ["Ada Brown", "she", None]
    assert spans == [(0, 9), (42, 45), None]
    assert [text[a:b] for a, b in spans[:2]] == ["Ada Brown", "she"]  # type: ignore[misc]
