"""Every benchmark and script still imports against the library as it stands (a moved
name fails here, not when someone next runs the benchmark)."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted(p for folder in ("benchmarks", "scripts") for p in (ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_script_imports(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The module's top level runs (its imports resolve); ``main`` is not called."""
    monkeypatch.syspath_prepend(str(path.parent))
    namespace = runpy.run_path(str(path), run_name="imported_by_test")
    assert namespace, path
    for name in [m for m in sys.modules if m in {p.stem for p in SCRIPTS}]:
        monkeypatch.delitem(sys.modules, name)
