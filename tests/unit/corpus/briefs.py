"""Synthetic briefs for the corpus tests: quotes with exact offsets into a made-up text."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from newsbrief.models import Brief, Provenance, Quote, Stance


def make_brief(
    quotes: Sequence[tuple[str | None, str]],
    stances: Sequence[tuple[str | None, str | None, float]] = (),
    issue: str = "the sanctions",
    title: str | None = None,
) -> Brief:
    """A brief whose quotes are ``(speaker, text)`` and stances ``(speaker, label, confidence)``.

    Each stance cites the speaker's quotes as evidence.
    """
    text, made = "", []
    for speaker, said in quotes:
        text += f"{speaker or 'Someone'} said: "
        start = len(text)
        text += said
        made.append(
            Quote(text=said, start=start, end=len(text), kind="direct", speaker=speaker, cue="said")
        )
        text += ". "
    stance_list = []
    for speaker, label, confidence in stances:
        evidence = [i for i, q in enumerate(made) if q.speaker == speaker]
        scores = {"supportive": 0.25, "opposed": 0.25, "cautious": 0.25, "neutral": 0.25}
        stance_list.append(
            Stance(
                speaker=speaker,
                target=issue,
                label=label,
                confidence=confidence,
                scores=scores,
                evidence=evidence,
                evidence_ids=[made[i].id for i in evidence],
            )
        )
    return Brief(
        summary="",
        quotes=made,
        stances=stance_list,
        issue=issue,
        title=title,
        provenance=Provenance(model_id="test", package_version="0"),
    )


def write_batch(path: Path, records: Sequence[tuple[str, Brief | str]], tail: str = "") -> Path:
    """A JSONL batch output: a brief, or an error type for an error record; ``tail`` is
    written after the last line as is (e.g. a cut-off record)."""
    with path.open("w", encoding="utf-8") as handle:
        for key, item in records:
            if isinstance(item, Brief):
                handle.write(json.dumps({"id": key, "brief": item.model_dump(mode="json")}) + "\n")
            else:
                handle.write(
                    json.dumps({"id": key, "error": {"type": item, "message": "x"}}) + "\n"
                )
        handle.write(tail)
    return path
