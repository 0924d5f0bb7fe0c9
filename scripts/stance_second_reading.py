"""A second, independent reading of a sample of the stance gold, and the people's agreement.

    python scripts/stance_second_reading.py sample   # writes the blind worksheet
    python scripts/stance_second_reading.py show --item s07   # an item's article, blind
    python scripts/stance_second_reading.py kappa    # agreement of the two readings

- ``sample``: a seeded sample of speaker stances (default 60, seed 2026) from the gold
  *dev* half (``evals/gold``, ids of ``evals/splits.json``) and the extra Wikinews stance
  gold (``evals/stance_news/wikinews_stance_*.jsonl``, records that are in the gold
  dropped as the trainer drops them); never the held-out half. Stratified by the first
  reading's label with proportional allocation (largest remainder), so ``cautious`` and
  ``neutral`` appear as often as the sources give them. The worksheet
  (``evals/stance_news/second_reading_worksheet.jsonl``) names each item's file, article
  id, stance index, speaker and target, and no label or evidence; its rows are in
  article order, so their order says nothing about the labels either.
- ``show``: prints the article text of worksheet items with the speaker and target (never
  the first reading), for the second reader.
- ``kappa``: joins the second reading (``evals/stance_news/second_reading.jsonl``, rows
  ``{item, label, reason}``; ``label`` one of the stance labels or ``none``: the speaker
  takes no discernible position, which the guidelines leave without a stance) with the
  first reading and prints n, raw agreement, Cohen's kappa with a bootstrap 95% interval
  (articles resampled, so the stances of one article stay together), the confusion table
  and per-label agreement (specific agreement 2a / (2a + b + c), the F1 of one reading
  against the other for that label).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
SCRIPTS = ROOT / "scripts"
if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))

from newsbrief.errors import InputError  # noqa: E402
from newsbrief.eval.bootstrap import bootstrap_ci  # noqa: E402
from newsbrief.eval.gold import load_gold  # noqa: E402
from newsbrief.eval.stance_metrics import label_prf  # noqa: E402
from newsbrief.models import DEFAULT_LABELS  # noqa: E402

#: The second reader's answer for a speaker with no discernible position on the issue.
NO_STANCE = "none"
READING_LABELS = (*DEFAULT_LABELS, NO_STANCE)
#: The worksheet's fields: where the stance is and whose stance on what, nothing more.
WORKSHEET_FIELDS = ("item", "file", "article_id", "stance_index", "speaker", "target")
NEWS = ROOT / "evals" / "stance_news"
DEFAULT_WORKSHEET = NEWS / "second_reading_worksheet.jsonl"
DEFAULT_READING = NEWS / "second_reading.jsonl"
DEFAULT_SEED = 2026
DEFAULT_N = 60


@dataclass(frozen=True)
class Candidate:
    """One speaker stance of the first reading (the gold), where it is and its label."""

    file: str  # relative to the repository root
    article_id: str
    stance_index: int
    speaker: str
    target: str
    label: str


@dataclass(frozen=True)
class Article:
    file: str
    id: str
    title: str | None
    text: str


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _same_text_key(text: str) -> str:
    # The trainer's rule (scripts/train_stance_head.build_examples): an extra record is
    # the gold's article when its id is a gold id or its first 300 characters, spaces
    # folded, are a gold text's.
    return " ".join(text.split())[:300]


def load_pool(
    gold_dir: Path, splits: Path, extra: Sequence[Path], root: Path = ROOT
) -> tuple[list[Candidate], dict[tuple[str, str], Article]]:
    """Every speaker stance of the gold dev half and the extra news gold, and their
    articles by ``(file, article id)``. Held-out records are never read into the pool."""
    from train_stance_head import load_news  # the trainer's reader of the extra gold

    split = json.loads(splits.read_text(encoding="utf-8"))
    dev = set(split["dev"])
    gold_files = sorted(gold_dir.glob("*.jsonl"))
    if not gold_files:
        raise InputError(f"{gold_dir}: no gold files")
    candidates: list[Candidate] = []
    articles: dict[tuple[str, str], Article] = {}
    gold_ids: set[str] = set()
    gold_texts: set[str] = set()
    for path in gold_files:
        name = _relative(path, root)
        for record in load_gold(path):
            gold_ids.add(record.id)
            gold_texts.add(_same_text_key(record.text))
            if record.id not in dev:
                continue
            articles[(name, record.id)] = Article(name, record.id, record.title, record.text)
            for index, stance in enumerate(record.stances):
                if stance.speaker is not None:
                    candidates.append(
                        Candidate(
                            name, record.id, index, stance.speaker, stance.target, stance.label
                        )
                    )
    for path in extra:
        name = _relative(path, root)
        titles = {row["id"]: row.get("title") for row in read_rows(path, ("id",))}
        for news in load_news([path]):
            if news.id in gold_ids or _same_text_key(news.text) in gold_texts:
                continue
            articles[(name, news.id)] = Article(name, news.id, titles.get(news.id), news.text)
            for index, extra_stance in enumerate(news.stances):
                speaker, target, label = (
                    extra_stance.speaker,
                    extra_stance.target,
                    extra_stance.label,
                )
                if label not in DEFAULT_LABELS:
                    raise InputError(
                        f"{path}: {news.id} stance {index}: label {label!r} is not one "
                        f"of {', '.join(DEFAULT_LABELS)}"
                    )
                if speaker is not None:
                    candidates.append(Candidate(name, news.id, index, speaker, target, label))
    return candidates, articles


def allocate(counts: dict[str, int], n: int) -> dict[str, int]:
    """Proportional allocation of ``n`` draws over strata of ``counts`` items, by largest
    remainder (ties: the larger stratum, then the name)."""
    total = sum(counts.values())
    if n > total:
        raise ValueError(f"cannot draw {n} of {total} items")
    exact = {k: n * c / total for k, c in counts.items()}
    out = {k: math.floor(v) for k, v in exact.items()}
    left = n - sum(out.values())
    order = sorted(counts, key=lambda k: (-(exact[k] - out[k]), -counts[k], k))
    for k in order[:left]:
        out[k] += 1
    return out


def draw_sample(candidates: Sequence[Candidate], n: int, seed: int) -> list[Candidate]:
    """A seeded sample stratified by label, proportional; in article order."""
    strata: dict[str, list[Candidate]] = {}
    for c in candidates:
        strata.setdefault(c.label, []).append(c)
    sizes = allocate({k: len(v) for k, v in strata.items()}, n)
    rng = random.Random(seed)
    chosen: list[Candidate] = []
    for label in sorted(strata):
        chosen += rng.sample(strata[label], sizes[label])
    return sorted(chosen, key=lambda c: (c.file, c.article_id, c.stance_index))


def worksheet_rows(sample: Sequence[Candidate]) -> list[dict[str, Any]]:
    """The blind worksheet: no label, no evidence."""
    return [
        {
            "item": f"s{i:02d}",
            "file": c.file,
            "article_id": c.article_id,
            "stance_index": c.stance_index,
            "speaker": c.speaker,
            "target": c.target,
        }
        for i, c in enumerate(sample, 1)
    ]


def read_rows(path: Path, required: Sequence[str]) -> list[dict[str, Any]]:
    """JSONL rows, read by the trainer's reader (a missing file, a bad line or a missing
    field names the file and line); a file without rows is an error here."""
    from train_stance_head import read_jsonl

    rows = read_jsonl(path, required)
    if not rows:
        raise InputError(f"{path}: no rows")
    return rows


# -- agreement ----------------------------------------------------------------------------


def cohen_kappa(first: Sequence[str], second: Sequence[str]) -> float:
    """Cohen's kappa of two readings of the same items: (p_o - p_e) / (1 - p_e), p_e from
    each reading's own label shares. NaN when p_e is 1 (both readings give one and the
    same label to every item: agreement beyond chance is undefined)."""
    if len(first) != len(second):
        raise ValueError(f"readings differ in length: {len(first)} and {len(second)}")
    if not first:
        raise ValueError("no items")
    n = len(first)
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / n
    a_counts, b_counts = Counter(first), Counter(second)
    expected = sum(a_counts[k] * b_counts[k] for k in a_counts) / (n * n)
    if expected >= 1.0:
        return math.nan
    return (observed - expected) / (1.0 - expected)


def confusion(
    first: Sequence[str], second: Sequence[str], labels: Sequence[str]
) -> dict[str, dict[str, int]]:
    """Counts by first reading (rows) and second reading (columns)."""
    table = {a: dict.fromkeys(labels, 0) for a in labels}
    for a, b in zip(first, second, strict=True):
        table[a][b] += 1
    return table


@dataclass(frozen=True)
class Pair:
    """One worksheet item with both readings."""

    item: str
    article: str
    speaker: str
    first: str
    second: str


@dataclass(frozen=True)
class Agreement:
    n: int
    articles: int
    raw: float
    kappa: float
    kappa_low: float
    kappa_high: float
    table: dict[str, dict[str, int]]
    per_label: dict[str, tuple[int, int, float]]  # label -> (first n, second n, agreement)
    disagreements: tuple[Pair, ...]


def agreement(pairs: Sequence[Pair], *, resamples: int = 2000, seed: int = 0) -> Agreement:
    """Agreement of the two readings; the interval resamples articles."""
    if not pairs:
        raise ValueError("no items")
    first = [p.first for p in pairs]
    second = [p.second for p in pairs]
    by_article: dict[str, list[tuple[str, str]]] = {}
    for p in pairs:
        by_article.setdefault(p.article, []).append((p.first, p.second))
    groups = list(by_article.values())

    def pooled(draw: Sequence[list[tuple[str, str]]]) -> float:
        items = [x for group in draw for x in group]
        return cohen_kappa([a for a, _ in items], [b for _, b in items])

    low, high = bootstrap_ci(groups, pooled, n=resamples, seed=seed)
    labels = [x for x in READING_LABELS if x in first or x in second]
    per_label = {
        x: (first.count(x), second.count(x), label_prf(first, second, x).f1) for x in labels
    }
    return Agreement(
        n=len(pairs),
        articles=len(groups),
        raw=sum(a == b for a, b in zip(first, second, strict=True)) / len(pairs),
        kappa=cohen_kappa(first, second),
        kappa_low=low,
        kappa_high=high,
        table=confusion(first, second, labels),
        per_label=per_label,
        disagreements=tuple(p for p in pairs if p.first != p.second),
    )


def report(result: Agreement) -> str:
    labels = list(result.table)
    width = max(len(x) for x in [*labels, "first \\ second"]) + 2
    lines = [
        f"n = {result.n} stances on {result.articles} articles",
        f"raw agreement = {result.raw:.3f}",
        f"Cohen's kappa = {result.kappa:.3f} "
        f"(bootstrap 95% CI {result.kappa_low:.3f}-{result.kappa_high:.3f}, articles resampled)",
        "",
        "confusion (rows: first reading = gold, columns: second reading)",
        "first \\ second".ljust(width) + "".join(x.rjust(width) for x in labels),
    ]
    for a in labels:
        lines.append(a.ljust(width) + "".join(str(result.table[a][b]).rjust(width) for b in labels))
    lines += ["", "per label: first n, second n, specific agreement 2a/(2a+b+c)"]
    for x, (n1, n2, agree) in result.per_label.items():
        lines.append(f"  {x:<12} {n1:>3} {n2:>3}  {agree:.3f}")
    lines += [
        "",
        f"disagreements ({len(result.disagreements)}): item, article, speaker, first -> second",
    ]
    for p in result.disagreements:
        lines.append(f"  {p.item}  {p.article}  {p.speaker}: {p.first} -> {p.second}")
    return "\n".join(lines)


def reading_pairs(worksheet: Path, reading: Path, candidates: Iterable[Candidate]) -> list[Pair]:
    """Both readings of every worksheet item; every item must be read once, and the
    worksheet must still point at the same speaker and target."""
    sheet = read_rows(worksheet, WORKSHEET_FIELDS)
    rows = read_rows(reading, ("item", "label"))
    by_key = {(c.file, c.article_id, c.stance_index): c for c in candidates}
    second: dict[str, str] = {}
    for row in rows:
        item, label = str(row["item"]), row["label"]
        if label not in READING_LABELS:
            raise InputError(
                f"{reading}: item {item}: label {label!r} is not one of {', '.join(READING_LABELS)}"
            )
        if item in second:
            raise InputError(f"{reading}: item {item} is read twice")
        second[item] = label
    items = {str(r["item"]) for r in sheet}
    unknown = sorted(set(second) - items)
    if unknown:
        raise InputError(f"{reading}: items not on the worksheet: {', '.join(unknown)}")
    pairs = []
    for row in sheet:
        item = str(row["item"])
        if item not in second:
            raise InputError(f"{reading}: item {item} has no second reading")
        found = by_key.get((row["file"], row["article_id"], int(row["stance_index"])))
        if found is None or (found.speaker, found.target) != (row["speaker"], row["target"]):
            raise InputError(
                f"{worksheet}: item {item} no longer matches a stance of the gold dev half or "
                "the extra news gold (file, article id, stance index, speaker and target)"
            )
        article = f"{row['file']}#{row['article_id']}"
        pairs.append(Pair(item, article, found.speaker, found.label, second[item]))
    return pairs


# -- commands -----------------------------------------------------------------------------


def _pool(args: argparse.Namespace) -> tuple[list[Candidate], dict[tuple[str, str], Article]]:
    extra = sorted(args.extra.glob("wikinews_stance_*.jsonl"))
    return load_pool(args.gold, args.splits, extra)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/stance_second_reading.py")
    parser.add_argument("--gold", type=Path, default=ROOT / "evals" / "gold")
    parser.add_argument("--splits", type=Path, default=ROOT / "evals" / "splits.json")
    parser.add_argument("--extra", type=Path, default=NEWS, help="folder of the extra gold")
    parser.add_argument("--worksheet", type=Path, default=DEFAULT_WORKSHEET)
    sub = parser.add_subparsers(dest="command", required=True)
    sample = sub.add_parser("sample", help="write the blind worksheet")
    sample.add_argument("--n", type=int, default=DEFAULT_N)
    sample.add_argument("--seed", type=int, default=DEFAULT_SEED)
    show = sub.add_parser("show", help="print worksheet items' articles (no labels)")
    show.add_argument("--item", action="append", default=None)
    kappa = sub.add_parser("kappa", help="agreement of the second reading with the gold")
    kappa.add_argument("--reading", type=Path, default=DEFAULT_READING)
    kappa.add_argument("--resamples", type=int, default=2000)
    kappa.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    try:
        candidates, articles = _pool(args)
        if args.command == "sample":
            rows = worksheet_rows(draw_sample(candidates, args.n, args.seed))
            args.worksheet.write_text(
                "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
            )
            print(f"{len(rows)} items from {len(candidates)} speaker stances -> {args.worksheet}")
        elif args.command == "show":
            sheet = read_rows(args.worksheet, WORKSHEET_FIELDS)
            wanted = set(args.item) if args.item else None
            unknown = sorted((wanted or set()) - {str(r["item"]) for r in sheet})
            if unknown:
                raise InputError(f"{args.worksheet}: no item {', '.join(unknown)}")
            shown: set[tuple[str, str]] = set()
            for row in sheet:
                if wanted is not None and row["item"] not in wanted:
                    continue
                key = (row["file"], row["article_id"])
                same = [r for r in sheet if (r["file"], r["article_id"]) == key]
                if key in shown:
                    continue
                shown.add(key)
                article = articles[key]
                print(f"=== {article.id} ({article.file}): {article.title}")
                for r in same:
                    print(f"  {r['item']}: speaker {r['speaker']!r} on {r['target']!r}")
                print(article.text)
                print()
        else:
            pairs = reading_pairs(args.worksheet, args.reading, candidates)
            print(report(agreement(pairs, resamples=args.resamples, seed=args.seed)))
    except (InputError, ValueError) as exc:  # ValueError: the trainer's DataError too
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
