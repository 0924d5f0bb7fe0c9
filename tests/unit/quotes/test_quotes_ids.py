"""Stable quote ids, stances citing them, and the hash of the text a brief indexes into."""

from __future__ import annotations

import hashlib
import json

import pytest
from pydantic import ValidationError

from newsbrief import Brief, Briefer, Quote, Stance
from newsbrief.backends import ScriptedBackend
from newsbrief.models import quote_id, sha256_of_text

TEXT = (
    "“The bridge will open in May,” said Maria Lopez.\n\n"
    "Tom Grey said the bridge was a waste of money.\n\n"
    "“We will fight it,” he added."
)


def test_ids_come_from_the_span_and_are_the_same_on_every_run() -> None:
    quotes = Briefer(backend=ScriptedBackend()).quotes(TEXT)
    assert [q.id for q in quotes] == [f"q{q.start}-{q.end}" for q in quotes]
    assert len({q.id for q in quotes}) == len(quotes) == 3
    again = Briefer(backend=ScriptedBackend()).quotes(TEXT)
    assert [q.id for q in again] == [q.id for q in quotes]
    # Prepending text moves the spans and so the ids: an id belongs to one text.
    shifted = Briefer(backend=ScriptedBackend()).quotes("Updated.\n\n" + TEXT)
    assert [q.id for q in shifted] == [quote_id(q.start, q.end) for q in shifted]
    assert {q.id for q in shifted}.isdisjoint(q.id for q in quotes)


def test_a_quote_without_an_id_gets_it_and_a_wrong_one_is_refused() -> None:
    data = {"text": "open", "start": 9, "end": 13, "kind": "direct"}
    assert Quote.model_validate(data).id == "q9-13"
    assert Quote.model_validate_json(json.dumps(data)).id == "q9-13"  # JSON from before ids
    with pytest.raises(ValidationError, match="not the id of its span"):
        Quote.model_validate({**data, "id": "q0-4"})


def test_stances_cite_quotes_by_id_and_by_index() -> None:
    def score(prompt: str, option: str) -> float:
        return 0.0 if "waste of money" in prompt and "opposes" in option else -1.0

    briefer = Briefer(backend=ScriptedBackend(score_fn=score))
    quotes = briefer.quotes(TEXT)
    stance = briefer.stance(TEXT, "the bridge", speaker="Tom Grey")
    assert stance.evidence and stance.evidence_ids == [quotes[i].id for i in stance.evidence]
    assert all(quotes[i].speaker == "Tom Grey" for i in stance.evidence)
    # Stances from before evidence_ids still load.
    old = {"speaker": "X", "target": "t", "label": None, "confidence": 0.0, "scores": {}}
    assert Stance.model_validate(old).evidence_ids == []


def test_text_hash_is_the_sha256_of_the_utf8_text() -> None:
    assert sha256_of_text("héllo") == hashlib.sha256("héllo".encode()).hexdigest()
    # A lone surrogate cannot be UTF-8 strictly; the hash still exists and differs.
    assert sha256_of_text("a\ud800") != sha256_of_text("a")
    brief = Briefer(backend=ScriptedBackend()).brief(TEXT, summary=False, stances=False)
    assert brief.text_sha256 == sha256_of_text(TEXT)
    payload = json.loads(brief.model_dump_json())
    payload.pop("text_sha256")  # a brief from before the hash still loads
    assert Brief.model_validate(payload).text_sha256 is None
