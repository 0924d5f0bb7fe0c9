"""The package's import graph: no import loops, and the layers depend one way only.

The graph is read from the source with :mod:`ast`, so it holds every import statement
wherever it stands: at module level, inside a function or method (a lazy import), and under
``if TYPE_CHECKING:``. A lazy import still ties two modules together, so it counts. Not
counted: the parent packages Python runs before a submodule (``import a.b`` runs
``a/__init__.py``), which no module chooses. ``from pkg import name`` is an edge to the
submodule ``pkg.name`` when there is one, else to ``pkg`` itself. Strings handed to
``importlib.import_module`` are not followed, so a test below forbids naming a newsbrief
module that way.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

import newsbrief

ROOT = Path(newsbrief.__file__).resolve().parent.parent
Graph = dict[str, dict[str, int]]
"""Module -> {imported module: line of its first import}."""

#: Layers, lowest first: a module may import from its own layer and the ones below it.
#: The package root (``newsbrief/__init__.py``: the public names) and ``__main__`` sit on top.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("newsbrief._version", "newsbrief.errors", "newsbrief.models"),
    ("newsbrief.text",),
    ("newsbrief.quotes", "newsbrief.backends"),
    ("newsbrief.steps",),
    ("newsbrief.briefer", "newsbrief.options"),
    ("newsbrief.eval",),
    ("newsbrief.surfaces", "newsbrief.corpus"),
)
#: Imports that go up a layer on purpose, with the reason.
UPWARD_ALLOWED = {
    ("newsbrief.text.files", "newsbrief.surfaces.html_input"): (
        "Briefer.brief_file reads an HTML page with the one HTML reader (imported when a page "
        "is read)"
    ),
}


def module_files(root: Path, package: str) -> dict[str, Path]:
    """Every module of ``package`` under ``root``: dotted name -> file."""
    found = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def import_graph(root: Path, package: str) -> Graph:
    """The import graph of ``package`` (only its own modules), as described above."""
    files = module_files(root, package)

    def known(name: str) -> str:
        while name not in files:  # "pkg.mod.Class" -> "pkg.mod"
            name = name.rpartition(".")[0]
        return name

    graph: Graph = {}
    for name, path in files.items():
        edges: dict[str, int] = {}
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative: from its package (a package's own for __init__)
                    anchor = name if is_package else name.rpartition(".")[0]
                    for _ in range(node.level - 1):
                        anchor = anchor.rpartition(".")[0]
                    base = f"{anchor}.{base}" if base else anchor
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in files else base
                    for alias in node.names
                ]
            for target in targets:
                if target == package or target.startswith(package + "."):
                    imported = known(target)
                    if imported != name:
                        edges[imported] = min(edges.get(imported, node.lineno), node.lineno)
        graph[name] = edges
    return graph


def import_cycles(graph: Mapping[str, Mapping[str, int]]) -> list[list[str]]:
    """The import loops: each strongly connected group of two or more modules, sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(start: str) -> None:
        # Tarjan's algorithm without recursion: (module, iterator over its imports).
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        work: list[tuple[str, Iterator[str]]] = [(start, iter(graph[start]))]
        while work:
            module, imports = work[-1]
            for imported in imports:
                if imported not in index:
                    index[imported] = low[imported] = len(index)
                    stack.append(imported)
                    on_stack.add(imported)
                    work.append((imported, iter(graph[imported])))
                    break
                if imported in on_stack:
                    low[module] = min(low[module], index[imported])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[module])
                if low[module] == index[module]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == module:
                            break
                    if len(group) > 1:
                        groups.append(sorted(group))

    for module in graph:
        if module not in index:
            visit(module)
    return sorted(groups)


def describe(graph: Graph, group: list[str]) -> str:
    """A loop's imports, ``a -> b (a.py line n)``, for the failure message."""
    return "; ".join(
        f"{a} -> {b} (line {line})"
        for a in group
        for b, line in sorted(graph[a].items())
        if b in group
    )


def layer_of(module: str) -> int | None:
    for rank, layer in enumerate(LAYERS):
        if any(module == top or module.startswith(top + ".") for top in layer):
            return rank
    return None


@pytest.fixture(scope="module")
def graph() -> Graph:
    return import_graph(ROOT, "newsbrief")


def write_package(root: Path, modules: Mapping[str, str]) -> None:
    for relative, source in modules.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")


def test_the_graph_sees_lazy_relative_and_type_only_imports(tmp_path: Path) -> None:
    write_package(
        tmp_path,
        {
            "pkg/__init__.py": "from pkg.a import run\n",
            "pkg/a.py": "import os\nfrom pkg import b\n\ndef run():\n    return b\n",
            "pkg/b.py": "def late():\n    from .a import run\n    return run\n",
            "pkg/sub/__init__.py": "",
            "pkg/sub/c.py": (
                "from typing import TYPE_CHECKING\n"
                "from .. import b\n"
                "from . import d\n"
                "if TYPE_CHECKING:\n"
                "    from pkg.sub.d import Thing\n"
            ),
            "pkg/sub/d.py": "import pkg.sub.c\nclass Thing: ...\n",
        },
    )
    found = import_graph(tmp_path, "pkg")
    assert found == {
        "pkg": {"pkg.a": 1},
        "pkg.a": {"pkg.b": 2},
        "pkg.b": {"pkg.a": 2},
        "pkg.sub": {},
        "pkg.sub.c": {"pkg.b": 2, "pkg.sub.d": 3},
        "pkg.sub.d": {"pkg.sub.c": 1},
    }
    assert import_cycles(found) == [["pkg.a", "pkg.b"], ["pkg.sub.c", "pkg.sub.d"]]
    assert describe(found, ["pkg.a", "pkg.b"]) == "pkg.a -> pkg.b (line 2); pkg.b -> pkg.a (line 2)"


def test_a_three_module_loop_is_one_cycle() -> None:
    graph = {"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1, "d": 1}, "d": {}}
    assert import_cycles(graph) == [["a", "b", "c"]]
    assert import_cycles({"a": {"b": 1}, "b": {}}) == []


def test_newsbrief_has_no_import_loops(graph: Graph) -> None:
    loops = [describe(graph, group) for group in import_cycles(graph)]
    assert not loops, "import loops:\n" + "\n".join(loops)


def test_the_result_types_import_nothing_from_the_surfaces(graph: Graph) -> None:
    """``newsbrief.models`` (and all it imports, transitively) never reaches a surface."""
    reached, todo = set(), ["newsbrief.models"]
    while todo:
        module = todo.pop()
        for imported in graph[module]:
            if imported not in reached:
                reached.add(imported)
                todo.append(imported)
    assert not sorted(m for m in reached if m.startswith("newsbrief.surfaces"))


def test_every_module_has_a_layer(graph: Graph) -> None:
    top = {"newsbrief", "newsbrief.__main__"}
    assert not [m for m in graph if m not in top and layer_of(m) is None]


def test_layers_depend_downwards(graph: Graph) -> None:
    upward = []
    for module, imports in graph.items():
        rank = layer_of(module)
        for imported, line in imports.items():
            target = layer_of(imported)
            if rank is None or target is None or target <= rank:
                continue
            if (module, imported) not in UPWARD_ALLOWED:
                upward.append(f"{module} -> {imported} (line {line})")
    assert not upward, "imports that go up a layer:\n" + "\n".join(upward)
    for module, imported in UPWARD_ALLOWED:  # an allowance no longer needed goes
        assert imported in graph[module], f"{module} no longer imports {imported}"


def test_no_newsbrief_module_is_imported_by_a_string() -> None:
    """``importlib.import_module("newsbrief...")`` would hide an edge from the graph."""
    hidden = []
    for name, path in module_files(ROOT, "newsbrief").items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
                and node.args[0].value.split(".")[0] == "newsbrief"
                and getattr(node.func, "attr", getattr(node.func, "id", ""))
                in ("import_module", "__import__")
            ):
                hidden.append(f"{name} line {node.lineno}")
    assert not hidden


def test_the_newcomers_map_names_every_module_and_only_real_ones() -> None:
    """``docs/HOW_IT_WORKS.md`` names each module of the package, and every ``.py`` it
    names exists (in the package or the repository) unless it is marked *(planned)*."""
    doc = (ROOT / "docs" / "HOW_IT_WORKS.md").read_text(encoding="utf-8")
    files = module_files(ROOT, "newsbrief").values()
    named = set(re.findall(r"[\w/]+\.py", doc))
    unnamed = sorted(
        str(path.relative_to(ROOT))
        for path in files
        if path.name != "__init__.py" and path.name not in {Path(n).name for n in named}
    )
    assert not unnamed, f"modules missing from docs/HOW_IT_WORKS.md: {unnamed}"
    real = {str(path.relative_to(ROOT / "newsbrief")) for path in files}
    planned = set(re.findall(r"([\w/]+\.py)`? \*\(planned\)\*", doc))
    invented = sorted(
        name
        for name in named - planned
        if name not in real
        and not (ROOT / name).is_file()
        and not any(r.endswith("/" + name) for r in real)
    )
    assert not invented, f"docs/HOW_IT_WORKS.md names modules that do not exist: {invented}"


def test_the_wheel_lists_every_package_on_disk() -> None:
    """``pyproject.toml`` names its packages one by one: a new subpackage left out of the
    list is missing from a built wheel (the editable install in development hides it)."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    on_disk = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "newsbrief").rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert on_disk - listed == set(), "add these to [tool.setuptools] packages"
