"""Training the stance head: metrics, calibration error, fitting, threshold, data loading."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from script_modules import load_script

from newsbrief.steps.heads.stance import StanceHead

T = load_script("stance_probe_training")


def _rows(labels: list[str], confidence: float = 0.9) -> list[dict[str, float]]:
    rest = (1 - confidence) / 3
    return [{k: (confidence if k == label else rest) for k in T.LABELS} for label in labels]


def test_metrics_accuracy_macro_f1_coverage() -> None:
    gold = ["supportive", "supportive", "opposed", "cautious"]
    rows = _rows(["supportive", "opposed", "opposed", "cautious"])
    rows[3] = {"supportive": 0.3, "opposed": 0.2, "cautious": 0.4, "neutral": 0.1}
    m = T.metrics(gold, rows, threshold=0.5)
    assert m["accuracy"] == 0.75 and m["majority"] == 0.5
    # F1: supportive 2/3, opposed 2/3, cautious 1.
    assert m["macro_f1"] == pytest.approx((2 / 3 + 2 / 3 + 1) / 3)
    assert m["coverage"] == 0.75 and m["answered_accuracy"] == pytest.approx(2 / 3)


def test_ece_is_zero_when_confidence_matches_accuracy() -> None:
    assert T.ece([True, False], [0.55, 0.55]) == pytest.approx(0.05)
    assert T.ece([True] * 4, [1.0] * 4) == 0.0
    assert T.ece([False] * 4, [0.95] * 4) == pytest.approx(0.95)


def test_f_avg_ignores_neutral_and_cautious_scores() -> None:
    gold = ["supportive", "opposed", "neutral"]
    rows = _rows(["supportive", "opposed", "neutral"])
    assert T.f_avg(gold, rows) == 1.0
    assert T.f_avg(gold, _rows(["opposed", "supportive", "neutral"])) == 0.0


def _examples() -> tuple[torch.Tensor, list[T.Example]]:
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(80, 6, generator=generator)
    labels = []
    for row in x:
        if row[5] > 1.0:
            labels.append("cautious")
        else:
            labels.append("supportive" if row[0] > 0 else "opposed")
    examples = [
        T.Example("A", "t", ("e",), label, "dev" if i % 2 else "semeval-train", f"g{i % 10}")
        for i, label in enumerate(labels)
    ]
    return x, examples


def test_fit_is_deterministic_and_learns_both_axes() -> None:
    x, examples = _examples()
    settings = T.Settings(0.01, 3.0, 0.01)
    a, b = T.fit(x, examples, settings), T.fit(x, examples, settings)
    assert torch.equal(a.polarity_w, b.polarity_w) and torch.equal(a.hedge_w, b.hedge_w)
    rows = a.distributions(x)
    predicted = [max(r, key=lambda k: r[k]) for r in rows]
    accuracy = sum(p == e.label for p, e in zip(predicted, examples, strict=True)) / len(rows)
    assert accuracy > 0.85
    assert "cautious" in predicted


def test_hedge_balance_sets_how_often_cautious_is_predicted() -> None:
    # Rare, noisy cautious examples: balancing them fully makes the hedging axis fire on
    # many polar ones; a partial balance (chosen on dev) keeps it for the clearer cases.
    generator = torch.Generator().manual_seed(1)
    x = torch.randn(200, 4, generator=generator)
    noise = torch.randn(200, generator=generator)
    labels = [
        "cautious" if row[3] + n > 2.0 else ("supportive" if row[0] > 0 else "opposed")
        for row, n in zip(x, noise, strict=True)
    ]
    examples = [
        T.Example("A", "t", ("e",), label, "dev", f"g{i}") for i, label in enumerate(labels)
    ]

    def cautious_predicted(balance: float) -> int:
        rows = T.fit(x, examples, T.Settings(0.01, 3.0, 0.01, balance)).distributions(x)
        return sum(1 for r in rows if max(r, key=lambda k: r[k]) == "cautious")

    assert 0 < labels.count("cautious") < 30
    assert cautious_predicted(0.25) < cautious_predicted(1.0)
    assert {s.hedge_balance for s in T.default_grid()} >= {0.25, 1.0}


def test_settings_are_compared_over_several_fold_splits(monkeypatch: pytest.MonkeyPatch) -> None:
    # Setting a wins on the first split only, b on the other two: one split picks a,
    # the mean of three picks b (and the rows returned are b's on the first split).
    examples = [
        T.Example("A", "t", ("e",), "supportive", "dev", "g0"),
        T.Example("B", "t", ("e",), "opposed", "dev", "g1"),
    ]
    a, b = T.Settings(1.0, 3.0, 1.0, 1.0), T.Settings(1.0, 3.0, 1.0, 0.25)
    right, wrong = _rows(["supportive", "opposed"]), _rows(["opposed", "supportive"])
    calls: list[tuple[T.Settings, int]] = []

    def fake(x: object, ex: object, settings: T.Settings, seed: int) -> tuple[list[int], list]:
        calls.append((settings, seed))
        wins = (settings == a) == (seed == 7)
        return [0, 1], right if wins else wrong

    monkeypatch.setattr(T, "out_of_fold", fake)
    chosen, gold, rows = T.choose_settings(None, examples, [a, b], seed=7, fold_seeds=3)
    assert chosen == b and gold == ["supportive", "opposed"] and rows == wrong
    assert sorted(seed for s, seed in calls if s == b) == [7, 8, 9]
    assert T.choose_settings(None, examples, [a, b], seed=7, fold_seeds=1)[0] == a


def test_out_of_fold_predicts_every_news_example_once() -> None:
    x, examples = _examples()
    order, rows = T.out_of_fold(x, examples, T.Settings(0.1, 3.0, 0.1), seed=0)
    news = [i for i, e in enumerate(examples) if e.source == "dev"]
    assert sorted(order) == news and len(rows) == len(news)


def test_threshold_keeps_the_coverage_floor() -> None:
    gold = ["supportive"] * 6 + ["opposed"] * 4
    rows = _rows(["supportive"] * 6, 0.9) + _rows(["supportive"] * 4, 0.4)
    t = T.choose_threshold(gold, rows, floor=0.6)
    m = T.metrics(gold, rows, t)
    assert m["coverage"] >= 0.6 and m["answered_accuracy"] == 1.0


def test_one_reader_of_the_extra_gold_reads_directories(tmp_path: Path) -> None:
    path = tmp_path / "extra.jsonl"
    record = {
        "id": "w1",
        "text": "Ann said so.",
        "stances": [{"speaker": "Ann", "target": "x", "label": "opposed", "evidence": "so"}],
    }
    path.write_text(json.dumps(record) + "\n\n")
    (found,) = T.load_news([tmp_path])
    assert found.id == "w1" and found.stances[0].label == "opposed"


def test_card_markdown_names_data_and_metrics() -> None:
    metrics = {
        "n": 10,
        "accuracy": 0.7,
        "majority": 0.5,
        "macro_f1": 0.5,
        "coverage": 0.6,
        "answered_accuracy": 0.8,
        "ece": 0.1,
    }
    card = {
        "model_id": "m",
        "layers": [1],
        "labels": list(T.LABELS),
        "threshold": 0.5,
        "temperature": 1.0,
        "date": "2026-12-01",
        "seed": 0,
        "settings": {},
        "data": {"semeval2016_train_tweets": 1},
        "metrics": {"dev_out_of_fold": metrics, "heldout": metrics, "semeval_val_f_avg": 0.6},
    }
    text = T.card_markdown(card)
    assert "| heldout | 10 | 0.700" in text and "SemEval-2016" in text and "`m`" in text


def test_run_trains_a_head_that_loads(tmp_path: Path) -> None:
    """The whole command on tiny data with a scripted backend: a head file with its card."""
    from newsbrief.backends import ScriptedBackend

    def embed(prompt: str) -> list[float]:
        lowered = prompt.lower()
        return [float("good" in lowered) - float("bad" in lowered), float("careful" in lowered)]

    backend = ScriptedBackend(embed_fn=embed, model_id="tiny")
    semeval = tmp_path / "semeval"
    semeval.mkdir()
    for name in ("train", "val"):
        rows = [
            {"id": f"{name}-{i}", "target": "x", "text": text, "label": label}
            for i, (text, label) in enumerate(
                [("good stuff", "favor"), ("bad stuff", "against"), ("a day", "none")] * 40
            )
        ]
        (semeval / f"semeval2016_{name}.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    gold = Path(__file__).resolve().parents[3] / "evals"
    out = tmp_path / "head.safetensors"
    card = T.run(
        backend,
        semeval_dir=semeval,
        gold_dir=gold / "gold",
        splits=gold / "splits.json",
        extra=[],
        out=out,
        cache=None,
        layers=(-1,),
        pooling=("mean",),
        extract_layers=(-1,),
        grid=[T.Settings(0.01, 3.0, 1.0, 0.5)],
    )
    assert card["settings"]["hedge_balance"] == 0.5
    head = StanceHead.load(out)
    assert head.model_id == "tiny" and head.card["metrics"] == card["metrics"]
    assert card["metrics"]["semeval_val_f_avg"] > 0.6
    assert card["data"]["semeval2016_train_tweets"] == 120 and card["data"]["gold_dev_stances"] > 0
    assert out.with_suffix(".md").read_text().startswith("# Stance head card")
    # The author threshold is chosen on the train tweets out of fold and kept in the card.
    assert head.author_threshold == card["author_threshold"]
    assert 0 <= card["author_threshold"] <= 1
    assert set(card["author_bias"]) <= set(T.LABELS) and head.author_bias == card["author_bias"]
    assert "SemEval-2016 train tweets" in card["author_threshold_chosen"]
    assert "author of a short text" in out.with_suffix(".md").read_text()


def _row(**probabilities: float) -> dict[str, float]:
    rest = (1 - sum(probabilities.values())) / (4 - len(probabilities))
    return {label: probabilities.get(label, rest) for label in T.LABELS}


def test_author_threshold_is_the_best_f_avg_and_the_highest_among_equals() -> None:
    gold = ["supportive", "opposed", "neutral", "neutral", "neutral"]
    rows = [
        _row(supportive=0.9),
        _row(opposed=0.8),
        _row(supportive=0.5),  # unsure and wrong: left unanswered at the chosen threshold
        _row(opposed=0.4),
        _row(cautious=0.95),  # a cautious answer counts as none: no harm to F_avg
    ]
    threshold, scores = T.choose_author_threshold(gold, rows)
    assert threshold == 0.8
    assert scores["f_avg"] == 1.0 and scores["coverage"] == 0.6
    assert scores["answered_accuracy"] == pytest.approx(2 / 3)
    always = T.author_scores(gold, rows, 0.0)
    assert always["coverage"] == 1.0 and always["f_avg"] < 1.0
    with pytest.raises(ValueError):
        T.choose_author_threshold([], [])


def test_author_setting_adds_offsets_only_when_they_raise_f_avg() -> None:
    # Every supportive tweet is read as a near tie lost to opposed: an offset for
    # supportive wins them back; with no such tie, no offset is kept.
    gold = ["supportive", "supportive", "opposed", "opposed", "neutral"]
    tied = [
        _row(supportive=0.40, opposed=0.45),
        _row(supportive=0.41, opposed=0.44),
        _row(opposed=0.80),
        _row(opposed=0.70),
        _row(neutral=0.90),
    ]
    bias, threshold, scores = T.choose_author_setting(gold, tied)
    assert bias.get("supportive", 0) > 0 and scores["f_avg"] == 1.0
    assert 0 < threshold <= 1
    clear = [_row(supportive=0.9), _row(supportive=0.8), *tied[2:]]
    bias, _, scores = T.choose_author_setting(gold, clear)
    assert bias == {} and scores["f_avg"] == 1.0


def test_tweets_out_of_fold_scores_every_train_tweet_once() -> None:
    examples = [
        T.Example(None, "x", (f"t{i}",), label, "semeval-train", f"tw{i}")
        for i, label in enumerate(["supportive", "opposed", "neutral"] * 4)
    ] + [
        T.Example("A", "x", ("n",), "cautious", "dev", "a1"),
        T.Example("B", "x", ("m",), "supportive", "dev", "a1"),
    ]
    x = torch.tensor([[float(i % 3 == 0), float(i % 3 == 1)] for i in range(len(examples))])
    settings = T.Settings(0.01, 3.0, 1.0, 0.5)
    gold, rows = T.tweets_out_of_fold(x, examples, settings, 1.0, seed=0, k=3)
    assert sorted(gold) == sorted(e.label for e in examples[:12])
    assert len(rows) == 12 and all(set(r) == set(T.LABELS) for r in rows)


def _write_jsonl(path: Path, rows: list[object]) -> None:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n")


def test_stance_news_sources_are_sampled_per_label_with_their_evidence(tmp_path: Path) -> None:
    basil = [
        {"id": f"b{i}", "target": "Obama", "text": f" Quote {i} ", "speaker": "Ann", "label": lab}
        for i, lab in enumerate(["opposed"] * 5 + ["supportive"] * 2)
    ]
    _write_jsonl(tmp_path / "basil_quotes.jsonl", basil)
    body = "Short. The mayor approved the new congestion charge on Monday. Cats are nice animals."
    _write_jsonl(tmp_path / "fnc1_train_bodies.jsonl", [{"body_id": 7, "text": body}])
    fnc = [
        {"id": f"f{i}", "target": "Mayor approves congestion charge", "body_id": 7, "label": lab}
        for i, lab in enumerate(["supportive", "neutral", "opposed", "neutral"])
    ]
    _write_jsonl(tmp_path / "fnc1_train.jsonl", fnc)
    found = T.stance_news_examples(tmp_path, ["basil", "fnc1"], 2, seed=0)
    by_source = {s: [e for e in found if e.source == s] for s in ("basil", "fnc1")}
    assert sorted(e.label for e in by_source["basil"]) == ["opposed"] * 2 + ["supportive"] * 2
    assert all(e.speaker == "Ann" and e.evidence[0].startswith("Quote") for e in by_source["basil"])
    assert len(by_source["fnc1"]) == 4 and all(e.speaker is None for e in by_source["fnc1"])
    assert "congestion charge on Monday" in by_source["fnc1"][0].evidence[0]
    assert found == T.stance_news_examples(tmp_path, ["basil", "fnc1"], 2, seed=0)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", r"basil_quotes\.jsonl:2: not JSON"),
        (
            '{"id": "b9", "target": "x", "label": "opposed"}',
            r"basil_quotes\.jsonl:2: missing field",
        ),
        (
            '{"id": "b9", "target": "x", "text": "t", "label": "pos"}',
            r"basil_quotes\.jsonl:2: unknown label 'pos'",
        ),
    ],
)
def test_a_malformed_source_line_is_named_with_its_line(
    tmp_path: Path, line: str, message: str
) -> None:
    good = {"id": "b1", "target": "x", "text": "t", "label": "opposed"}
    _write_jsonl(tmp_path / "basil_quotes.jsonl", [good, line])
    with pytest.raises(T.DataError, match=message):
        T.stance_news_examples(tmp_path, ["basil"], 10, seed=0)
    with pytest.raises(T.DataError, match=r"perspectrum\.jsonl: file not found"):
        T.stance_news_examples(tmp_path, ["perspectrum"], 10, seed=0)


def _loso_examples() -> tuple[torch.Tensor, list[T.Example]]:
    # News: the sign of feature 0 is the label. Tweets agree; the corpus "arc" is the
    # same feature with every label swapped, and it outnumbers the news.
    generator = torch.Generator().manual_seed(3)
    x = torch.randn(300, 3, generator=generator)
    examples = []
    for i, row in enumerate(x):
        right = "supportive" if row[0] > 0 else "opposed"
        wrong = "opposed" if right == "supportive" else "supportive"
        if i < 60:
            examples.append(T.Example("A", "t", ("e",), right, ("dev", "extra")[i % 2], f"a{i}"))
        elif i < 100:
            examples.append(T.Example(None, "t", ("e",), right, "semeval-train", f"t{i}"))
        else:
            examples.append(T.Example(None, "t", ("e",), wrong, "arc", f"arc{i}"))
    return x, examples


def test_loso_table_measures_what_each_source_is_worth() -> None:
    x, examples = _loso_examples()
    rows = T.loso_table(x, examples, T.Settings(0.01, 1.0, 1.0, 0.5), seed=0, fold_seeds=2)
    by_name = {r["name"]: r for r in rows}
    assert list(by_name) == [
        "all",
        "all - SemEval-2016 train tweets",
        "all - ARC",
        "all - extra news gold",
        "SemEval + news gold (the shipped data)",
        "news gold only",
    ]
    # The swapped corpus drags every row that trains on it below the rows that do not.
    assert by_name["all - ARC"]["accuracy"] > by_name["all"]["accuracy"] + 0.2
    assert by_name["all - ARC"]["mean_macro_f1"] > by_name["all"]["mean_macro_f1"] + 0.2
    assert by_name["news gold only"]["accuracy"] > 0.8
    assert all(r["n"] == 60 for r in rows)  # every news stance scored, out of fold
    assert by_name["all - extra news gold"]["trained_on"] == {
        "arc": 200,
        "dev": 30,
        "semeval-train": 40,
    }
    assert by_name["news gold only"]["left_out"] == ["arc", "semeval-train"]
    table = T.loso_markdown(rows)
    assert table.count("\n") == len(rows) + 2 and "| all - ARC | 100 | 60 |" in table
