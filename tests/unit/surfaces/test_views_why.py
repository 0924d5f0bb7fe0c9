"""Every view shows the why of a stance: one word for an abstention, the evidence text beside
each stance, the per-label scores; offsets only in JSON and on hover; CSV for spreadsheets."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from newsbrief.models import ABSTAINED, Quote, Stance
from newsbrief.surfaces.display import brief_html, brief_markdown, brief_page, page_title
from newsbrief.surfaces.tables import brief_csv, spreadsheet_safe, stances_frame
from tests.unit.surfaces import test_cli as cli_tests
from tests.unit.surfaces.test_cli import run
from tests.unit.surfaces.test_display import ARTICLE, hostile_brief, sentence_brief

_restore_output_settings = cli_tests._restore_output_settings
article = cli_tests.article
briefers = cli_tests.briefers


def test_one_word_for_an_abstention_in_every_view() -> None:
    brief = sentence_brief()
    assert brief.stances[-1].verdict == ABSTAINED == "abstained"
    assert "the author**: abstained," in brief_markdown(brief)
    assert ">abstained</span>" in brief_html(brief)
    pytest.importorskip("pandas")
    assert list(stances_frame(brief)["label"])[-1] == "abstained"
    rows = list(csv.DictReader(io.StringIO(brief_csv(brief))))
    assert rows[-1]["speaker"] == "the author" and rows[-1]["stance"] == "abstained"
    for view in (brief_markdown(brief), brief_html(brief), brief_csv(brief)):
        assert "unclear" not in view
    # JSON keeps the machine value: no label.
    assert json.loads(brief.model_dump_json())["stances"][-1]["label"] is None


def test_the_evidence_text_stands_beside_each_stance_in_every_view() -> None:
    brief = hostile_brief()
    evidence = brief.quotes[0].text  # the minister's quote
    markdown = brief_markdown(brief)
    stance_part = markdown.split("## Stances")[1].split("## Quotes")[0]
    assert "is not allowed here." in stance_part
    html = brief_html(brief, ARTICLE)
    stance_html = html.split("nb-evidence")[1].split("</ul>")[0]
    assert "is not allowed here." in stance_html
    pytest.importorskip("pandas")
    assert stances_frame(brief)["evidence_text"][0] == f'[1] "{evidence}"'


def test_html_has_summary_stances_and_quotes_headings() -> None:
    html = brief_html(sentence_brief(), ARTICLE)
    headings = re.findall(r'<h4 class="nb-heading"[^>]*>([^<]+)</h4>', html)
    assert headings == ["Summary", "Stances", "Quotes in the article"]
    assert re.findall(r"<h4[^>]*>([^<]+)</h4>", brief_html(sentence_brief()))[-1] == "Quotes"


def test_the_page_title_is_the_headline_when_there_is_no_title() -> None:
    text = "Council backs the new bridge plan\n\n" + ARTICLE
    brief = hostile_brief().model_copy(update={"title": None})
    shift = len(text) - len(ARTICLE)
    quotes = [
        q.model_copy(
            update={
                "start": q.start + shift,
                "end": q.end + shift,
                "id": f"q{q.start + shift}-{q.end + shift}",
                "speaker_start": None if q.speaker_start is None else q.speaker_start + shift,
                "speaker_end": None if q.speaker_end is None else q.speaker_end + shift,
            }
        )
        for q in brief.quotes
    ]
    brief = brief.model_copy(update={"quotes": quotes})
    page = brief_page(brief, text)
    assert "<title>Council backs the new bridge plan</title>" in page
    assert page_title(brief.model_copy(update={"title": "Given"}), text) == "Given"
    assert page_title(brief) == f"Brief: {brief.issue}"


def test_the_page_follows_a_dark_colour_scheme() -> None:
    page = brief_page(hostile_brief(), ARTICLE)
    assert '<meta name="color-scheme" content="light dark">' in page
    assert "@media (prefers-color-scheme: dark)" in page


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1 555", "'+1 555"),
        ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTAB", "'\tTAB"),
        ("＝1+1", "'＝1+1"),
        ("He said no", "He said no"),
        (-0.5, "-0.5"),
        (3, "3"),
    ],
)
def test_spreadsheet_cells_never_start_a_formula(value: object, cell: str) -> None:
    assert spreadsheet_safe(value) == cell


def test_csv_rows_are_quotes_with_their_speakers_stance() -> None:
    brief = hostile_brief()
    formula = Quote(text="=1+1 said", start=0, end=9, kind="direct")
    brief = brief.model_copy(update={"quotes": [*brief.quotes, formula]})
    rows = list(csv.DictReader(io.StringIO(brief_csv(brief))))
    assert [r["quote"] for r in rows] == ["1", "2", "3", "4"]
    assert rows[0]["speaker"] == "minister" and rows[0]["stance"] == "opposed"
    assert rows[0]["confidence"] == "0.81" and rows[0]["text"] == brief.quotes[0].text
    assert rows[3]["text"] == "'=1+1 said"


def test_cli_writes_csv(
    briefers: list[object], article: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, "brief", str(article), "--format", "csv")
    assert status == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["speaker"]: r["stance"] for r in rows} == {
        "Ann Lopez": "supportive",
        "Tom Reed": "opposed",
    }


def test_a_stance_records_scores_for_every_label_shown() -> None:
    stance = Stance(
        speaker="A", target="t", label=None, confidence=0.3, scores={"x": 0.3, "y": 0.7}
    )
    brief = hostile_brief().model_copy(update={"stances": [stance]})
    assert "x 0.30 · y 0.70" in brief_markdown(brief)
    assert "x 0.30 · y 0.70" in brief_html(brief)


def test_the_notebooks_use_the_one_word() -> None:
    root = Path(__file__).resolve().parents[3] / "notebooks"
    for notebook in sorted(root.glob("*.ipynb")):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        sources = "".join("".join(cell["source"]) for cell in cells)
        assert "unclear" not in sources, notebook.name
