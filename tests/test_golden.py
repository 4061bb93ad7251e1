"""Golden outputs: refactoring changes no figure a command writes (tests/golden_outputs.py)."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from golden_outputs import GOLDEN, produce, snapshot


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every job run once on the sample (and a regional matching instance), reduced."""
    tmp = tmp_path_factory.mktemp("golden")
    produce(tmp / "work", f"sqlite:///{tmp}/runs.db")
    snapshot(tmp / "work" / "out", tmp / "snap")
    return tmp / "snap"


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_golden_outputs_cover_every_job() -> None:
    """The goldens hold each job's CSVs and workbook (so the comparison below means something)."""
    names = _files(GOLDEN)
    for expected in ("match/matches.csv", "match_regional/matches.csv", "forecast/demand.csv",
                     "backtest/backtest.csv", "spend/spend.csv", "commission/plan.csv",
                     "match/match_report.xlsx.json", "spend/spend.xlsx.json"):  # fmt: skip
        assert expected in names


def test_outputs_equal_goldens(outputs: Path) -> None:
    """Every CSV byte-identical, summary.json and workbook values equal, no file gained or lost."""
    assert _files(outputs) == _files(GOLDEN)
    changed = []
    for name in _files(GOLDEN):
        want, got = (GOLDEN / name).read_bytes(), (outputs / name).read_bytes()
        if want != got:
            diff = difflib.unified_diff(
                want.decode().splitlines(), got.decode().splitlines(), "golden", "now", n=0
            )
            changed.append(f"{name}:\n" + "\n".join(list(diff)[:12]))
    assert not changed, "outputs differ from tests/golden:\n" + "\n".join(changed)
