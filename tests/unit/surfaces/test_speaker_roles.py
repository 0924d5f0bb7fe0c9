"""Issue 24 item 10: the speaker's role as the article gives it, in every view of a brief."""

from __future__ import annotations

import pytest

from newsbrief.surfaces.display import brief_html, brief_markdown
from tests.unit.surfaces.test_cli import scripted_briefer

ARTICLE = (
    "Ann Lopez, who chairs the Chamber of Commerce, backed the bridge plan on Tuesday.\n\n"
    '"The bridge will bring jobs to the valley," Lopez said.\n\n'
    '"We have waited long enough," she added.\n'
)


def _brief() -> object:
    return scripted_briefer().brief(ARTICLE, target="the bridge plan", summary=False)


def test_quotes_and_stances_carry_the_role_and_every_view_shows_it() -> None:
    brief = _brief()
    described = [q for q in brief.quotes if q.speaker_description]  # type: ignore[attr-defined]
    assert described, "the quote step reads the apposition as the speaker's role"
    first = described[0]
    role = first.speaker_description
    assert ARTICLE[first.speaker_description_start : first.speaker_description_end] == role
    markdown = brief_markdown(brief)  # type: ignore[arg-type]
    assert f"({role})" in markdown
    stanced = [s for s in brief.stances if s.speaker_description]  # type: ignore[attr-defined]
    assert stanced, "a stance takes its speaker's role from the quotes"
    if stanced:
        assert f"({stanced[0].speaker_description})" in brief_html(brief)  # type: ignore[arg-type]


def test_the_tables_have_the_role_columns() -> None:
    pytest.importorskip("pandas")
    from newsbrief.surfaces.tables import quotes_frame, stances_frame

    brief = _brief()
    quotes = quotes_frame(brief)
    assert {"speaker_kind", "speaker_description", "speaker_description_start"} <= set(quotes)
    assert quotes["speaker_description"].notna().any()
    assert "speaker_description" in set(stances_frame(brief))
