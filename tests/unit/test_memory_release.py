"""Returning freed C-heap memory to the operating system (``malloc_trim`` on glibc)."""

from __future__ import annotations

import sys

import pytest

from newsbrief.backends import memory


def test_release_free_memory_answers_whether_it_could_ask() -> None:
    released = memory.release_free_memory()
    assert isinstance(released, bool)
    if sys.platform.startswith("linux") and memory._trim_function() is not None:
        assert released


def test_release_free_memory_without_malloc_trim(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memory, "_trim_function", lambda: None)
    assert memory.release_free_memory() is False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc heaps")
def test_release_free_memory_lowers_resident_memory_after_a_freed_parse() -> None:
    """Many small blocks freed in a thread's heap stay resident until trimmed."""
    import threading

    def resident_kb() -> int:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("RssAnon:"):
                    return int(line.split()[1])
        raise AssertionError("no RssAnon")

    if memory._trim_function() is None:
        pytest.skip("no malloc_trim in this C library")

    def churn() -> None:
        blocks = [bytearray(3000) for _ in range(40_000)]  # ~120 MB of small blocks
        del blocks[1::2]
        blocks.clear()

    thread = threading.Thread(target=churn)
    thread.start()
    thread.join()
    before = resident_kb()
    assert memory.release_free_memory()
    assert resident_kb() <= before
