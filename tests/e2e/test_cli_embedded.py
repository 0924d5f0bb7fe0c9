"""``newsbrief brief`` end to end on the embedded model, as a shell user runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from newsbrief.models import Brief

pytestmark = pytest.mark.embedded

EXAMPLE = Path(__file__).parents[2] / "examples" / "belarus_potash.txt"


def test_brief_example_as_json() -> None:
    script = Path(sys.executable).parent / "newsbrief"
    result = subprocess.run(
        [str(script), "brief", str(EXAMPLE), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr
    brief = Brief.model_validate_json(result.stdout)
    text = EXAMPLE.read_text(encoding="utf-8")
    assert brief.quotes and all(text[q.start : q.end] == q.text for q in brief.quotes)
    assert brief.summary and brief.issue and brief.stances
    assert brief.provenance.model_id.startswith("newsbrief/embedded")
