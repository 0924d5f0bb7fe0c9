"""Small hand-written SVG plots for the HTML report: score histograms and system bar charts.

No plotting library is needed; every label is XML-escaped, so any text is safe to embed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

_WIDTH = 420
_HEIGHT = 220
_MARGIN_LEFT = 44
_MARGIN_RIGHT = 12
_MARGIN_TOP = 24
_MARGIN_BOTTOM = 36
_BAR = "#4878a8"
_BASELINE_BAR = "#a0a0a0"


@dataclass(frozen=True)
class Bar:
    """One bar of a bar chart: a value in [0, 1] with an optional interval."""

    label: str
    value: float
    low: float | None = None
    high: float | None = None
    highlight: bool = False


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


def svg_histogram(values: Sequence[float], *, title: str, bins: int = 10) -> str:
    """A histogram of per-article scores in [0, 1] as an inline ``<svg>`` element."""
    counts = histogram_counts(values, bins)
    top = max(counts, default=0) or 1
    plot_w, plot_h = _plot_size()
    width = plot_w / bins
    parts = [_open(title)]
    for i, count in enumerate(counts):
        height = plot_h * count / top
        x = _MARGIN_LEFT + i * width
        y = _MARGIN_TOP + plot_h - height
        low, high = i / bins, (i + 1) / bins
        parts.append(
            f'<rect x="{x + 1:.1f}" y="{y:.1f}" width="{width - 2:.1f}" height="{height:.1f}" '
            f'fill="{_BAR}"><title>{low:.1f}-{high:.1f}: {count}</title></rect>'
        )
    parts += _x_axis_ticks(plot_w, plot_h)
    parts.append(_y_label(f"articles (max {top})", plot_h))
    parts.append("</svg>")
    return "".join(parts)


def svg_bar_chart(bars: Sequence[Bar], *, title: str) -> str:
    """Horizontal bars on a [0, 1] scale, with interval whiskers, as an inline ``<svg>``."""
    row_h = 22
    label_w = 170
    plot_w = _WIDTH - label_w - _MARGIN_RIGHT
    height = _MARGIN_TOP + row_h * max(len(bars), 1) + _MARGIN_BOTTOM
    parts = [_open(title, height=height)]
    for i, bar in enumerate(bars):
        y = _MARGIN_TOP + i * row_h
        value = _clamp(bar.value)
        fill = _BAR if bar.highlight else _BASELINE_BAR
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="11">'
            f"{escape(_clip(bar.label))}</text>"
        )
        parts.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{plot_w * value:.1f}" height="{row_h - 8}" '
            f'fill="{fill}"><title>{escape(bar.label)}: {bar.value:.3f}</title></rect>'
        )
        if bar.low is not None and bar.high is not None:
            x1 = label_w + plot_w * _clamp(bar.low)
            x2 = label_w + plot_w * _clamp(bar.high)
            mid = y + row_h / 2
            parts.append(
                f'<line x1="{x1:.1f}" y1="{mid:.1f}" x2="{x2:.1f}" y2="{mid:.1f}" '
                f'stroke="black" stroke-width="1.5"/>'
            )
    axis_y = _MARGIN_TOP + row_h * max(len(bars), 1)
    for tick in (0.0, 0.5, 1.0):
        x = label_w + plot_w * tick
        parts.append(
            f'<text x="{x:.1f}" y="{axis_y + 14}" text-anchor="middle" font-size="10">'
            f"{tick:.1f}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _open(title: str, *, height: int = _HEIGHT) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{height}" '
        f'viewBox="0 0 {_WIDTH} {height}" role="img" aria-label="{escape(title)}">'
        f'<text x="{_WIDTH / 2}" y="15" text-anchor="middle" font-size="12" '
        f'font-weight="bold">{escape(title)}</text>'
    )


def _plot_size() -> tuple[float, float]:
    return (
        _WIDTH - _MARGIN_LEFT - _MARGIN_RIGHT,
        _HEIGHT - _MARGIN_TOP - _MARGIN_BOTTOM,
    )


def _x_axis_ticks(plot_w: float, plot_h: float) -> list[str]:
    y = _MARGIN_TOP + plot_h
    parts = [
        f'<line x1="{_MARGIN_LEFT}" y1="{y}" x2="{_MARGIN_LEFT + plot_w}" y2="{y}" stroke="black"/>'
    ]
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        x = _MARGIN_LEFT + plot_w * tick
        parts.append(
            f'<text x="{x:.1f}" y="{y + 14}" text-anchor="middle" font-size="10">{tick:g}</text>'
        )
    return parts


def _y_label(text: str, plot_h: float) -> str:
    y = _MARGIN_TOP + plot_h / 2
    return (
        f'<text x="12" y="{y:.1f}" transform="rotate(-90 12 {y:.1f})" text-anchor="middle" '
        f'font-size="10">{escape(text)}</text>'
    )


def _clamp(value: float) -> float:
    return min(max(value, 0.0), 1.0)


def _clip(label: str, limit: int = 28) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
