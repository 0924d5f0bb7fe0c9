"""``newsbrief models`` lists the hub cache through ``huggingface_hub.scan_cache_dir``."""

from __future__ import annotations

import os
from pathlib import Path

from newsbrief.backends.embedded import CachedHubModel, cached_hub_models


def _hub_layout(root: Path, repo: str, files: dict[str, bytes], kind: str = "models") -> None:
    """A repository as the hub library writes it: blobs, snapshot symlinks, refs/main."""
    folder = root / f"{kind}--{repo.replace('/', '--')}"
    commit = "a" * 40
    (folder / "refs").mkdir(parents=True)
    (folder / "refs" / "main").write_text(commit)
    for i, (name, data) in enumerate(files.items()):
        blob = folder / "blobs" / f"{i:040x}"
        blob.parent.mkdir(parents=True, exist_ok=True)
        blob.write_bytes(data)
        link = folder / "snapshots" / commit / name
        link.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(os.path.relpath(blob, link.parent), link)


def test_models_with_a_config_and_gguf_files_with_their_sizes(tmp_path: Path) -> None:
    _hub_layout(tmp_path, "google/flan-t5-small", {"config.json": b"{}", "w.bin": bytes(3000)})
    _hub_layout(tmp_path, "someone/tiny-GGUF", {"sub/tiny.Q4_K_M.gguf": bytes(2_000_000)})
    _hub_layout(tmp_path, "someone/nested-only", {"sub/config.json": b"{}"})
    _hub_layout(tmp_path, "x/y", {"config.json": b"{}"}, kind="datasets")
    (tmp_path / "models--half--downloaded" / "blobs").mkdir(parents=True)
    assert cached_hub_models(tmp_path) == [
        CachedHubModel("google/flan-t5-small", "transformers", "3.0K"),
        CachedHubModel("someone/tiny-GGUF/tiny.Q4_K_M.gguf", "gguf", "2.0M"),
    ]


def test_a_missing_cache_is_empty(tmp_path: Path) -> None:
    assert cached_hub_models(tmp_path / "none") == []
