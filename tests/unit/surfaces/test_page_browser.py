"""The standalone brief page (``newsbrief brief --format html``) in headless Chromium, in the
reader's light and dark colour scheme: the page follows ``prefers-color-scheme`` and every
piece of text keeps its contrast; a screenshot of each is taken for a person to look at."""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from newsbrief.surfaces.display import brief_page
from tests.unit.surfaces.test_display import ARTICLE, sentence_brief
from tests.unit.surfaces.test_views_browser import _HARNESS, BROWSER

pytestmark = pytest.mark.skipif(
    BROWSER is None, reason="no headless Chromium on PATH (Debian: apt-get install chromium)"
)
# Chromium's switch for the scheme a page sees (0: dark, 1: light).
SCHEMES = {"light": "1", "dark": "0"}


def _chromium(page: Path, scheme: str, *extra: str) -> subprocess.CompletedProcess[str]:
    assert BROWSER is not None
    return subprocess.run(
        [
            BROWSER,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--window-size=1100,1400",
            f"--blink-settings=preferredColorScheme={SCHEMES[scheme]}",
            "--virtual-time-budget=5000",
            *extra,
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def measure_page(page_html: str, scheme: str, tmp_path: Path) -> dict[str, Any]:
    """The harness's measures of a whole page, plus the body's computed colours."""
    probe = _HARNESS.replace(
        "window.__alerts.push(String(m)); };",
        "window.__alerts.push(String(m)); };\n"
        "window.addEventListener('load', function () { const s = getComputedStyle("
        "document.body); document.body.dataset.colours = s.backgroundColor + '|' + s.color; });",
    )
    page = tmp_path / f"page-{scheme}.html"
    page.write_text(
        page_html.replace("</head>", probe + "</head>").replace(
            "</body>", '<pre id="nb-test-result"></pre></body>'
        ),
        encoding="utf-8",
    )
    run = _chromium(page, scheme, "--dump-dom")
    found = re.search(r'<pre id="nb-test-result">(.*?)</pre>', run.stdout, flags=re.S)
    assert found and found.group(1), f"no result from the browser: {run.stderr[-2000:]}"
    result: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    colours = re.search(r'data-colours="([^"]*)"', run.stdout)
    assert colours
    result["body"] = colours.group(1).split("|")
    return result


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_page_follows_the_colour_scheme_and_reads(scheme: str, tmp_path: Path) -> None:
    page = brief_page(sentence_brief(), ARTICLE)
    result = measure_page(page, scheme, tmp_path)
    background, colour = result["body"]
    assert background == ("rgb(255, 255, 255)" if scheme == "light" else "rgb(22, 26, 29)")
    assert colour == ("rgb(17, 17, 17)" if scheme == "light" else "rgb(227, 230, 232)")
    low = [(r["text"], round(r["ratio"], 2)) for r in result["rows"] if r["ratio"] < 4.5]
    assert low == []
    assert result["alerts"] == []
    # A screenshot for people (not compared): tmp_path keeps it for a look after a failure.
    shot = tmp_path / f"brief-{scheme}.png"
    _chromium(tmp_path / f"page-{scheme}.html", scheme, f"--screenshot={shot}")
    assert shot.stat().st_size > 10_000
