"""The embedded model's first conversion on hostile disks (issue 23): an unusable
NEWSBRIEF_CACHE or a full disk is a one-line ModelLoadError (exit 4) leaving nothing
half-written; killed conversions' leftovers are removed by the next one, never a live
one's. The conversion here is the real code on a tiny Gemma 3 GGUF laid out as the
embedded model's (``tiny_models.build_tiny_gguf``)."""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from newsbrief.backends import GenerationConfig, embedded
from newsbrief.errors import ModelLoadError
from newsbrief.surfaces import cli

pytestmark = pytest.mark.tiny

SOURCE_SHA = "1" * 64


@pytest.fixture
def conversions(tiny_gguf_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A fake embedded package whose ``assemble`` writes the tiny Gemma 3 GGUF; returns
    the GGUF paths each conversion assembled. NEWSBRIEF_CACHE is tmp_path/cache."""
    assembled: list[str] = []

    def assemble(output_path: Path) -> Path:
        shutil.copyfile(tiny_gguf_path, output_path)
        assembled.append(str(output_path))
        return output_path

    package = SimpleNamespace(
        EXPECTED_SHA256=SOURCE_SHA, MODEL_NAME="model.gguf", assemble=assemble
    )
    monkeypatch.setattr(embedded, "_embedded_package", lambda: package)
    monkeypatch.setenv("NEWSBRIEF_CACHE", str(tmp_path / "cache"))
    return assembled


def _models_dir() -> Path:
    return embedded.cache_dir() / "models"


def test_the_conversion_writes_a_valid_cache_that_loads(conversions: list[str]) -> None:
    target = embedded.convert_embedded(embedded.embedded_cache_path())
    assert embedded._cache_valid(target) and len(conversions) == 1
    assert not list(_models_dir().glob(".convert-*"))
    marker = json.loads((target / embedded.CACHE_MARKER).read_text())
    assert marker["dtype"] == "torch.float32 layers, Q8_0 embedding"
    assert embedded.check_cache_files(target)
    backend = embedded.load_embedded()
    (answer,) = backend.generate(["the minister said"], GenerationConfig(max_new_tokens=3))
    assert isinstance(answer.text, str)


def test_a_gguf_it_cannot_convert_is_a_model_load_error(
    conversions: list[str], tiny_compact_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tiny_models import build_tiny_gguf

    unconvertible = build_tiny_gguf(tmp_path / "f32.gguf", tiny_compact_dir, q8_embedding=False)
    monkeypatch.setattr(
        embedded._embedded_package(),
        "assemble",
        lambda output_path: shutil.copyfile(unconvertible, output_path),
    )
    with pytest.raises(ModelLoadError, match="not the Q8_0 the compact cache keeps") as info:
        embedded.load_embedded()
    assert "reinstall the embedded model's package" in str(info.value)
    assert len(str(info.value).splitlines()) == 1
    assert [p.name for p in _models_dir().iterdir()] == [".convert.lock"]


def test_a_file_as_newsbrief_cache_is_a_model_load_error(
    conversions: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    cache_file = tmp_path / "not-a-directory"
    cache_file.write_text("x")
    monkeypatch.setenv("NEWSBRIEF_CACHE", str(cache_file))
    with pytest.raises(ModelLoadError, match="set NEWSBRIEF_CACHE to a writable directory"):
        embedded.load_embedded()
    assert not conversions
    article = tmp_path / "a.txt"
    article.write_text("Mayor Ann Lopez said the vote would be next month.\n")
    status = cli.main(["brief", str(article)])
    err = capsys.readouterr().err
    assert status == cli.EXIT_MODEL
    assert "set NEWSBRIEF_CACHE" in err and len(err.strip().splitlines()) == 1


@pytest.mark.skipif(not Path("/sys").is_dir(), reason="needs /sys (read-only, even for root)")
def test_a_read_only_newsbrief_cache_is_a_model_load_error(
    conversions: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    probe = Path("/sys/newsbrief-probe")
    try:
        probe.mkdir()
    except OSError:
        pass  # nobody may write there: the case wanted
    else:  # pragma: no cover - a writable /sys
        probe.rmdir()
        pytest.skip("/sys is writable here")
    monkeypatch.setenv("NEWSBRIEF_CACHE", "/sys/newsbrief-cache")
    with pytest.raises(ModelLoadError, match="set NEWSBRIEF_CACHE to a writable directory"):
        embedded.load_embedded()


def test_a_full_disk_while_saving_leaves_no_partial_cache(
    conversions: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from safetensors import SafetensorError

    def full_disk(tensors: Any, filename: str, metadata: Any = None) -> None:
        Path(filename).write_bytes(b"half a file")
        raise SafetensorError(
            'Error while serializing: IoError(Os { code: 28, kind: StorageFull, message: "No '
            'space left on device" })'
        )

    monkeypatch.setattr("safetensors.torch.save_file", full_disk)  # the compact copy's writer
    target = embedded.embedded_cache_path()
    with pytest.raises(ModelLoadError, match="No space left on device") as info:
        embedded.load_embedded()
    assert "set NEWSBRIEF_CACHE to a writable directory with" in str(info.value)
    assert not target.exists()
    assert [p.name for p in _models_dir().iterdir()] == [".convert.lock"]


def test_a_rerun_removes_what_killed_conversions_left(conversions: list[str]) -> None:
    models = _models_dir()
    models.mkdir(parents=True)
    for name in (".convert-dead1", ".convert-dead2"):
        (models / name).mkdir()
        (models / name / "model.gguf").write_bytes(bytes(4096))
    embedded.convert_embedded(embedded.embedded_cache_path())
    assert not list(models.glob(".convert-*"))


def test_a_live_conversion_is_waited_for_and_its_directory_kept(
    conversions: list[str],
) -> None:
    models = _models_dir()
    models.mkdir(parents=True)
    live = models / ".convert-live"
    live.mkdir()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys; fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT); "
            "fcntl.flock(fd, fcntl.LOCK_EX); print('locked', flush=True); sys.stdin.read()",
            str(models / ".convert.lock"),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
    result: list[Path] = []
    waiter = threading.Thread(
        target=lambda: result.append(embedded.convert_embedded(embedded.embedded_cache_path()))
    )
    try:
        waiter.start()
        time.sleep(1.0)
        assert waiter.is_alive() and live.is_dir()  # waiting, the live run's files untouched
        assert not conversions
    finally:
        assert holder.stdin is not None
        holder.stdin.close()  # the other conversion ends (killed: its directory stays)
        holder.wait()
    waiter.join(timeout=120)
    assert result and embedded._cache_valid(result[0]) and len(conversions) == 1
    assert not live.exists()  # left by a run that is over: removed


def test_a_float32_cache_of_format_1_is_converted_again_with_one_line(
    conversions: list[str], tiny_compact_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import torch

    from newsbrief.backends import compact

    target = embedded.embedded_cache_path()
    target.parent.mkdir(parents=True)
    # what the float32 conversion wrote: the whole model saved by transformers, format 1
    shutil.copytree(tiny_compact_dir.parent / "plain", target)
    embedded._write_marker(
        target,
        {
            "format": 1,
            "source_sha256": SOURCE_SHA,
            "dtype": "torch.float32",
            "files": embedded._record_checksums(target),
        },
    )
    with caplog.at_level(logging.INFO, logger="newsbrief.backends.embedded"):
        backend = embedded.load_embedded()
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1, warnings  # what was found and what happens, in one line
    assert "holds every weight in float32" in warnings[0] and str(target) in warnings[0]
    assert "converting it again" in warnings[0] and len(warnings[0].splitlines()) == 1
    assert len(conversions) == 1
    marker = json.loads((target / embedded.CACHE_MARKER).read_text())
    assert marker["format"] == embedded._CACHE_FORMAT
    assert isinstance(backend.model.get_input_embeddings(), compact.Q8Embedding)
    assert backend.model.dtype == torch.float32
    assert compact.is_compact(target)
