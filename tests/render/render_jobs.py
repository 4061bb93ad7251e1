"""What the render tests share: ``make demo``'s jobs at small settings, and the check that
the render tools are there. ``scripts/rendering.py``, the code ``make render`` uses, is on
the tests' import path (``pythonpath`` in pyproject.toml).

Without LibreOffice, Chromium, Playwright or poppler the render tests skip, saying what
is missing; with ``SUFFICIENCY_REQUIRE_RENDER=1`` (set by ``.ci/run``) they fail instead.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import rendering

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"

RUN_DATE = "2026-04-01"
#: The forecast's backtest, as ``make demo`` runs it (its Backtest sheets printed too).
BACKTEST_CUTOFF = "2025-03-31"


def demo_jobs(out: Path) -> dict[str, list[str]]:
    """``make demo``'s jobs, one per folder of ``out``, on fewer paths (seconds, not a minute)."""
    s = SAMPLE
    scenario = str(s / "scenarios" / "step_down_and_in_house.toml")
    return {
        "match": ["match", "--referrals", str(s / "referrals.csv"), "--placements",
                  str(s / "placements.csv"), "--date", RUN_DATE, "--out", str(out / "match")],
        "forecast": ["forecast", "--history", str(s / "ssda903"), "--out", str(out / "forecast"),
                     "--supply", str(s / "supply.toml"), "--placements", str(s / "placements.csv"),
                     "--scenario", scenario, "--backtest-cutoff", BACKTEST_CUTOFF,
                     "--paths", "100"],
        "spend": ["spend", "--history", str(s / "ssda903"), "--out", str(out / "spend"),
                  "--budget", str(s / "budget.csv"), "--scenario", scenario, "--date", RUN_DATE,
                  "--paths", "100"],
        "commission": ["commission", "--history", str(s / "ssda903"), "--levers",
                       str(s / "levers.toml"), "--out", str(out / "commission"), "--paths", "60",
                       "--eval-paths", "60"],
    }  # fmt: skip


def require(*, html: bool = True, workbooks: bool = True) -> None:
    """Skip (or, in CI, fail) unless the render tools are installed."""
    missing = rendering.missing_tools(html=html, workbooks=workbooks)
    if not missing:
        return
    reason = f"render tools missing: {', '.join(missing)}; install: {rendering.INSTALL_HINT}"
    if os.environ.get("SUFFICIENCY_REQUIRE_RENDER") == "1":
        pytest.fail(reason)
    pytest.skip(reason)
