"""Attribution on PolNeAR dev with pronoun sources resolved (issue 25), beside the scorer of
``newsbrief eval ... --tasks quotes``.

Run from the repository root (not collected by pytest; PolNeAR is read where it lies,
never copied)::

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/polnear_speakers.py \\
        [/work/shared/data/polnear/polnear_dev.jsonl] [--errors N] [--gold evals/gold]

For newsbrief's rules (``find_quotes``) and the quote-marks baseline it prints content
overlap P/R/F1, recall on attributions whose cue is a verb of saying and speaker accuracy
on overlap-matched attributions, all as the eval runner computes them
(``eval.quote_metrics``, ``eval.runner``), and speaker accuracy with pronouns resolved:
a gold source that is a bare pronoun ("he", "she", "they", "it", "we") counts as the
nearest earlier gold source of the same article that is not a pronoun (the annotators'
own chain), so "he" answered by the name it refers to is right; and "source named": the
predicted speaker's last word is a word of the (resolved) gold source, which PolNeAR
writes with its titles and appositions ("Dean, a medical doctor," for "Howard Dean").
The last column is the measure to quote: speaker accuracy with the gold resolved from
PolNeAR's own annotation and text (:func:`resolve_gold`; PolNeAR has no coreference
chains or entity ids, so "he"/"she"/"who" are resolved along the annotators' sources,
and a source that cannot be resolved, a description such as "the president", "they",
"which", is counted apart, never as right or wrong); names compared by the scorer's
rule (:func:`same_person`, titles dropped) or a lone gold first name.
Precision leaves out the fragments (``quote_metrics.count_fragments``): a predicted quote
that is another piece of a matched gold statement ('"A," she said. "B."', one PolNeAR
content in two spans); the line also gives the precision that counts them as false.
``--errors N`` prints N wrong speakers by that measure per kind of error;
``--resolutions N`` prints N resolved pronoun sources with their context, to check the
resolver by hand.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newsbrief.eval.brief_metrics import same_person
from newsbrief.eval.gold import load_gold
from newsbrief.eval.polnear import polnear_source_spans
from newsbrief.eval.quote_marks import quote_mark_baseline
from newsbrief.eval.quote_metrics import count_quote_matches, match_by_overlap, same_speaker
from newsbrief.eval.runner import _is_saying
from newsbrief.quotes import find_quotes
from newsbrief.quotes.clusters import fold
from newsbrief.text.document import Document
from newsbrief.text.lexicon import (
    FEMININE_FIRST_NAMES,
    FEMININE_WORDS,
    MASCULINE_FIRST_NAMES,
    MASCULINE_WORDS,
    NAME_PARTICLES,
    NAME_TITLES,
    NOT_SPEAKER_NAMES,
    ORGANISATION_ENDS,
)

DEFAULT = Path("/work/shared/data/polnear/polnear_dev.jsonl")
_PRONOUN = re.compile(r"(?i)(?:he|she|they|it|we|i|you)")


def _right(gold: str | None, predicted: str | None) -> bool:
    if gold is None or predicted is None:
        return same_speaker(gold, predicted)
    return same_person(gold, predicted)


def _resolved_sources(quotes: list[Any]) -> list[str | None]:
    """Each gold quote's source, a bare pronoun replaced by the nearest earlier named one."""
    resolved: list[str | None] = []
    for quote in quotes:
        speaker = quote.speaker
        if speaker and _PRONOUN.fullmatch(speaker.strip()):
            earlier = [
                q.speaker
                for q in quotes
                if q.start < quote.start and q.speaker and not _PRONOUN.fullmatch(q.speaker.strip())
            ]
            speaker = earlier[-1] if earlier else speaker
        resolved.append(speaker)
    return resolved


_DETERMINERS = frozenset({"the", "a", "an", "his", "her", "their", "its", "our", "my"})
_HE_SHE = {"he": "m", "she": "f"}
_RELATIVE = frozenset({"who", "whom", "whose"})
_WORD = re.compile(r"[^\W\d_][\w’'.\-]*")


_LINKS = frozenset({"of", "for"})
FIRST_NAMES = MASCULINE_FIRST_NAMES | FEMININE_FIRST_NAMES
_PREPOSITIONS = frozenset({"at", "by", "for", "from", "in", "of", "on", "to", "with"})


def gold_name(source: str | None) -> str | None:
    """The name a gold source text gives, or ``None`` when it gives none (a pronoun, a
    description such as "the mayor", "the chair of the DNC").

    PolNeAR writes sources with their titles, roles and appositions: the name is the
    capitalised run (name particles, "of" and "for" allowed inside) that ends the source's
    first part (up to a comma or a dash), without the title words before it and without
    a place after "of": "Republican presidential nominee Donald Trump" -> "Donald Trump",
    "NYPD Commissioner James O'Neill" -> "James O'Neill", "Dean, a medical doctor," ->
    "Dean", "Mr. Trump" -> "Trump", "Rep. Ann Lee of Ohio" -> "Ann Lee", "the Association
    of Flight Attendants" -> "Association of Flight Attendants". A first part that is a
    description ("His former partner at Lenox, Ann Lee,") gives the name of the
    apposition after it. Read from the gold text alone, never from a system's output.
    """
    if not source:
        return None
    plain = re.sub(r"\([^)]*\)", " ", source)
    parts = [p.strip() for p in re.split(r",|--|—|–", plain) if p.strip()]
    if not parts:
        return None
    name, described = _part_name(parts[0])
    if name is None and described and len(parts) > 1:
        after, _ = _part_name(parts[1])
        if after is not None and " ".join(_WORD.findall(parts[1])) == after:
            return after
    return name


def _part_name(part: str) -> tuple[str | None, bool]:
    """The name ending one part of a source, and whether the part is a description."""
    words = _WORD.findall(part)
    if not words or not words[-1][:1].isupper():
        return None, True  # the head noun is lowercase: a description ("the mayor")
    run: list[str] = []
    for word in reversed(words):
        if word[:1].isupper() or (run and (word in NAME_PARTICLES or word in _LINKS)):
            run.insert(0, word)
        else:
            break
    before = words[: len(words) - len(run)]
    if len(run) == 1 and re.search(r"[’']s$", run[0]):
        run = [run[0][:-2]]  # an owner alone: "Trump's" (statement)
    while run and (run[0] in NAME_PARTICLES or run[0] in _LINKS or re.search(r"[’']s$", run[0])):
        run.pop(0)  # a particle cut from its name, an owner ("NBC's Dante Chinni")
    if len(before) > 1 and before[-1].lower() in _PREPOSITIONS | _DETERMINERS:
        return None, True  # "the chair of the DNC", "a partner at Lenox"
    if run and run[0].lower() in _DETERMINERS:
        run.pop(0)
    titles = {t.lower() for t in NAME_TITLES}
    last_title = max(
        (i for i, w in enumerate(run[:-1]) if w.lower().rstrip(".") in titles), default=-1
    )
    if run and run[-1] in ORGANISATION_ENDS:
        last_title = -1  # a body keeps its words: "State Department Refugee Processing Center"
    run = run[last_title + 1 :]
    person = last_title >= 0 or bool(run and run[0] in FIRST_NAMES)
    for link, word in enumerate(run):
        # "Rep. Ann Lee of Ohio": the person before "of"; "Association of ..." stays whole.
        if word in _LINKS and link >= 2 and person:
            run = run[:link]
            break
    if not run or _PRONOUN.fullmatch(run[-1]) or run[-1].lower() in _RELATIVE | _DETERMINERS:
        return None, False
    return " ".join(run), False


def _gender(source: str) -> str | None:
    words = _WORD.findall(source)
    lowered = {w.lower().rstrip(".") for w in words}
    male = bool(lowered & MASCULINE_WORDS) or any(w in MASCULINE_FIRST_NAMES for w in words)
    female = bool(lowered & FEMININE_WORDS) or any(w in FEMININE_FIRST_NAMES for w in words)
    return "m" if male and not female else "f" if female and not male else None


def _is_person(name: str, source: str, text: str) -> bool:
    """Whether a gold source's name can be one person: not an organisation ("The Times",
    "... Council"), and a lone word only where the article writes it after a first name,
    an initial or a title ("Tom Clarke", "Mr. Clarke"), so "Pakistan" or "Republican"
    is not taken for "he"."""
    words = name.split()
    if words[-1] in ORGANISATION_ENDS or source.strip().lower().startswith("the "):
        return False
    if len(words) >= 2:
        return True
    titles = "|".join(re.escape(t) for t in sorted(NAME_TITLES, key=len, reverse=True))
    before = rf"(?:\b(?:{titles})\.?|\b[A-Z]\.|\b[A-Z][a-z]+)\s+{re.escape(name)}\b"
    return any(m.group(0).split()[0] not in NOT_SPEAKER_NAMES for m in re.finditer(before, text))


def resolve_gold(
    text: str, sources: list[str | None], spans: list[tuple[int, int] | None]
) -> list[str | None]:
    """Each gold source as a name, from the annotation and the text alone; ``None`` where
    the gold cannot be resolved (counted apart, never as right or wrong).

    - a source that gives a name (:func:`gold_name`) is that name;
    - "he"/"she" is resolved along the annotators' sources
      before it, in the order of the text (:func:`_antecedent`; gender from the lexicon's
      cues: first names, titles, role words);
    - "who" is the name the text writes right before it ("Ann Lee, who said"): a full
      name, or a surname the nearest earlier gold source gives; not after "A and B,";
    - anything else (descriptions, "they", "it", "which", no source span) is unresolved.
    """
    named = [gold_name(s) for s in sources]
    # A name's gender cues are read from every gold source naming that person
    # ("President Barack Obama" tells what "Obama" is).
    # ("President Barack Obama" tells what "Obama" is), and from the text's "Mr. Obama",
    # "Barack Obama" (a courtesy title or a first name of the lexicon before the surname).
    cues = {
        n: " ".join(s or "" for s, m in zip(sources, named, strict=True) if m and same_person(m, n))
        + " "
        + " ".join(
            re.findall(
                rf"\b(?:Mr|Mrs|Ms|Miss|[A-Z][a-z]+)\.?(?=\s+{re.escape(n.split()[-1])}\b)", text
            )
        )
        for n in {m for m in named if m}
    }
    resolved: list[str | None] = list(named)
    order = sorted((span[0], i) for i, span in enumerate(spans) if span is not None)
    for place, (start, index) in enumerate(order):
        word = (sources[index] or "").strip().lower()
        if named[index] is not None:
            continue
        if word in _HE_SHE:
            resolved[index] = _antecedent(
                _HE_SHE[word], order[:place], sources, named, resolved, cues, text
            )
        elif word in _RELATIVE:
            before = text[max(0, start - 80) : start].rstrip()
            last = re.split(r"[,;:\n]", before.rstrip(","))[-1]
            found = gold_name(last) if before.endswith(",") else None
            earlier = [named[i] for _, i in order[:place] if named[i]]
            joined = re.search(r"\b(?:and|or)\s+(?:\S+\s+)?\S+\s*$", last)  # "A and B, who"
            ok = (
                found
                and not joined
                and (len(found.split()) >= 2 or (earlier and same_person(earlier[-1] or "", found)))
            )
            resolved[index] = found if ok else None
    return resolved


def _antecedent(
    gender: str,
    earlier: list[tuple[int, int]],
    sources: list[str | None],
    named: list[str | None],
    resolved: list[str | None],
    cues: dict[str, str],
    article: str,
) -> str | None:
    """The name a "he"/"she" source refers to: walking back over the gold sources before
    it, the first that can be one person of that gender. A "he"/"she" of that gender
    passes on its own resolution; a name of a person of no other gender is the answer;
    groups, organisations and other pronouns ("they", "it", "which") are passed over; a
    singular description ("the president", "my mother") ends the search unresolved."""
    for _, i in reversed(earlier):
        text = (sources[i] or "").strip()
        word = text.lower()
        if word in _HE_SHE:
            if _HE_SHE[word] == gender:
                return resolved[i]
            continue
        name = named[i]
        if name is not None:
            if _is_person(name, text, article) and _gender(cues.get(name, text)) in (
                gender,
                None,
            ):
                return name
            continue
        head = _WORD.findall(text.split(",")[0])
        if not head or _PRONOUN.fullmatch(word) or word in _RELATIVE | {"which", "that"}:
            continue
        last = head[-1].lower()
        if last.endswith("s") and not last.endswith("ss"):
            continue  # a group ("human rights groups", "experts")
        return None
    return None


def _right_named(gold: str, predicted: str | None) -> bool:
    """Whether the predicted speaker is the resolved gold name: the scorer's rule
    (:func:`same_person`, titles dropped) or the gold's lone first name starting it
    ("Hillary" for "Hillary Clinton")."""
    if predicted is None:
        return False
    if same_person(gold, predicted):
        return True
    g, p = gold.split(), predicted.split()
    return len(g) == 1 and len(p) >= 2 and fold(g[0]) == fold(p[0])


def _names_source(gold: str | None, predicted: str | None) -> bool:
    """Whether the predicted speaker names the gold source: its last word is a word of the
    gold source text ("Howard Dean" in "Dean, a medical doctor,"; "Marc Kasowitz" in
    "Trump lawyer Marc Kasowitz"), accents and case folded."""
    if gold is None or predicted is None:
        return gold is None and predicted is None
    words = {fold(w) for w in re.findall(r"[\w’'\-]+", gold)}
    last = re.findall(r"[\w’'\-]+", predicted)
    return bool(last) and fold(last[-1]) in words


def _error_kind(gold: str | None, predicted: str | None) -> str:
    if predicted is None:
        return "no speaker given"
    if gold is None:
        return "gold has no source"
    if not gold[:1].isupper() or gold.lower().startswith(("the ", "a ", "an ")):
        return "gold source is a description"
    if _PRONOUN.fullmatch(gold.strip()):
        return "gold pronoun unresolved"
    if not predicted[:1].isupper() or predicted.lower().startswith(("the ", "a ")):
        return "predicted a description for a name"
    return "another name"


def _raw_records(path: Path) -> dict[str, dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return {str(row.get("id")): row for row in rows}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--errors", type=int, default=0)
    parser.add_argument(
        "--resolutions",
        type=int,
        default=0,
        help="print N pronoun sources "
        "resolved from the gold, with their context, to check the resolver",
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    records = [r for r in load_gold(args.path) if r.quotes]
    raw = _raw_records(args.path)
    systems: dict[str, Callable[[str], list[Any]]] = {
        "newsbrief": lambda text: find_quotes(Document.parse(text)),
        "quote-marks+nearest-name": quote_mark_baseline,
    }
    errors: dict[str, list[str]] = defaultdict(list)
    resolutions: list[str] = []
    print(f"{args.path} ({len(records)} articles)")
    print(
        "system | overlap P / R / F1 | saying recall | speaker acc | pronouns resolved "
        "| source named || speaker acc, gold resolved (scored; unresolved apart)"
    )
    for name, finder in systems.items():
        n_gold = n_pred = n_fragments = overlap = saying = saying_found = 0
        right = right_resolved = named = 0
        scored = scored_right = unresolved = unresolved_given = 0
        for record in records:
            predicted = finder(record.text)
            gold = list(record.quotes)
            spans = polnear_source_spans(raw[record.id])
            gold_names = resolve_gold(record.text, [q.speaker for q in gold], spans)
            counts = count_quote_matches(gold, predicted)
            n_gold += counts.n_gold
            n_pred += counts.n_predicted
            n_fragments += counts.fragments
            pairs = match_by_overlap(gold, predicted)
            overlap += len(pairs)
            resolved = _resolved_sources(gold)
            for i, j in pairs:
                right += _right(gold[i].speaker, predicted[j].speaker)
                ok = _right(resolved[i], predicted[j].speaker) or _right(
                    gold[i].speaker, predicted[j].speaker
                )
                right_resolved += ok
                named += ok or _names_source(resolved[i], predicted[j].speaker)
                got = predicted[j].speaker
                if gold[i].speaker is not None and gold_names[i] is None:
                    unresolved += 1
                    unresolved_given += got is not None
                    continue
                scored += 1
                target = gold_names[i]
                ok = got is None if target is None else _right_named(target, got)
                scored_right += ok
                if name != "newsbrief":
                    continue
                shown = f"{record.id}: gold {gold[i].speaker!r}" + (
                    f" (= {target!r})" if target != gold[i].speaker else ""
                )
                if target != gold[i].speaker and gold_name(gold[i].speaker) is None:
                    span = spans[i]
                    assert span is not None
                    around = record.text[max(0, span[0] - 150) : span[1] + 20]
                    resolutions.append(f"{shown} | ...{around!r}")
                if not ok:
                    kind = (
                        "no speaker given"
                        if got is None
                        else "gold has no source"
                        if target is None
                        else "another name (gold pronoun resolved)"
                        if gold_name(gold[i].speaker) is None
                        else "another name"
                    )
                    errors[kind].append(f"{shown}, got {got!r} | {predicted[j].text[:90]!r}")
            said = [q for q in gold if _is_saying(getattr(q, "cue", None))]
            saying += len(said)
            saying_found += len(match_by_overlap(said, predicted)) if said else 0
        p, r = overlap / max(n_pred - n_fragments, 1), overlap / max(n_gold, 1)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        print(
            f"{name} | {p:.3f} / {r:.3f} / {f1:.3f} | {saying_found / max(saying, 1):.3f} "
            f"| {right / max(overlap, 1):.3f} | {right_resolved / max(overlap, 1):.3f} "
            f"| {named / max(overlap, 1):.3f} || {scored_right / max(scored, 1):.3f} "
            f"({scored_right}/{scored}; unresolved {unresolved}, a speaker given for "
            f"{unresolved_given}) "
            f"(n gold {n_gold}, predicted {n_pred}, fragments {n_fragments}, matched {overlap}, "
            f"saying {saying}; precision counting fragments as false: "
            f"{overlap / max(n_pred, 1):.3f})"
        )
    rng = random.Random(args.seed)
    if args.resolutions:
        print(f"\n## pronoun sources resolved from the gold: {len(resolutions)}")
        for line in rng.sample(resolutions, min(args.resolutions, len(resolutions))):
            print("  " + line)
    if args.errors:
        for kind, items in sorted(errors.items(), key=lambda kv: -len(kv[1])):
            print(f"\n## {kind}: {len(items)}")
            for line in rng.sample(items, min(args.errors, len(items))):
                print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
