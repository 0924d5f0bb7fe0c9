"""The corpus report in a real headless browser: the search box, the sortable headings,
hostile names shown as text (no script of theirs runs). Skipped when no Chromium is
installed (Debian: ``apt-get install chromium``)."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from newsbrief.corpus.report import render_report
from tests.unit.corpus.test_corpus_tables import HOSTILE, corpus

BROWSER = next(
    (b for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None
)
pytestmark = pytest.mark.skipif(
    BROWSER is None, reason="no headless Chromium on PATH (Debian: apt-get install chromium)"
)

_HARNESS = """
<pre id="corpus-test-result"></pre>
<script>
window.__alerts = [];
window.alert = function (m) { window.__alerts.push(String(m)); };
window.addEventListener("load", function () {
  const visible = id => Array.from(document.querySelectorAll("#" + id + " tbody tr"))
    .filter(r => !r.hidden).map(r => r.cells[0].textContent);
  const box = document.querySelector('input[data-table="speakers"]');
  const before = visible("speakers");
  box.value = "trump";
  box.dispatchEvent(new Event("input"));
  const searched = visible("speakers");
  box.value = "";
  box.dispatchEvent(new Event("input"));
  const heading = document.querySelector("#speakers th");
  heading.click();
  const ascending = visible("speakers");
  heading.click();
  const descending = visible("speakers");
  document.getElementById("corpus-test-result").textContent = JSON.stringify({
    before: before, searched: searched, ascending: ascending, descending: descending,
    alerts: window.__alerts, scripts: document.scripts.length,
    text: document.body.innerText,
  });
});
</script>
</body>"""


def run_page(page: Path) -> dict[str, Any]:
    assert BROWSER is not None
    run = subprocess.run(
        [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1100,1400",
         "--virtual-time-budget=5000", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    found = re.search(r'<pre id="corpus-test-result">(.*?)</pre>', run.stdout, flags=re.S)
    assert found and found.group(1), f"no result from the browser: {run.stderr[-2000:]}"
    result: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    return result


def test_the_report_searches_sorts_and_shows_hostile_names_as_text(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    report = render_report(corpus())
    # The report's own CSP forbids nothing the harness needs (inline scripts are allowed).
    page.write_text(report.replace("</body>", _HARNESS, 1), encoding="utf-8")
    result = run_page(page)
    assert result["searched"] == ["Donald Trump"]
    assert len(result["before"]) == len(result["ascending"]) > 2
    assert result["ascending"][0] == min(result["before"], key=str.casefold)
    assert result["ascending"] == list(reversed(result["descending"]))
    assert result["alerts"] == []  # the hostile name's <script> never ran
    assert result["scripts"] == 2  # the report's own and the harness
    assert "<script>alert(1)</script>" in result["text"]  # shown as its characters
    assert HOSTILE.split("<")[0] in result["text"]
