"""The HTML report's plots, drawn with matplotlib and embedded as inline SVG.

Text stays text in the SVG (``svg.fonttype: none``) and matplotlib escapes it, so any
system name or title is safe to embed; math parsing is off, so a ``$`` in a name is shown
as it is. The output is deterministic (fixed hash salt, no date), so a report can be
compared run to run.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

#: newsbrief's bars; baselines and reference systems are grey, reference systems hatched.
MODEL_COLOUR = "#3b6ea5"
BASELINE_COLOUR = "#9a9a9a"
REFERENCE_COLOUR = "#c8c8c8"
#: Stacked shares (kept, shortened, generated), in that order.
SHARE_COLOURS = ("#3b6ea5", "#8fb3d9", "#d98c3b", "#9a9a9a")

_RC: Any = {
    "svg.fonttype": "none",
    "svg.hashsalt": "newsbrief",
    "text.parse_math": False,
    "font.family": "sans-serif",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
_WIDTH_IN = 5.2
#: Width of a bar chart's plot area; its labels add to the figure's width.
_PLOT_IN = 3.6


@dataclass(frozen=True)
class Bar:
    """One bar of a bar chart: a value in [0, 1] with an optional interval.

    Args:
        label: the system's name.
        value: its score.
        low: the interval's lower end (``None``: no interval).
        high: the interval's upper end.
        highlight: draw it in newsbrief's colour.
        n: the number of articles the value is over (shown beside the label).
        kind: ``model``, ``baseline`` or ``reference`` (reference bars are hatched).
    """

    label: str
    value: float
    low: float | None = None
    high: float | None = None
    highlight: bool = False
    n: int | None = None
    kind: str = "baseline"


def histogram_counts(values: Sequence[float], bins: int = 10) -> list[int]:
    """Counts of ``values`` in ``bins`` equal bins over [0, 1]; 1.0 falls in the last bin.

    Raises:
        ValueError: ``bins`` below 1 or a value outside [0, 1].
    """
    if bins < 1:
        raise ValueError(f"bins must be at least 1, got {bins}")
    counts = [0] * bins
    for value in values:
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"value {value} lies outside [0, 1]")
        counts[min(int(value * bins), bins - 1)] += 1
    return counts


def bar_label(bar: Bar) -> str:
    """The label of a bar: the system's name and, when known, ``(n=4)``."""
    return bar.label if bar.n is None else f"{bar.label} (n={bar.n})"


def svg_bar_chart(bars: Sequence[Bar], *, title: str, xlabel: str = "") -> str:
    """Horizontal bars on a [0, 1] scale with interval whiskers and value labels, as ``<svg>``.

    Labels are never cut: the figure grows to fit the longest one.
    """
    with _figure(height=0.9 + 0.32 * max(len(bars), 1)) as (fig, ax):
        positions = list(range(len(bars)))
        colours = [_bar_colour(bar) for bar in bars]
        drawn = ax.barh(positions, [_clamp(b.value) for b in bars], color=colours, height=0.65)
        gid = _slug(title)
        for i, (patch, bar) in enumerate(zip(drawn.patches, bars, strict=True)):
            patch.set_gid(f"{gid}-bar-{i}")
            if bar.kind == "reference" and not bar.highlight:
                patch.set_hatch("///")
                patch.set_edgecolor("#6c6c6c")
        for y, bar in zip(positions, bars, strict=True):
            end = _clamp(bar.value)
            whisker: Any = None
            if bar.low is not None and bar.high is not None and bar.high > bar.low:
                whisker = ax.errorbar(
                    end,
                    y,
                    xerr=[[end - _clamp(bar.low)], [_clamp(bar.high) - end]],
                    fmt="none",
                    ecolor="black",
                    elinewidth=1,
                    capsize=3,
                )
                whisker.lines[2][0].set_gid(f"{gid}-interval-{y}")
                end = max(end, _clamp(bar.high))
            ax.text(
                end + 0.015,
                y,
                f"{bar.value:.3f}",
                va="center",
                ha="left",
                fontsize=8,
                gid=f"{gid}-value-{y}",
            )
        ax.set_yticks(positions, [bar_label(b) for b in bars])
        ax.invert_yaxis()
        ax.set_xlim(0.0, 1.15)
        ax.set_xticks([0.0, 0.25, 0.5, 0.75, 1.0])
        ax.set_title(title, fontsize=10, fontweight="bold", loc="left")
        if xlabel:
            ax.set_xlabel(xlabel)
        ax.grid(axis="x", color="#e0e0e0", linewidth=0.6)
        ax.set_axisbelow(True)
        _widen_for_labels(fig, ax)
        return _svg(fig)


def svg_histogram(values: Sequence[float], *, title: str, xlabel: str = "", bins: int = 10) -> str:
    """A histogram of per-article scores in [0, 1] as ``<svg>``, with counts on the bars."""
    counts = histogram_counts(values, bins)
    with _figure(height=2.4) as (fig, ax):
        width = 1.0 / bins
        lefts = [i * width for i in range(bins)]
        drawn = ax.bar(lefts, counts, width=width * 0.92, align="edge", color=MODEL_COLOUR)
        gid = _slug(title)
        for i, patch in enumerate(drawn.patches):
            patch.set_gid(f"{gid}-bin-{i}")
        ax.bar_label(drawn, labels=[str(c) if c else "" for c in counts], fontsize=8, padding=1)
        ax.set_xlim(0.0, 1.0)
        ax.set_xticks([0.0, 0.25, 0.5, 0.75, 1.0])
        top = max(counts, default=0)
        ax.set_ylim(0, max(top, 1) * 1.18)
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.set_ylabel("articles")
        ax.set_xlabel(xlabel or "score")
        ax.set_title(f"{title} (n={len(values)})", fontsize=10, fontweight="bold", loc="left")
        return _svg(fig)


def svg_share_chart(shares: Mapping[str, Mapping[str, float]], *, title: str) -> str:
    """Stacked horizontal bars of shares (e.g. summary sentences kept/shortened/generated).

    Args:
        shares: per system, each part's share (parts in the same order for every system).
        title: the chart's title.
    """
    systems = list(shares)
    parts = list(dict.fromkeys(part for values in shares.values() for part in values))
    with _figure(height=1.2 + 0.32 * max(len(systems), 1)) as (fig, ax):
        lefts = [0.0] * len(systems)
        for index, part in enumerate(parts):
            widths = [shares[s].get(part, 0.0) for s in systems]
            drawn = ax.barh(
                systems,
                widths,
                left=lefts,
                height=0.6,
                label=part,
                color=SHARE_COLOURS[index % len(SHARE_COLOURS)],
            )
            ax.bar_label(
                drawn,
                labels=[f"{w:.0%}" if w >= 0.06 else "" for w in widths],
                label_type="center",
                fontsize=8,
            )
            lefts = [a + b for a, b in zip(lefts, widths, strict=True)]
        ax.invert_yaxis()
        ax.set_xlim(0.0, 1.0)
        ax.xaxis.set_major_formatter("{x:.0%}")
        ax.set_title(title, fontsize=10, fontweight="bold", loc="left")
        ax.legend(
            ncols=max(len(parts), 1),
            loc="upper center",
            bbox_to_anchor=(0.5, -0.18),
            frameon=False,
            fontsize=8,
        )
        return _svg(fig)


@contextmanager
def _figure(*, height: float) -> Iterator[tuple[Any, Any]]:
    """A figure outside pyplot (no global state, no GUI backend) under the report's style."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(_WIDTH_IN, height), layout="constrained")
        ax = fig.add_subplot()
        yield fig, ax


def _widen_for_labels(fig: Any, ax: Any) -> None:
    """Give the plot area its full width whatever the length of the system names."""
    fig.draw_without_rendering()
    widest = max((t.get_window_extent().width for t in ax.get_yticklabels()), default=0.0)
    label_in = widest / fig.dpi
    fig.set_size_inches(_PLOT_IN + label_in + 0.5, fig.get_size_inches()[1])


def _svg(fig: Any) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buffer.getvalue()
    return text[text.index("<svg") :]  # inline: no XML declaration or DOCTYPE


def _slug(title: str) -> str:
    """An SVG id prefix from a title: letters and digits, the rest as dashes."""
    return "plot-" + "".join(c if c.isascii() and c.isalnum() else "-" for c in title.lower())


def _bar_colour(bar: Bar) -> str:
    if bar.highlight:
        return MODEL_COLOUR
    return REFERENCE_COLOUR if bar.kind == "reference" else BASELINE_COLOUR


def _clamp(value: float) -> float:
    return min(max(value, 0.0), 1.0)
