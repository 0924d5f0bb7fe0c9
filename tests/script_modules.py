"""The project's scripts (``scripts/*.py``, not a package) imported as modules for tests."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


def load_script(name: str) -> Any:
    """``scripts/<name>.py`` as the module ``name`` (registered in ``sys.modules``, so the
    script's dataclasses and lazy imports of its sibling scripts resolve)."""
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
