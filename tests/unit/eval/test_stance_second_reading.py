"""The second reading of the stance gold (scripts/stance_second_reading.py): Cohen's kappa
on hand-computed cases, and a worksheet that is blind, seeded and never from held-out."""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from script_modules import load_script

from newsbrief.errors import InputError

ROOT = Path(__file__).resolve().parents[3]


S = load_script("stance_second_reading")


def _pairs(counts: dict[tuple[str, str], int]) -> tuple[list[str], list[str]]:
    first: list[str] = []
    second: list[str] = []
    for (a, b), n in counts.items():
        first += [a] * n
        second += [b] * n
    return first, second


# -- kappa --------------------------------------------------------------------------------


def test_kappa_two_labels_by_hand() -> None:
    # p_o = 35/50 = 0.7; first says yes 25/50, second 30/50: p_e = 0.5*0.6 + 0.5*0.4 = 0.5
    first, second = _pairs({("y", "y"): 20, ("y", "n"): 5, ("n", "y"): 10, ("n", "n"): 15})
    assert S.cohen_kappa(first, second) == pytest.approx(0.4)


def test_kappa_three_labels_by_hand() -> None:
    # p_o = 8/10; first s6 o3 c1, second s6 o4 c0: p_e = (36 + 12 + 0) / 100 = 0.48
    first, second = _pairs({("s", "s"): 5, ("s", "o"): 1, ("o", "o"): 3, ("c", "s"): 1})
    assert S.cohen_kappa(first, second) == pytest.approx((0.8 - 0.48) / 0.52)


def test_kappa_perfect_chance_and_worse() -> None:
    labels = ["supportive", "opposed", "neutral", "cautious", "supportive"]
    assert S.cohen_kappa(labels, labels) == pytest.approx(1.0)
    # every cell of the 2x2 table equal: agreement exactly at chance
    assert S.cohen_kappa(["s", "s", "o", "o"], ["s", "o", "s", "o"]) == pytest.approx(0.0)
    assert S.cohen_kappa(["s", "o"], ["o", "s"]) == pytest.approx(-1.0)


def test_kappa_undefined_and_bad_input() -> None:
    assert math.isnan(S.cohen_kappa(["s", "s"], ["s", "s"]))  # p_e = 1
    with pytest.raises(ValueError, match="length"):
        S.cohen_kappa(["s"], ["s", "o"])
    with pytest.raises(ValueError, match="no items"):
        S.cohen_kappa([], [])


def test_agreement_table_per_label_and_interval() -> None:
    first, second = _pairs(
        {("supportive", "supportive"): 5, ("supportive", "opposed"): 1, ("opposed", "opposed"): 3}
    )
    first += ["cautious"]
    second += ["supportive"]
    pairs = [
        S.Pair(f"s{i}", f"a{i // 2}", "X", a, b)
        for i, (a, b) in enumerate(zip(first, second, strict=True))
    ]
    result = S.agreement(pairs, resamples=200, seed=1)
    assert result.n == 10 and result.articles == 5
    assert result.raw == pytest.approx(0.8)
    assert result.kappa == pytest.approx(S.cohen_kappa(first, second))
    assert result.kappa_low <= result.kappa <= result.kappa_high
    assert result.table["supportive"] == {"supportive": 5, "opposed": 1, "cautious": 0}
    assert result.table["cautious"]["supportive"] == 1
    # specific agreement 2a / (2a + b + c): supportive 10 / (6 + 6)
    assert result.per_label["supportive"] == (6, 6, pytest.approx(10 / 12))
    assert result.per_label["cautious"] == (1, 0, 0.0)
    assert [p.item for p in result.disagreements] == ["s5", "s9"]
    assert S.agreement(pairs, resamples=200, seed=1) == result  # seeded interval


def test_allocate_is_proportional_and_exact() -> None:
    counts = {"supportive": 270, "neutral": 166, "opposed": 98, "cautious": 33}
    sizes = S.allocate(counts, 60)
    assert sum(sizes.values()) == 60
    total = sum(counts.values())
    assert all(abs(sizes[k] - 60 * counts[k] / total) < 1 for k in counts)
    assert S.allocate({"a": 1, "b": 1}, 2) == {"a": 1, "b": 1}
    with pytest.raises(ValueError, match="cannot draw"):
        S.allocate({"a": 1}, 2)


# -- the worksheet ------------------------------------------------------------------------

LABELS = ("supportive", "opposed", "cautious", "neutral")


def _record(rid: str, text: str, stances: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": rid,
        "title": f"title {rid}",
        "text": text,
        "source": "https://example.org",
        "licence": "CC BY 2.5",
        "annotator": "test",
        "stances": stances,
    }


def _write(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _fixture(tmp: Path) -> dict[str, Path]:
    gold = tmp / "gold"
    gold.mkdir()
    _write(
        gold / "news.jsonl",
        [
            _record(
                f"dev-{i}",
                f"Dev article {i} text.",
                [
                    {"speaker": f"Dev Speaker {i}", "target": "the plan", "label": LABELS[i % 4]},
                    {"speaker": None, "target": "the plan", "label": "supportive"},
                ],
            )
            for i in range(8)
        ]
        + [
            _record(
                "held-0",
                "Held-out article text.",
                [{"speaker": "Held Speaker", "target": "the plan", "label": "opposed"}],
            )
        ],
    )
    splits = _write(tmp / "splits.json", [])
    splits.write_text(
        json.dumps({"dev": [f"dev-{i}" for i in range(8)], "heldout": ["held-0"]}),
        encoding="utf-8",
    )
    extra_rows = [
        _record(
            f"extra-{i}",
            f"Extra article {i} text.",
            [
                {
                    "speaker": f"Extra Speaker {i}-{j}",
                    "target": "the deal",
                    "label": LABELS[(i + j) % 4],
                    "evidence": "said so",
                }
                for j in range(3)
            ],
        )
        for i in range(10)
    ]
    # the held-out article again under another id: the trainer's rule drops it
    extra_rows.append(
        _record(
            "copy-of-held",
            "Held-out  article\ntext.",
            [{"speaker": "Held Speaker", "target": "x", "label": "opposed", "evidence": "e"}],
        )
    )
    extra = _write(tmp / "wikinews_stance_extra.jsonl", extra_rows)
    return {"gold": gold, "splits": splits, "extra": extra}


def test_pool_never_reads_held_out_or_author_stances(tmp_path: Path) -> None:
    paths = _fixture(tmp_path)
    candidates, articles = S.load_pool(
        paths["gold"], paths["splits"], [paths["extra"]], root=tmp_path
    )
    assert len(candidates) == 8 + 30
    ids = {c.article_id for c in candidates} | {a for _, a in articles}
    assert "held-0" not in ids and "copy-of-held" not in ids
    assert all(c.speaker is not None for c in candidates)
    assert {c.file for c in candidates} == {"gold/news.jsonl", "wikinews_stance_extra.jsonl"}


def test_worksheet_is_blind_seeded_and_stratified(tmp_path: Path) -> None:
    paths = _fixture(tmp_path)
    candidates, _ = S.load_pool(paths["gold"], paths["splits"], [paths["extra"]], root=tmp_path)
    sample = S.draw_sample(candidates, 19, seed=7)
    rows = S.worksheet_rows(sample)
    assert len(rows) == 19
    assert all(tuple(row) == S.WORKSHEET_FIELDS for row in rows)
    assert not any(set(row.values()) & set(LABELS) for row in rows)
    # strata as the pool gives them (38 stances: supportive 9, opposed 10, cautious 10,
    # neutral 9): half of each, the one left over by largest remainder
    assert Counter(c.label for c in candidates) == {
        "supportive": 9, "opposed": 10, "cautious": 10, "neutral": 9
    }  # fmt: skip
    assert Counter(c.label for c in sample) == {
        "supportive": 4, "opposed": 5, "cautious": 5, "neutral": 5
    }  # fmt: skip
    # rows in article order, not label order
    keys = [(c.file, c.article_id, c.stance_index) for c in sample]
    assert keys == sorted(keys)
    assert S.worksheet_rows(S.draw_sample(candidates, 19, seed=7)) == rows
    assert S.worksheet_rows(S.draw_sample(candidates, 19, seed=8)) != rows


def test_kappa_command_joins_the_readings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = _fixture(tmp_path)
    sheet = tmp_path / "sheet.jsonl"
    common = [
        "--gold", str(paths["gold"]), "--splits", str(paths["splits"]),
        "--extra", str(tmp_path), "--worksheet", str(sheet),
    ]  # fmt: skip
    assert S.main([*common, "sample", "--n", "6", "--seed", "3"]) == 0
    rows = [json.loads(x) for x in sheet.read_text().splitlines()]
    candidates, _ = S.load_pool(paths["gold"], paths["splits"], [paths["extra"]], root=ROOT)
    gold = {(c.article_id, c.stance_index): c.label for c in candidates}
    reading = tmp_path / "reading.jsonl"
    labels = [gold[(r["article_id"], r["stance_index"])] for r in rows]
    labels[0] = next(x for x in LABELS if x != labels[0])  # one disagreement
    _write(reading, [{"item": r["item"], "label": x} for r, x in zip(rows, labels, strict=True)])
    assert S.main([*common, "kappa", "--reading", str(reading), "--resamples", "50"]) == 0
    out = capsys.readouterr().out
    assert "n = 6 stances" in out and "raw agreement = 0.833" in out
    assert f"{rows[0]['item']}  " in out.split("disagreements (1)")[1]

    _write(reading, [{"item": r["item"], "label": "supportive"} for r in rows[1:]])
    assert S.main([*common, "kappa", "--reading", str(reading)]) == 2
    assert "has no second reading" in capsys.readouterr().err
    _write(reading, [{"item": r["item"], "label": "maybe"} for r in rows])
    assert S.main([*common, "kappa", "--reading", str(reading)]) == 2
    assert "'maybe' is not one of" in capsys.readouterr().err


def test_worksheet_that_no_longer_matches_the_gold_is_named(tmp_path: Path) -> None:
    paths = _fixture(tmp_path)
    candidates, _ = S.load_pool(paths["gold"], paths["splits"], [paths["extra"]], root=tmp_path)
    rows = S.worksheet_rows(S.draw_sample(candidates, 2, seed=0))
    rows[1]["speaker"] = "Someone Else"
    sheet = _write(tmp_path / "sheet.jsonl", rows)
    reading = _write(tmp_path / "r.jsonl", [{"item": r["item"], "label": "neutral"} for r in rows])
    with pytest.raises(InputError, match="no longer matches"):
        S.reading_pairs(sheet, reading, candidates)


def test_committed_worksheet_is_the_seeded_sample() -> None:
    candidates, _ = S.load_pool(
        ROOT / "evals" / "gold",
        ROOT / "evals" / "splits.json",
        sorted((ROOT / "evals" / "stance_news").glob("wikinews_stance_*.jsonl")),
    )
    committed = [
        json.loads(x) for x in S.DEFAULT_WORKSHEET.read_text(encoding="utf-8").splitlines()
    ]
    assert committed == S.worksheet_rows(S.draw_sample(candidates, S.DEFAULT_N, S.DEFAULT_SEED))
    heldout = set(json.loads((ROOT / "evals" / "splits.json").read_text())["heldout"])
    assert not {r["article_id"] for r in committed} & heldout
