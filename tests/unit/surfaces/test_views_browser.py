"""The Jupyter view and the eval report in a real headless browser (Chromium).

The browser computes the styles: contrast of every piece of text against its effective
background on a light and a dark notebook theme, the legend and the speaker highlight as
laid out, and every plot label inside its SVG. Skipped, with the reason, when no Chromium
is installed (Debian: ``apt-get install chromium``).
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from newsbrief.eval.html import render_html
from newsbrief.surfaces.display import PALETTE, brief_html
from tests.unit.eval.test_eval_html import LONG, with_reference
from tests.unit.eval.test_eval_report import make_report
from tests.unit.surfaces.test_display import ARTICLE, sentence_brief

BROWSER = next(
    (b for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None
)
pytestmark = pytest.mark.skipif(
    BROWSER is None, reason="no headless Chromium on PATH (Debian: apt-get install chromium)"
)

THEMES = {
    "light": "background-color: #ffffff; color: #000000",
    # JupyterLab's dark theme: light text inherited by everything that sets none.
    "dark": "background-color: #1e1e1e; color: #d4d4d4",
}

_HARNESS = """
<script>
window.__alerts = [];
window.alert = function (m) { window.__alerts.push(String(m)); };
function rgb(c) {
  const m = c.match(/rgba?\\(([^)]+)\\)/);
  if (!m) return null;
  const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
  return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
}
function lum(c) {
  const f = v => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
}
function ratio(a, b) {
  const x = lum(a), y = lum(b);
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}
function background(el) {
  for (; el; el = el.parentElement) {
    const c = rgb(getComputedStyle(el).backgroundColor);
    if (c && c.a > 0) return c;
  }
  return {r: 255, g: 255, b: 255, a: 1};
}
window.addEventListener('load', function () {
  const out = {alerts: window.__alerts, rows: [], mentions: [], kinds: [], legend: null,
               clipped: []};
  const root = document.querySelector('.newsbrief-brief');
  if (root) {
    for (const el of [root, ...root.querySelectorAll('*')]) {
      const own = [...el.childNodes].filter(n => n.nodeType === 3 && n.textContent.trim())
        .map(n => n.textContent).join(' ').trim();
      const box = el.getBoundingClientRect();
      if (!own || box.width === 0 || box.height === 0) continue;
      const style = getComputedStyle(el);
      out.rows.push({cls: String(el.className), text: own.slice(0, 50),
                     ratio: ratio(rgb(style.color), background(el))});
    }
    const legend = root.querySelector('.nb-legend');
    if (legend) {
      const box = legend.getBoundingClientRect();
      out.legend = {text: legend.textContent, width: box.width, height: box.height};
    }
    for (const a of root.querySelectorAll('a.nb-mention')) {
      const style = getComputedStyle(a);
      const target = document.querySelector(a.getAttribute('href'));
      out.mentions.push({speaker: a.dataset.speaker, text: a.textContent,
        background: style.backgroundColor, weight: style.fontWeight,
        outline: style.outlineStyle, target: !!target,
        quote: target && target.nextElementSibling ? target.nextElementSibling.textContent : ''});
    }
    for (const k of root.querySelectorAll('.nb-kind')) {
      const box = k.getBoundingClientRect();
      out.kinds.push({text: k.textContent, shown: box.width > 0 && box.height > 0});
    }
  }
  for (const svg of document.querySelectorAll('svg')) {
    const frame = svg.getBoundingClientRect();
    for (const t of svg.querySelectorAll('text')) {
      const b = t.getBoundingClientRect();
      if (b.width === 0) continue;
      if (b.left < frame.left - 1 || b.right > frame.right + 1 ||
          b.top < frame.top - 1 || b.bottom > frame.bottom + 1) {
        out.clipped.push(t.textContent);
      }
    }
  }
  out.svgs = document.querySelectorAll('svg').length;
  out.texts = [...document.querySelectorAll('svg text')].map(t => t.textContent);
  document.getElementById('nb-test-result').textContent = JSON.stringify(out);
});
</script>
"""


def measure(body: str, theme: str, tmp_path: Path) -> dict[str, Any]:
    """Load a page in headless Chromium and return what the harness measured."""
    assert BROWSER is not None
    page = tmp_path / f"page-{theme}.html"
    page.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f'{_HARNESS}</head><body style="{THEMES[theme]}; margin: 16px">{body}'
        '<pre id="nb-test-result"></pre></body></html>',
        encoding="utf-8",
    )
    run = subprocess.run(
        [
            BROWSER,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--window-size=1100,1400",
            "--virtual-time-budget=5000",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    found = re.search(r'<pre id="nb-test-result">(.*?)</pre>', run.stdout, flags=re.S)
    assert found and found.group(1), f"no result from the browser: {run.stderr[-2000:]}"
    result: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    return result


def _hex_to_rgb(colour: str) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_view_reads_on_the_theme_with_legend_and_speaker_highlight(
    theme: str, tmp_path: Path
) -> None:
    brief = sentence_brief()
    result = measure(brief_html(brief, ARTICLE), theme, tmp_path)
    assert result["alerts"] == []  # the article's <script> and onerror never ran
    # Contrast of every piece of text against what is behind it (WCAG AA: 4.5).
    rows = result["rows"]
    assert len(rows) > 20
    low = [(r["text"], round(r["ratio"], 2)) for r in rows if r["ratio"] < 4.5]
    assert low == []
    speakers = [r for r in rows if "nb-speaker" in r["cls"] or "nb-mention" in r["cls"]]
    assert speakers and min(r["ratio"] for r in speakers) >= 7.0
    # The legend is laid out and names each speaker.
    legend = result["legend"]
    assert legend and legend["width"] > 100 and legend["height"] > 10
    assert "minister (1)" in legend["text"] and "<b>Evil</b> (1)" in legend["text"]
    # The speaker mention: highlighted in the speaker's colour, bold, outlined, linked.
    [mention] = result["mentions"]
    assert mention["speaker"] == "<b>Evil</b>" and mention["text"] == "<b>Evil</b>"
    assert mention["background"] == _hex_to_rgb(PALETTE[1][0])
    assert mention["weight"] == "700" and mention["outline"] == "solid"
    assert mention["target"] and mention["quote"].startswith("<img src=x")
    # Every quote's kind is on the page, not only in a hover title.
    assert [k["text"] for k in result["kinds"]] == ["1 direct", "2 direct", "3 indirect"]
    assert all(k["shown"] for k in result["kinds"])


def test_report_plots_keep_every_label_inside_the_svg(tmp_path: Path) -> None:
    page = render_html(with_reference(make_report()))
    body = page.split("<body>", 1)[1].rsplit("</body>", 1)[0]
    result = measure(body, "light", tmp_path)
    assert result["alerts"] == []
    assert result["svgs"] == 7
    assert f"{LONG} (n=1)" in result["texts"]
    assert result["clipped"] == []
