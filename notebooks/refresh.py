"""Run the notebooks top to bottom and store them with their outputs (for visitors).

    OMP_NUM_THREADS=1 .venv/bin/python notebooks/refresh.py [NAME.ipynb ...]

Each notebook runs in a temporary directory (as a copy elsewhere would), on the embedded
model. Stored: the outputs a reader needs (text, tables, the HTML views, plots). Not
stored: standard-error streams (progress bars, library warnings) and execution timings,
so a rerun changes only what the model or the code changed.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import nbclient
import nbformat

HERE = Path(__file__).parent
NAMES = ["01_quickstart.ipynb", "02_evaluate.ipynb", "03_corpus.ipynb"]


def refresh(path: Path) -> None:
    """Execute ``path`` in a temporary directory and write it back with its outputs."""
    notebook = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as workdir:
        client = nbclient.NotebookClient(
            notebook,
            timeout=1800,
            kernel_name="python3",
            resources={"metadata": {"path": workdir}},
        )
        client.execute()
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = [
                o for o in cell.outputs if not (o.output_type == "stream" and o.name == "stderr")
            ]
    notebook.metadata.pop("widgets", None)
    nbformat.write(notebook, path)


if __name__ == "__main__":
    for name in sys.argv[1:] or NAMES:
        refresh(HERE / name)
        print("refreshed", name)
