"""Shared fixtures: tiny real models built once per session, the embedded model once, Ray."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

TESTS = Path(__file__).parent
REPO = TESTS.parent
sys.path.insert(0, str(TESTS))

EXAMPLE_ARTICLE = REPO / "examples" / "belarus_potash.txt"

# Property tests: in CI (CI set) the same examples every run, so a landing is reproducible;
# elsewhere hypothesis explores new random examples each run (a counterexample it finds is
# then fixed and pinned by an explicit test, as "The The added" was).
if os.environ.get("CI"):
    from hypothesis import settings

    settings.register_profile("ci", derandomize=True, print_blob=True)
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def tiny_t5_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tiny_models import build_tiny_t5

    return build_tiny_t5(tmp_path_factory.mktemp("tiny-t5"))


@pytest.fixture(scope="session")
def tiny_causal_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tiny_models import build_tiny_causal

    return build_tiny_causal(tmp_path_factory.mktemp("tiny-causal"))


@pytest.fixture(scope="session")
def tiny_compact_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tiny_models import build_tiny_compact

    return build_tiny_compact(tmp_path_factory.mktemp("tiny-compact"))


@pytest.fixture(scope="session")
def tiny_gguf_path(tmp_path_factory: pytest.TempPathFactory, tiny_compact_dir: Path) -> Path:
    """The tiny Gemma 3 of ``tiny_compact_dir`` as a GGUF file laid out as the embedded
    model's (``tiny_models.build_tiny_gguf``)."""
    from tiny_models import build_tiny_gguf

    return build_tiny_gguf(tmp_path_factory.mktemp("tiny-gguf") / "tiny.gguf", tiny_compact_dir)


@pytest.fixture(scope="session")
def embedded_backend() -> Any:
    """The embedded Gemma 3 270M, converted into the user cache on first use."""
    from newsbrief.backends.loading import load_backend

    return load_backend("embedded")


@pytest.fixture(scope="session")
def example_text() -> str:
    return EXAMPLE_ARTICLE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def ray_local() -> Iterator[Any]:
    """A small local Ray runtime for one test module (skips the module without Ray).

    Two CPUs, a 200 MB object store, no dashboard; its workers import the test helpers
    (``test_cli``, ...) as the tests do, so a test's Briefer factory reaches the actors.
    """
    ray = pytest.importorskip("ray")
    pytest.importorskip("ray.data")
    unit = TESTS / "unit"
    folders = sorted(str(d) for d in unit.rglob("*") if d.is_dir() and "__" not in d.name)
    paths = [*folders, str(TESTS / "unit"), str(TESTS), str(TESTS.parent)]
    paths.append(os.environ.get("PYTHONPATH", ""))
    ray.init(
        num_cpus=2,
        object_store_memory=200 * 1024 * 1024,
        include_dashboard=False,
        logging_level=logging.WARNING,
        runtime_env={"env_vars": {"PYTHONPATH": os.pathsep.join(p for p in paths if p)}},
    )
    try:
        yield ray
    finally:
        ray.shutdown()
