"""Loading a model writes nothing to stderr: bars off, third-party warnings to logging under
``newsbrief.transformers``, and everything put back afterwards (issue 16)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest

from newsbrief.backends.loading import load_backend
from newsbrief.backends.quiet import THIRD_PARTY_LOGGER, library_output_to_logging

pytestmark = pytest.mark.tiny


def _third_party_state() -> tuple[Any, ...]:
    from transformers.utils import logging as hf_logging

    loggers = [logging.getLogger(n) for n in ("transformers", "huggingface_hub")]
    return (
        *[(tuple(lg.handlers), lg.propagate, lg.level) for lg in loggers],
        hf_logging.is_progress_bar_enabled(),
        tuple(warnings.filters),
    )


def test_loading_writes_nothing_to_stderr(
    tiny_causal_dir: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    load_backend(str(tiny_causal_dir))  # the first load in a process draws the most
    before = _third_party_state()
    capfd.readouterr()
    load_backend(str(tiny_causal_dir))
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")
    assert _third_party_state() == before


def test_transformers_warnings_go_to_the_newsbrief_logger(
    tiny_causal_dir: Path,
    tmp_path: Path,
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A checkpoint without its output layer: transformers' load report (a warning on its
    own stderr handler) arrives as a log record under newsbrief.transformers."""
    import shutil

    from safetensors.torch import load_file, save_file

    missing = tmp_path / "missing"
    shutil.copytree(tiny_causal_dir, missing)
    weights = load_file(missing / "model.safetensors")
    del weights["lm_head.weight"]
    save_file(weights, missing / "model.safetensors", metadata={"format": "pt"})
    from transformers.utils import logging as hf_logging

    # Routing is under test, not verbosity: an earlier test (a CLI run without -v) may have
    # left transformers at ERROR, which drops this warning before it is routed.
    verbosity = hf_logging.get_verbosity()
    hf_logging.set_verbosity_warning()
    try:
        before = _third_party_state()
        capfd.readouterr()
        with caplog.at_level(logging.WARNING, logger=THIRD_PARTY_LOGGER):
            load_backend(str(missing))
        assert capfd.readouterr() == ("", "")
        report = [r for r in caplog.records if "lm_head.weight" in r.getMessage()]
        assert report and report[0].name.startswith("transformers")
        assert _third_party_state() == before
        # Outside a load, transformers' own handler is back.
        assert any(
            isinstance(h, logging.StreamHandler) for h in logging.getLogger("transformers").handlers
        )
    finally:
        hf_logging.set_verbosity(verbosity)


def test_python_warnings_during_a_load_are_logged(
    capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    before = _third_party_state()
    with caplog.at_level(logging.WARNING, logger=THIRD_PARTY_LOGGER), library_output_to_logging():
        warnings.warn("IProgress not found", UserWarning, stacklevel=1)
        logging.getLogger("huggingface_hub.file_download").warning("hub says hi")
    assert capfd.readouterr() == ("", "")
    messages = [(r.name, r.getMessage()) for r in caplog.records]
    assert (THIRD_PARTY_LOGGER, messages[-1][1]) == messages[-1]
    assert "UserWarning: IProgress not found" in messages[-1][1]
    assert ("huggingface_hub.file_download", "hub says hi") in messages
    assert _third_party_state() == before


def test_a_fresh_process_without_logging_configured_prints_nothing(
    tiny_causal_dir: Path,
) -> None:
    """No handler configured: without newsbrief's NullHandler Python's last-resort handler
    would print the routed warnings; and the bars would be drawn."""
    code = f"import newsbrief\nnewsbrief.Briefer(model={str(tiny_causal_dir)!r})\nprint('ok')\n"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "OMP_NUM_THREADS": "1"},
    )
    assert (out.returncode, out.stdout, out.stderr) == (0, "ok\n", "")
