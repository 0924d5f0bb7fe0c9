"""The notebooks: stored with small outputs, find their data anywhere, run on the embedded model."""

from __future__ import annotations

import ast
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

NOTEBOOKS = Path(__file__).parents[2] / "notebooks"
NAMES = ["01_quickstart.ipynb", "02_evaluate.ipynb", "03_corpus.ipynb"]
#: What a stored notebook may weigh, outputs included (the view and the plots are inline).
MAX_BYTES = 300_000


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))
    return data


def code_cells(name: str) -> list[dict[str, Any]]:
    return [c for c in load(name)["cells"] if c["cell_type"] == "code"]


def html_outputs(cells: list[Any]) -> list[str]:
    return [
        "".join(output["data"]["text/html"])
        for cell in cells
        for output in cell["outputs"]
        if "text/html" in output.get("data", {})
    ]


def test_every_notebook_is_listed() -> None:
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_stored_run_top_to_bottom_with_small_outputs(name: str) -> None:
    # A visitor sees what the notebook does (refresh with notebooks/refresh.py).
    notebook = load(name)
    assert notebook["nbformat"] == 4
    assert (NOTEBOOKS / name).stat().st_size < MAX_BYTES
    cells = code_cells(name)
    assert cells
    assert [c["execution_count"] for c in cells] == list(range(1, len(cells) + 1))
    for cell in cells:
        ast.parse("".join(cell["source"]))  # valid Python, no shell magics
        for output in cell["outputs"]:
            assert output["output_type"] != "error", "".join(cell["source"])
            assert not (output["output_type"] == "stream" and output["name"] == "stderr")
    shown = json.dumps([c["outputs"] for c in cells])
    assert not re.search(r"/(work|root|home|tmp)/", shown)  # no paths of the machine it ran on
    html = html_outputs(cells)
    if name == "01_quickstart.ipynb":
        assert any("<mark" in h and "nb-legend" in h for h in html)  # the article view
    else:
        assert any("<svg" in h for h in html)  # the plots


def _run_cell(name: str, index: int) -> dict[str, Any]:
    namespace: dict[str, Any] = {}
    exec(compile("".join(code_cells(name)[index]["source"]), name, "exec"), namespace)
    return namespace


def test_quickstart_finds_the_example_outside_the_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    namespace = _run_cell("01_quickstart.ipynb", 0)
    assert namespace["text"].startswith("The US says it is lifting sanctions")


def test_evaluate_finds_the_gold_or_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsbrief

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSBRIEF_REPO", raising=False)
    namespace = _run_cell("02_evaluate.ipynb", 0)  # through the installed package's checkout
    assert len(namespace["ids"]) == 2
    monkeypatch.setenv("NEWSBRIEF_REPO", str(Path(__file__).parents[2]))
    monkeypatch.setattr(newsbrief, "__file__", str(tmp_path / "site" / "newsbrief" / "x.py"))
    assert len(_run_cell("02_evaluate.ipynb", 0)["ids"]) == 2  # through NEWSBRIEF_REPO
    monkeypatch.delenv("NEWSBRIEF_REPO")
    with pytest.raises(FileNotFoundError, match="NEWSBRIEF_REPO"):
        _run_cell("02_evaluate.ipynb", 0)


@pytest.mark.embedded
@pytest.mark.parametrize("name", NAMES)
def test_notebook_executes_where_it_is_copied(name: str, tmp_path: Path) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    copy = tmp_path / name
    shutil.copy(NOTEBOOKS / name, copy)
    notebook = nbformat.read(copy, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=900,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()  # raises CellExecutionError, with the cell and traceback, on failure
    html = html_outputs([c for c in notebook.cells if c.cell_type == "code"])
    if name == "01_quickstart.ipynb":
        assert any("<mark" in h and "nb-legend" in h for h in html)  # the highlighted article
    else:
        assert any("<svg" in h for h in html)  # the plots
