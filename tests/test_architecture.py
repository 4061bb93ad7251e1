"""The layers in pyproject.toml's import-linter contracts hold, and the check can fail."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` on the package under ``root`` with the repository's contracts."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=root, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip


def test_contracts_are_kept() -> None:
    """Every contract is kept on the package as it stands."""
    done = lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        # I/O at the bottom importing the command line above everything
        ("io/atomic.py", "import sufficiency.cli", "Interfaces on top"),
        # one job importing another
        ("finance/projection.py", "import sufficiency.matching.plan", "Interfaces on top"),
        # commissioning reaching into the forecast's internals
        ("commissioning/demand.py", "import sufficiency.forecast.simulate", "public names"),
        # a cycle inside a package
        ("matching/rules.py", "import sufficiency.matching.run", "No import cycles"),
    ],
)
def test_an_upward_import_fails(tmp_path: Path, module: str, line: str, broken: str) -> None:
    """A copy of the package with one forbidden import added breaks the named contract."""
    shutil.copytree(ROOT / "sufficiency", tmp_path / "sufficiency",
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    target = tmp_path / "sufficiency" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    done = lint_imports(tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"{broken}" in done.stdout.split("Broken contracts")[1]


def test_no_module_is_loaded_behind_the_checker() -> None:
    """No dependency hides from import-linter in a string (``importlib.import_module``)."""
    hidden = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "sufficiency").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "import_module(" in line or "__import__(" in line
    ]
    assert hidden == []


def long_modules(package: Path, limit: int = 500) -> list[str]:
    """The package's modules over ``limit`` lines, as paths below the package."""
    return sorted(
        str(p.relative_to(package))
        for p in package.rglob("*.py")
        if len(p.read_text(encoding="utf-8").splitlines()) > limit
    )


def explained_modules(doc: str) -> set[str]:
    """Modules named at the start of a bullet under "Modules over 500 lines"."""
    section = doc.split("## Modules over 500 lines", 1)[1].split("\n## ", 1)[0]
    return {
        line.split("`")[1]
        for line in section.splitlines()
        if line.startswith("- `") and line.count("`") >= 2
    }


def test_every_long_module_is_explained() -> None:
    """A module over 500 lines has its sentence in docs/architecture.md saying why."""
    long = long_modules(ROOT / "sufficiency")
    explained = explained_modules((ROOT / "docs" / "architecture.md").read_text())
    assert long, "no module over 500 lines: the check below would check nothing"
    assert [m for m in long if m not in explained] == []


def test_a_long_module_without_a_sentence_fails(tmp_path: Path) -> None:
    """The check sees a new long module that the document does not name."""
    (tmp_path / "big.py").write_text("x = 1\n" * 501)
    (tmp_path / "small.py").write_text("x = 1\n" * 500)
    assert long_modules(tmp_path) == ["big.py"]
    assert "big.py" not in explained_modules("## Modules over 500 lines\n\n- `small.py`: x\n")
