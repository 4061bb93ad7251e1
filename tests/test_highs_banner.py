"""HiGHS's copyright banner (written by its C library straight to file descriptor 1, on
the first model of a process) reaches neither the console nor a scheduler's log; a
scheduler's log (standard error, not a terminal) gets the stage lines instead."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
CLI = [sys.executable, "-c", "from sufficiency.cli import main; main()"]
BANNER = ("HiGHS", "Running HiGHS", "Copyright")
STAGE = re.compile(r"^\[\d+:\d\d\] \S")


def assert_no_banner(done: subprocess.CompletedProcess[str]) -> None:
    """No banner on either stream; stage lines on standard error only."""
    for text in BANNER:
        assert text not in done.stdout and text not in done.stderr, text
    assert not any(STAGE.match(line) for line in done.stdout.splitlines())
    assert any(line.endswith("] Writing outputs") for line in done.stderr.splitlines())


def run(args: list[str]) -> subprocess.CompletedProcess[str]:
    """A command in a fresh process, its real standard output and error captured."""
    return subprocess.run([*CLI, *args], capture_output=True, text=True, check=False)


def test_a_bare_highs_model_prints_the_banner() -> None:
    """The check below can fail: without silencing, the first model prints the banner."""
    done = subprocess.run([sys.executable, "-c", "import highspy; highspy.Highs()"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    assert "Running HiGHS" in done.stdout


@pytest.mark.parametrize("solver", ["highspy", "highs"])
def test_match_prints_no_banner(solver: str, tmp_path: Path) -> None:
    """Matching with HiGHS (directly and through PuLP) prints its result, not the banner."""
    done = run([
        "match", "--referrals", str(SAMPLE / "referrals.csv"),
        "--placements", str(SAMPLE / "placements.csv"), "--date", "2026-04-01",
        "--out", str(tmp_path), "--solver", solver, "--store", f"sqlite:///{tmp_path}/s.db",
    ])  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "placed 44 of 45 children referred" in done.stdout
    assert_no_banner(done)


def test_commission_prints_no_banner(tmp_path: Path) -> None:
    """Commissioning's PuLP + HiGHS solves (sensitivity runs included) print no banner
    either."""
    done = run([
        "commission", "--history", str(SAMPLE / "ssda903"), "--levers",
        str(SAMPLE / "levers.toml"), "--out", str(tmp_path), "--paths", "40",
        "--eval-paths", "40", "--horizon-months", "12",
        "--store", f"sqlite:///{tmp_path}/s.db",
    ])  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Expected cost over 12 months" in done.stdout
    assert_no_banner(done)
    assert sum(bool(STAGE.match(line)) for line in done.stderr.splitlines()) >= 5
