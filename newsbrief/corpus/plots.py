"""The corpus pictures, drawn with matplotlib as inline SVG (the eval report's style).

Text stays text in the SVG and matplotlib escapes it, with math parsing off, so a speaker
named ``<b>$x$</b>`` is drawn as those characters.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any

from newsbrief.eval.plots import BASELINE_COLOUR, MODEL_COLOUR, SHARE_COLOURS, _figure, _svg
from newsbrief.models import DEFAULT_LABELS

if TYPE_CHECKING:
    from newsbrief.corpus.base import CorpusData as Corpus

#: Stance labels from top to bottom on the time axis, abstentions last.
STANCE_ORDER = ("supportive", "cautious", "neutral", "opposed")
_LABEL_COLOURS = dict(
    zip((*DEFAULT_LABELS, "abstained"), (*SHARE_COLOURS, "#dddddd"), strict=False)
)


def most_stanced_speaker(corpus: Corpus) -> str | None:
    """The named speaker with the most labelled stances (ties: the smaller id)."""
    counts: Counter[str] = Counter()
    for key, brief in corpus.briefs.items():
        for stance in brief.stances:
            speaker_id = corpus.speaker_of(key, stance.speaker)
            if speaker_id and stance.label and corpus.index.speakers[speaker_id].kind == "name":
                counts[speaker_id] += 1
    return min(counts, key=lambda s: (-counts[s], s)) if counts else None


def svg_stances_over_time(corpus: Corpus, speaker_id: str | None = None) -> str:
    """One speaker's stances by date: one point per article, its row the label, its size the
    confidence, its colour the issue group (the five largest named; the rest grey)."""
    speaker_id = speaker_id or most_stanced_speaker(corpus)
    name = corpus.index.speakers[speaker_id].name if speaker_id else "nobody"
    group_of = corpus.group_of()
    points: list[tuple[Any, int, float, str]] = []
    for key, brief in corpus.briefs.items():
        date = corpus.articles[key].date
        for stance in brief.stances:
            if date is None or corpus.speaker_of(key, stance.speaker) != speaker_id:
                continue
            if stance.label in STANCE_ORDER:
                label = group_of[key].label if key in group_of else brief.issue
                row = len(STANCE_ORDER) - 1 - STANCE_ORDER.index(stance.label)
                points.append((date, row, stance.confidence, label))
    counted = Counter(p[3] for p in points)
    issues = sorted(counted, key=lambda i: (-counted[i], i))[:5]
    with _figure(height=2.6) as (fig, ax):
        by_issue: dict[str, list[tuple[Any, int, float, str]]] = defaultdict(list)
        for point in points:
            by_issue[point[3] if point[3] in issues else "other issues"].append(point)
        for i, (issue, chosen) in enumerate(sorted(by_issue.items())):
            colour = BASELINE_COLOUR if issue == "other issues" else _palette(i)
            ax.scatter(
                [p[0] for p in chosen],
                [p[1] for p in chosen],
                s=[20 + 120 * p[2] for p in chosen],
                color=colour,
                alpha=0.8,
                label=_short(issue),
            )
        ax.set_yticks(range(len(STANCE_ORDER)), list(reversed(STANCE_ORDER)))
        ax.set_ylim(-0.5, len(STANCE_ORDER) - 0.5)
        ax.set_title(f"{_short(name)}: stances over time ({len(points)} labelled)")
        if points:
            ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
        fig.autofmt_xdate()
        return _svg(fig)


def svg_quoted_per_outlet(corpus: Corpus, top: int = 6, outlets: int = 4) -> str:
    """The most quoted named speakers of the largest outlets, one bar per speaker."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for key, brief in corpus.briefs.items():
        outlet = corpus.articles[key].outlet or "(no outlet)"
        for quote in brief.quotes:
            speaker_id = corpus.speaker_of(key, quote.speaker)
            if speaker_id and corpus.index.speakers[speaker_id].kind == "name":
                counts[outlet][speaker_id] += 1
    largest = sorted(counts, key=lambda o: (-sum(counts[o].values()), o))[:outlets]
    rows: list[tuple[str, int, int]] = []
    for i, outlet in enumerate(largest):
        for speaker_id, n in sorted(counts[outlet].items(), key=lambda kv: (-kv[1], kv[0]))[:top]:
            name = corpus.index.speakers[speaker_id].name
            rows.append((f"{_short(name)} ({_short(outlet, 20)})", n, i))
    with _figure(height=0.8 + 0.22 * max(len(rows), 1)) as (fig, ax):
        labels = [r[0] for r in reversed(rows)]
        ax.barh(range(len(rows)), [r[1] for r in reversed(rows)],
                color=[_palette(r[2]) for r in reversed(rows)])  # fmt: skip
        ax.set_yticks(range(len(rows)), labels)
        ax.set_xlabel("quotes")
        ax.set_title("Most quoted speakers per outlet")
        return _svg(fig)


def svg_stance_mix(corpus: Corpus, top: int = 10) -> str:
    """The stance labels (and abstentions) of the largest issue groups, as stacked bars."""
    group_of = corpus.group_of()
    mix: dict[str, Counter[str]] = defaultdict(Counter)
    for key, brief in corpus.briefs.items():
        if key in group_of:
            for stance in brief.stances:
                mix[group_of[key].id][stance.label or "abstained"] += 1
    groups = [g for g in corpus.issue_groups if g.id in mix][:top]
    labels = [*DEFAULT_LABELS, "abstained"]
    with _figure(height=0.9 + 0.25 * max(len(groups), 1)) as (fig, ax):
        left = [0] * len(groups)
        for label in labels:
            values = [mix[g.id][label] for g in groups]
            ax.barh(range(len(groups)), values, left=left, color=_LABEL_COLOURS[label], label=label)
            left = [a + b for a, b in zip(left, values, strict=True)]
        ax.set_yticks(
            range(len(groups)), [f"{_short(g.label)} ({len(g.article_ids)})" for g in groups]
        )
        ax.invert_yaxis()
        ax.set_xlabel("stances")
        ax.set_title("Stance mix per issue group (articles)")
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
        return _svg(fig)


def _palette(i: int) -> str:
    return (MODEL_COLOUR, "#d98c3b", "#5aa05a", "#a05a9c", "#c44e52", "#8c8c3b")[i % 6]


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
